/**
 * What `npm run bench` writes: bench/results.json (figures and the run's
 * metadata), bench/results.svg (the chart docs/performance.md shows) and the
 * table it prints.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart } from './chart';
import type { BenchReport, BenchResult } from './types';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_PATH = path.join(ROOT, 'bench/results.json');
export const CHART_PATH = path.join(ROOT, 'bench/results.svg');

export type { BenchMachine, BenchReport, BenchResult } from './types';

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
