/**
 * The network-call budget: bench/network-budget.json names, for every
 * endpoint of scripts/bench-endpoints.ts, the most calls of each kind one
 * request may make (scripts/bench/network-calls.ts; a kind the entry does not
 * name: none). Like the round-trip budget (budget.ts), `npm run bench` and
 * `npm run bench:round-trips` (CI) fail when an endpoint exceeds its budget in
 * any kind, or has no entry.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BudgetStatus, budgetStatus, withinBudget } from './budget';
import { KIND_TITLE, NETWORK_KINDS, type NetworkCalls, type NetworkKind } from './network-calls';
import { formatTable } from './table';

export const NETWORK_BUDGET_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/network-budget.json');

export type NetworkBudget = Map<string, NetworkCalls>;

/** `unmeasured`: a scenario that does not count its probe's calls. */
export type NetworkStatus = BudgetStatus | 'unmeasured';

export interface NetworkBudgetRow {
  name: string;
  request: string;
  calls?: NetworkCalls;
  budget?: NetworkCalls;
  status: NetworkStatus;
  /** The kinds over budget. */
  over: NetworkKind[];
}

export interface NetworkBudgetCheck {
  rows: NetworkBudgetRow[];
  stale: string[];
  ok: boolean;
}

/** Reads `{"budgets": {"<endpoint>": {"redis": 1, "durableObjects": 2}}}`. */
export async function loadNetworkBudget(file = NETWORK_BUDGET_PATH): Promise<NetworkBudget> {
  const raw = JSON.parse(await readFile(file, 'utf8')) as { budgets?: unknown };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(raw.budgets)) throw new Error(`${file}: expected {"budgets": {"<endpoint>": {"<kind>": <max calls>}}}`);
  const budget: NetworkBudget = new Map();
  for (const [name, entry] of Object.entries(raw.budgets)) {
    if (!isObject(entry)) throw new Error(`${file}: the budget of ${name} must be an object of kinds (${NETWORK_KINDS.join(', ')})`);
    const calls = Object.fromEntries(NETWORK_KINDS.map((k) => [k, 0])) as NetworkCalls;
    for (const [kind, max] of Object.entries(entry)) {
      if (!(NETWORK_KINDS as readonly string[]).includes(kind)) throw new Error(`${file}: ${name}: unknown kind ${kind} (kinds: ${NETWORK_KINDS.join(', ')})`);
      if (!Number.isInteger(max) || (max as number) < 0) throw new Error(`${file}: ${name}.${kind} must be a non-negative integer (got ${JSON.stringify(max)})`);
      calls[kind as NetworkKind] = max as number;
    }
    budget.set(name, calls);
  }
  return budget;
}

/**
 * Compares each endpoint's calls with its entry, kind by kind: over in any
 * kind, no entry, or no count fails; so does an entry for an endpoint that no
 * longer exists (`known`: every endpoint name).
 */
export function checkNetworkBudget(
  measured: Array<{ name: string; method: string; path: string; calls?: NetworkCalls }>,
  budget: NetworkBudget,
  known: readonly string[],
): NetworkBudgetCheck {
  const rows = measured.map((m): NetworkBudgetRow => {
    const max = budget.get(m.name);
    const request = `${m.method} ${m.path}`;
    if (!m.calls) return { name: m.name, request, budget: max, status: 'unmeasured', over: [] };
    const calls = m.calls;
    const statuses = NETWORK_KINDS.map((k) => budgetStatus(calls[k], max?.[k]));
    const status: NetworkStatus = (['missing', 'over', 'under'] as const).find((s) => statuses.includes(s)) ?? 'ok';
    return { name: m.name, request, calls, budget: max, status, over: NETWORK_KINDS.filter((_, i) => statuses[i] === 'over') };
  });
  const stale = [...budget.keys()].filter((name) => !known.includes(name));
  return { rows, stale, ok: stale.length === 0 && rows.every((r) => r.status !== 'unmeasured' && withinBudget(r.status)) };
}

const note = (r: NetworkBudgetRow): string =>
  ({
    ok: '',
    under: 'under budget: lower it in bench/network-budget.json',
    over: `OVER BUDGET: ${r.over.join(', ')}`,
    missing: 'NO BUDGET: add it to bench/network-budget.json',
    unmeasured: 'NOT COUNTED: the scenario must count its probe (countCalls)',
  })[r.status];

/** One cell per kind: `2` within budget, `3/2` when it differs from the budget. */
export function printNetworkBudget(check: NetworkBudgetCheck): void {
  const rows = check.rows.map((r) => [
    r.name,
    ...NETWORK_KINDS.map((k) => {
      const n = r.calls?.[k];
      const max = r.budget?.[k];
      if (n === undefined) return '?';
      return max === undefined || max === n ? String(n) : `${n}/${max}`;
    }),
    note(r),
  ]);
  const head = ['endpoint', ...NETWORK_KINDS.map((k) => KIND_TITLE[k]), ''];
  for (const line of formatTable(head, rows, (i) => i > 0 && i <= NETWORK_KINDS.length)) console.log(line);
  for (const name of check.stale) console.log(`stale budget entry: ${name} (no such endpoint in scripts/bench-endpoints.ts)`);
}
