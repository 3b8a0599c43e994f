import { ValidationFailed } from '../../shared/errors';
import type { Interval } from './schemas';

const DAY_MS = 86_400_000;
/** Ten years: beyond that a report is an export, not a dashboard figure. */
export const MAX_RANGE_DAYS = 3_660;
/** A series longer than a year of days is unreadable and costly to build. */
export const MAX_BUCKETS = 366;
export const DEFAULT_RANGE_DAYS = 30;

/** A UTC day range: the days as given, and the instants [start, end) the SQL filters on. */
export interface DayRange {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `from`/`to` are whole UTC days, both inclusive; missing ones default to the last 30 days. */
export function resolveRange(query: { from?: string; to?: string }, now = Date.now()): DayRange {
  const to = query.to ?? isoDay(now);
  const toMs = Date.parse(`${to}T00:00:00Z`);
  const from = query.from ?? isoDay(toMs - (DEFAULT_RANGE_DAYS - 1) * DAY_MS);
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  if (fromMs > toMs) throw new ValidationFailed([{ path: 'from', message: 'must not be after to' }], 'The range is empty: from is after to.');
  const days = (toMs - fromMs) / DAY_MS + 1;
  if (days > MAX_RANGE_DAYS) {
    throw new ValidationFailed([{ path: 'from', message: `the range may span at most ${MAX_RANGE_DAYS} days` }], `The range spans ${days} days.`);
  }
  return { from, to, start: new Date(fromMs), end: new Date(toMs + DAY_MS) };
}

/** How many buckets of `interval` the range touches (the first and last may be partial). */
export function bucketCount(range: DayRange, interval: Interval): number {
  const a = range.start;
  const b = new Date(range.end.getTime() - DAY_MS);
  if (interval === 'day') return (b.getTime() - a.getTime()) / DAY_MS + 1;
  if (interval === 'month') return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth()) + 1;
  // ISO weeks start on Monday (getUTCDay: Sunday = 0).
  const monday = (d: Date) => d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS;
  return (monday(b) - monday(a)) / (7 * DAY_MS) + 1;
}

export function checkBuckets(range: DayRange, interval: Interval): void {
  const n = bucketCount(range, interval);
  if (n > MAX_BUCKETS) {
    throw new ValidationFailed(
      [{ path: 'interval', message: `at most ${MAX_BUCKETS} buckets; this range has ${n} ${interval}s — use a wider interval or a shorter range` }],
      'Too many buckets for one series.',
    );
  }
}
