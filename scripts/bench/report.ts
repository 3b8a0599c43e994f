/**
 * What `npm run bench` writes: bench/results.json (figures and the run's
 * metadata), bench/results.svg (the chart docs/performance.md shows) and the
 * table it prints.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundleSize } from './bundle';
import { renderChart } from './chart';
import type { Measurement } from './measure';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_PATH = path.join(ROOT, 'bench/results.json');
export const CHART_PATH = path.join(ROOT, 'bench/results.svg');

export interface BenchResult extends Measurement {
  baselineRequestsPerSec: number;
  /** The endpoint's entry in bench/round-trip-budget.json, when it has one. */
  dbRoundTripBudget?: number;
}

export interface BenchMachine {
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  workerd: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews the figures. */
  loadAverage: { start: number; end: number };
}

export interface BenchReport {
  /** One line: how the Worker ran and on what. */
  runner: string;
  at: string;
  machine: BenchMachine;
  settings: {
    /** Seconds of load per endpoint, after `warmupS` of unmeasured load. */
    durationS: number;
    warmupS: number;
    connections: number;
    /** Concurrent loops of the scenario endpoints (order-create, webhooks). */
    scenarioLoops: number;
    catalogProducts: number;
    postgres: string;
    redis: string;
  };
  /** The Worker bundle `wrangler deploy --dry-run` builds. */
  bundle: BundleSize;
  results: BenchResult[];
}

export async function writeReport(report: BenchReport): Promise<void> {
  await mkdir(path.dirname(RESULTS_PATH), { recursive: true });
  await writeFile(RESULTS_PATH, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(CHART_PATH, renderChart(report));
}

export function printTable(results: BenchResult[]): void {
  const rows = results.map((r) => [
    r.name,
    `${r.method} ${r.path}`,
    r.requestsPerSec.toFixed(1),
    `${((r.requestsPerSec / r.baselineRequestsPerSec) * 100).toFixed(0)}%`,
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    String(r.errors),
    String(r.dbRoundTrips),
    r.dbRoundTripBudget === undefined ? '-' : String(r.dbRoundTripBudget),
  ]);
  const head = ['endpoint', 'request', 'req/s', 'vs base', 'p50 ms', 'p99 ms', 'errors', 'db trips', 'budget'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
