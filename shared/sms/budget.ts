import { dataPoint, writePoint } from '../analytics';
import type { Deps } from '../context';
import type { Config } from '../env';
import { SmsBudgetExhausted, SmsUnavailable } from '../errors';
import { type Budget, consumeBudgets, refundBudgets } from '../rate-limit';
import { redisKey } from '../redis';

/** The alert's stable name: logged at error level and written as an analytics point (docs/notifications.md). */
export const SMS_BUDGET_ALERT = 'sms_budget_exhausted';

/** The prefix budget that covers `to`: the longest configured prefix it starts with, else `*`. */
export function prefixBudgetOf(config: Pick<Config, 'SMS_PREFIX_BUDGETS'>, to: string): { prefix: string; limit: number } | undefined {
  const matching = config.SMS_PREFIX_BUDGETS.filter((b) => b.prefix !== '*' && to.startsWith(b.prefix)).sort((a, b) => b.prefix.length - a.prefix.length);
  return matching[0] ?? config.SMS_PREFIX_BUDGETS.find((b) => b.prefix === '*');
}

const utcDay = (now: Date) => now.toISOString().slice(0, 10);
const secondsToMidnight = (now: Date) => Math.max(1, Math.ceil((Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000));

/** The day's buckets an SMS to `to` takes from: the deployment's, and its prefix's (a number no budget covers gets none: limit 0). */
export function smsBudgetsFor(config: Config, to: string, now = new Date()): Array<Budget & { scope: string }> {
  const day = utcDay(now);
  const prefix = prefixBudgetOf(config, to);
  return [
    { scope: 'deployment', key: redisKey(config, 'sms', 'budget', day, 'all'), limit: config.SMS_DAILY_BUDGET },
    { scope: prefix?.prefix ?? 'unlisted', key: redisKey(config, 'sms', 'budget', day, prefix?.prefix ?? 'unlisted'), limit: prefix?.limit ?? 0 },
  ];
}

/**
 * Takes one SMS from today's budgets, atomically (the rate limiter's
 * all-or-nothing script), before anything is sent. Spent → an alert and
 * SmsBudgetExhausted (503); Redis unreachable → SmsUnavailable (503): a
 * budget we cannot check is not spent blind.
 */
export async function takeSmsBudget(deps: Deps, to: string, now = new Date()): Promise<Budget[]> {
  const budgets = smsBudgetsFor(deps.config, to, now);
  let result;
  try {
    result = await consumeBudgets(deps, budgets, secondsToMidnight(now));
  } catch (err) {
    deps.logger.error('sms budget could not be checked; nothing sent', { error: String(err) });
    throw new SmsUnavailable('budget_unavailable', err);
  }
  if (result.allowed) return budgets;
  const scope = await spentScope(deps, budgets);
  deps.logger.error('sms budget exhausted; SMS refused until it renews', {
    alert: SMS_BUDGET_ALERT,
    scope,
    day: utcDay(now),
    limits: Object.fromEntries(budgets.map((b) => [b.scope, b.limit])),
  });
  writePoint(deps.env.ANALYTICS, dataPoint(SMS_BUDGET_ALERT, { kind: SMS_BUDGET_ALERT, status: scope }, {}));
  throw new SmsBudgetExhausted(scope, result.retryAfterSeconds);
}

/** Gives the SMS back (the provider did not take it, so it cost nothing). Best effort. */
export async function refundSmsBudget(deps: Deps, budgets: Budget[]): Promise<void> {
  await refundBudgets(deps, budgets).catch((err: unknown) => deps.logger.warn('sms budget refund failed', { error: String(err) }));
}

/** Which bucket is spent, for the alert (read after the refusal: the order of the two reads does not matter). */
async function spentScope(deps: Deps, budgets: Array<Budget & { scope: string }>): Promise<string> {
  for (const b of budgets) {
    const used = Number((await deps.redis.get<number | string>(b.key).catch(() => null)) ?? 0);
    if (used >= b.limit) return b.scope;
  }
  return budgets.map((b) => b.scope).join('+');
}
