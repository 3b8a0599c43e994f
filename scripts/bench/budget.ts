/**
 * The round-trip budget: bench/round-trip-budget.json names, for every
 * endpoint of scripts/bench-endpoints.ts, the most Postgres round trips one
 * request may make. Edge-to-database latency is the dominant cost of a
 * request (DESIGN.md §1), so a change that adds a query to an endpoint must
 * say so by raising its budget in the same change. Both `npm run bench` and
 * `npm run bench:round-trips` (CI) fail on a breach.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable } from './table';

export const BUDGET_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/round-trip-budget.json');

export type Budget = Map<string, number>;

export type BudgetStatus = 'ok' | 'under' | 'over' | 'missing';

export interface BudgetRow {
  name: string;
  request: string;
  measured: number;
  budget?: number;
  status: BudgetStatus;
}

export interface BudgetCheck {
  rows: BudgetRow[];
  /** Budget entries no endpoint answers to (renamed or removed endpoints). */
  stale: string[];
  ok: boolean;
}

/** Reads the table: `{"budgets": {"<endpoint name>": <max round trips>}}`. */
export async function loadBudget(file = BUDGET_PATH): Promise<Budget> {
  const raw = JSON.parse(await readFile(file, 'utf8')) as { budgets?: unknown };
  if (!raw.budgets || typeof raw.budgets !== 'object' || Array.isArray(raw.budgets)) {
    throw new Error(`${file}: expected {"budgets": {"<endpoint>": <max round trips>}}`);
  }
  const budget: Budget = new Map();
  for (const [name, max] of Object.entries(raw.budgets)) {
    if (!Number.isInteger(max) || (max as number) < 0) throw new Error(`${file}: budget of ${name} must be a non-negative integer (got ${JSON.stringify(max)})`);
    budget.set(name, max as number);
  }
  return budget;
}

/**
 * Compares measured round trips with the table. An endpoint over its budget,
 * or without an entry, fails; so does an entry for an endpoint that no longer
 * exists (`known`: every endpoint name, whether measured in this run or not).
 * One under its budget passes, with a hint to lower the budget.
 */
export function checkBudget(
  measured: Array<{ name: string; method: string; path: string; dbRoundTrips: number }>,
  budget: Budget,
  known: readonly string[],
): BudgetCheck {
  const rows = measured.map((m): BudgetRow => {
    const max = budget.get(m.name);
    return { name: m.name, request: `${m.method} ${m.path}`, measured: m.dbRoundTrips, budget: max, status: budgetStatus(m.dbRoundTrips, max) };
  });
  const stale = [...budget.keys()].filter((name) => !known.includes(name));
  return { rows, stale, ok: stale.length === 0 && rows.every((r) => withinBudget(r.status)) };
}

/** A measured count against its budget (none: `missing`). */
export function budgetStatus(measured: number, max: number | undefined): BudgetStatus {
  return max === undefined ? 'missing' : measured > max ? 'over' : measured < max ? 'under' : 'ok';
}

export const withinBudget = (status: BudgetStatus) => status === 'ok' || status === 'under';

const NOTE: Record<BudgetStatus, string> = {
  ok: '',
  under: 'under budget: lower it in bench/round-trip-budget.json',
  over: 'OVER BUDGET',
  missing: 'NO BUDGET: add it to bench/round-trip-budget.json',
};

export function printBudget(check: BudgetCheck): void {
  const rows = check.rows.map((r) => [r.name, r.request, String(r.measured), r.budget === undefined ? '-' : String(r.budget), NOTE[r.status]]);
  const head = ['endpoint', 'request', 'db trips', 'budget', ''];
  for (const line of formatTable(head, rows, (i) => i === 2 || i === 3)) console.log(line);
  for (const name of check.stale) console.log(`stale budget entry: ${name} (no such endpoint in scripts/bench-endpoints.ts)`);
}
