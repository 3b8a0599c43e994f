import { hashToken } from '../../shared/auth/tokens';
import { clientNetwork } from '../../shared/client-network';
import type { Deps } from '../../shared/context';
import { DependencyUnavailable, RateLimited } from '../../shared/errors';
import { type Budget, consumeBudgets, refundBudgets } from '../../shared/rate-limit';
import { redisKey } from '../../shared/redis';

/**
 * Who asks for a code (docs/auth.md, "Code limits"), mirroring the login
 * budgets: a device that signed in to the number's account before counts on
 * its own budget, so nobody else can keep the owner from getting a code;
 * anyone else counts per number and network, per number from everywhere (the
 * ceiling), and per network over all numbers; a signed-in account adding a
 * phone counts on its own budget and per number.
 */
export type CodeRequester = { deviceId: string } | { network: string } | { userId: string };

export const requesterFromIp = (ip: string | undefined): CodeRequester => ({ network: clientNetwork(ip ?? '', 24) });

interface CodeBudgets {
  cooldown: Budget;
  window: Budget[];
}

async function codeBudgets(deps: Deps, phone: string, who: CodeRequester): Promise<CodeBudgets> {
  const { config } = deps;
  // Keys hold a hash of the number, not the number.
  const number = await hashToken(phone);
  const key = (...parts: string[]) => redisKey(config, 'phone-code', ...parts);
  if ('deviceId' in who) {
    return {
      cooldown: { key: key('cooldown', 'device', who.deviceId, number), limit: 1 },
      window: [{ key: key('device', who.deviceId), limit: config.PHONE_CODE_MAX_PER_DEVICE }],
    };
  }
  if ('userId' in who) {
    return {
      cooldown: { key: key('cooldown', 'account', who.userId, number), limit: 1 },
      window: [
        { key: key('account', who.userId), limit: config.PHONE_CODE_MAX_PER_ACCOUNT },
        { key: key('phone', number), limit: config.PHONE_CODE_MAX_PER_PHONE },
      ],
    };
  }
  return {
    cooldown: { key: key('cooldown', 'net', who.network, number), limit: 1 },
    window: [
      { key: key('net-phone', who.network, number), limit: config.PHONE_CODE_MAX_PER_PHONE_NETWORK },
      { key: key('phone', number), limit: config.PHONE_CODE_MAX_PER_PHONE },
      { key: key('net', who.network), limit: config.PHONE_CODE_MAX_PER_NETWORK },
    ],
  };
}

/**
 * Takes one code from the requester's budgets or answers 429 with
 * Retry-After: first the resend cooldown, then the window's budgets (the
 * cooldown is given back when those refuse). Fails closed: a code costs an
 * SMS, and without Redis nothing would bound them (password sign-in still works).
 */
export async function takeCodeBudget(deps: Deps, phone: string, who: CodeRequester): Promise<Budget[]> {
  const { config } = deps;
  const budgets = await codeBudgets(deps, phone, who);
  try {
    const cooled = await consumeBudgets(deps, [budgets.cooldown], config.PHONE_CODE_RESEND_SECONDS);
    if (!cooled.allowed) throw new RateLimited(cooled.retryAfterSeconds);
    const taken = await consumeBudgets(deps, budgets.window, config.PHONE_CODE_WINDOW_SECONDS);
    if (!taken.allowed) {
      await refundBudgets(deps, [budgets.cooldown]);
      throw new RateLimited(taken.retryAfterSeconds);
    }
    return [budgets.cooldown, ...budgets.window];
  } catch (err) {
    if (err instanceof RateLimited) throw err;
    throw new DependencyUnavailable('Code limits', err);
  }
}

/** Gives a code back when no SMS went out (the SMS budget was spent, the provider refused): the client may ask again at once. */
export async function refundCodeBudget(deps: Deps, taken: Budget[]): Promise<void> {
  await refundBudgets(deps, taken).catch((err: unknown) => deps.logger.warn('code budget not given back', { error: String(err) }));
}
