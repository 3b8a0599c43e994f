/** Latencies and errors per route for `npm run load`, and the report it prints and writes. */

export interface RouteFigures {
  route: string;
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  /** The first few distinct failures, to say why. */
  errorSamples: string[];
}

export interface LoadReport {
  at: string;
  runner: string;
  durationS: number;
  connections: number;
  users: number;
  products: number;
  database: string;
  redis: string;
  mix: Record<string, number>;
  totals: { requests: number; requestsPerSec: number; errors: number; checkouts: number; paidOrders: number };
  routes: RouteFigures[];
  invariants: { ok: boolean; checkedSkus: number; checkedOrders: number; violations: string[] };
}

const MAX_SAMPLES = 5;

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const round = (n: number) => Math.round(n * 10) / 10;

export class Recorder {
  private readonly latencies = new Map<string, number[]>();
  private readonly errors = new Map<string, { count: number; samples: Set<string> }>();
  private readonly webhooks = new Map<string, number>();

  /** One request of `route`; `error` says why it failed (absent when it succeeded). */
  record(route: string, ms: number, error?: string): void {
    const list = this.latencies.get(route) ?? [];
    list.push(ms);
    this.latencies.set(route, list);
    if (error === undefined) return;
    const entry = this.errors.get(route) ?? { count: 0, samples: new Set<string>() };
    entry.count++;
    if (entry.samples.size < MAX_SAMPLES) entry.samples.add(error);
    this.errors.set(route, entry);
  }

  /** A `payment_intent.succeeded` webhook the Worker accepted for this order. */
  webhookHandled(orderId: string): void {
    this.webhooks.set(orderId, (this.webhooks.get(orderId) ?? 0) + 1);
  }

  webhooksFor(orderId: string): number {
    return this.webhooks.get(orderId) ?? 0;
  }

  figures(elapsedS: number): RouteFigures[] {
    return [...this.latencies.entries()]
      .map(([route, samples]) => {
        const sorted = [...samples].sort((a, b) => a - b);
        const errors = this.errors.get(route);
        return {
          route,
          requests: samples.length,
          requestsPerSec: round(samples.length / elapsedS),
          p50Ms: round(percentile(sorted, 50)),
          p95Ms: round(percentile(sorted, 95)),
          p99Ms: round(percentile(sorted, 99)),
          errors: errors?.count ?? 0,
          errorSamples: [...(errors?.samples ?? [])],
        };
      })
      .sort((a, b) => b.requests - a.requests);
  }
}

export function printReport(report: LoadReport): void {
  const { totals } = report;
  console.log(
    `\n${report.runner}\n${report.connections} connections, ${report.users} shoppers, ${report.durationS} s, ` +
      `catalog of ${report.products} products; ${report.database}; ${report.redis}\n`,
  );
  console.log('| route | requests | req/s | p50 ms | p95 ms | p99 ms | errors |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of report.routes) {
    console.log(`| ${r.route} | ${r.requests} | ${r.requestsPerSec} | ${r.p50Ms} | ${r.p95Ms} | ${r.p99Ms} | ${r.errors} |`);
  }
  console.log(
    `\ntotal: ${totals.requests} requests, ${totals.requestsPerSec} req/s, ${totals.errors} errors; ` +
      `${totals.checkouts} checkouts placed, ${totals.paidOrders} orders paid`,
  );
  for (const r of report.routes.filter((r) => r.errors)) console.log(`  ${r.route}: ${r.errorSamples.join(' | ')}`);
  const inv = report.invariants;
  console.log(
    inv.ok
      ? `invariants: hold (${inv.checkedSkus} SKUs, ${inv.checkedOrders} orders)`
      : `invariants: ${inv.violations.length} VIOLATED\n  ${inv.violations.slice(0, 20).join('\n  ')}`,
  );
}
