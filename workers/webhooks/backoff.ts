/**
 * When a failed webhook delivery is tried again. Pure, so the schedule is
 * tested on its own and documented in docs/webhooks.md.
 */

/** Retries stop once this much time has passed since the delivery was created. */
export const RETRY_BUDGET_SECONDS = 24 * 60 * 60;

/** The first retry waits a minute; each one after that waits twice as long... */
export const FIRST_RETRY_SECONDS = 60;

/** ...up to six hours (Cloudflare Queues delay a message by at most 12 hours). */
export const MAX_RETRY_SECONDS = 6 * 60 * 60;

/** A retry sooner than this before the deadline is not worth a separate attempt. */
const MIN_RETRY_SECONDS = 30;

/** The wait after the `attempt`-th failed try (1-based): 60 s, 120 s, 240 s, ... capped at 6 h. */
export function backoffSeconds(attempt: number): number {
  return Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempt - 1));
}

/**
 * Seconds to wait before trying a delivery again after its `attempts`-th
 * failure, or null when the 24-hour budget is spent. The last retry is pulled
 * in to land on the deadline rather than be skipped.
 */
export function nextRetryDelay(attempts: number, elapsedSeconds: number): number | null {
  const remaining = RETRY_BUDGET_SECONDS - elapsedSeconds;
  if (remaining < MIN_RETRY_SECONDS) return null;
  return Math.ceil(Math.min(backoffSeconds(attempts), remaining));
}
