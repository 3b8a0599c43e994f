/**
 * What `npm run bench` writes: bench/results.json (figures and the run's
 * metadata), bench/results.svg (the chart docs/performance.md shows) and the
 * table it prints.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart } from './chart';
import { formatTable } from './table';
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

/**
 * The results as a Markdown table; with a latency profile, each endpoint's
 * requests/s, p50 and p99 under it follow its zero-latency figures.
 */
export function printTable(results: BenchResult[], profile?: string): void {
  const share = (rps: number, base: number) => `${((rps / base) * 100).toFixed(0)}%`;
  const rows = results.map((r) => [
    r.name,
    `${r.method} ${r.path}`,
    r.requestsPerSec.toFixed(1),
    share(r.requestsPerSec, r.baselineRequestsPerSec),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    ...(profile
      ? [
          r.underLatency?.requestsPerSec.toFixed(1) ?? '-',
          r.underLatency ? share(r.underLatency.requestsPerSec, r.underLatency.baselineRequestsPerSec) : '-',
          r.underLatency?.p50Ms.toFixed(1) ?? '-',
          r.underLatency?.p99Ms.toFixed(1) ?? '-',
        ]
      : []),
    String(r.errors + (r.underLatency?.errors ?? 0)),
    String(r.dbRoundTrips),
    r.dbRoundTripBudget === undefined ? '-' : String(r.dbRoundTripBudget),
  ]);
  const head = [
    'endpoint',
    'request',
    'req/s',
    'vs base',
    'p50 ms',
    'p99 ms',
    ...(profile ? [`req/s ${profile}`, 'vs base', `p50 ms ${profile}`, `p99 ms ${profile}`] : []),
    'errors',
    'db trips',
    'budget',
  ];
  for (const line of formatTable(head, rows, (i) => i >= 2, true)) console.log(line);
}
