import { hashToken } from '../../shared/auth/tokens';
import { clientNetwork } from '../../shared/client-network';
import type { Deps } from '../../shared/context';
import { RateLimited } from '../../shared/errors';
import { type Budget, consumeBudgets, refundBudgets } from '../../shared/rate-limit';
import { redisKey } from '../../shared/redis';

/**
 * Which failure budgets one login attempt draws on (docs/auth.md, "Failed logins"):
 *
 * - with a valid device token for the account: that token's own budget only, so
 *   nobody else's failures, from anywhere, lock a returning device out;
 * - otherwise: the account's budget for the client's network (IPv4 /24, IPv6
 *   /64) AND the account's budget across all networks, a higher ceiling that
 *   bounds a distributed attack.
 *
 * Accounts are keyed by a hash of the email, so Redis holds no addresses.
 */
export async function loginBudgets(deps: Deps, email: string, ip: string | undefined, deviceId: string | null): Promise<Budget[]> {
  const { config } = deps;
  if (deviceId) return [{ key: redisKey(config, 'login', 'device', deviceId), limit: config.LOGIN_DEVICE_MAX_FAILURES }];
  const account = await hashToken(email);
  return [
    { key: redisKey(config, 'login', 'net', account, clientNetwork(ip ?? '', 24)), limit: config.LOGIN_MAX_FAILURES },
    { key: redisKey(config, 'login', 'account', account), limit: config.LOGIN_ACCOUNT_MAX_FAILURES },
  ];
}

/**
 * Takes one attempt from every budget before the password is checked, or
 * answers 429. Returns whether anything was taken (false when Redis could not
 * answer: login then fails open, as the seed's limits do, since PBKDF2's cost
 * still bounds guessing and an outage must not lock every customer out).
 */
export async function takeLoginAttempt(deps: Deps, budgets: Budget[]): Promise<boolean> {
  let result;
  try {
    result = await consumeBudgets(deps, budgets, deps.config.AUTH_RATE_LIMIT_WINDOW_SECONDS);
  } catch (err) {
    deps.logger.warn('login budget unavailable; failing open', { error: String(err) });
    return false;
  }
  if (!result.allowed) throw new RateLimited(result.retryAfterSeconds);
  return true;
}

/** A successful login gives back its attempt: the budgets count failures. After the response. */
export function refundLoginAttempt(deps: Deps, budgets: Budget[]): void {
  deps.defer(() => refundBudgets(deps, budgets));
}
