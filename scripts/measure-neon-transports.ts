/**
 * Neon over HTTP against Neon over WebSockets, per path, under a one-way
 * distance to Postgres (docs/performance.md, "Neon over HTTP and over
 * WebSockets"):
 *
 *   npx tsx scripts/measure-neon-transports.ts [--delay 45] [--seconds 6] [--connections 4]
 *
 * One stack, two bundled Workers: one with NEON_HTTP_ENDPOINT (single
 * statements over HTTP, transactions over WebSockets), one without (every
 * statement over WebSockets). Every Postgres message crosses the distance:
 * the HTTP endpoint and the WebSocket proxy both pass each message through
 * `network.cross('postgres')` (scripts/stack/network.ts).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_ENDPOINTS } from './bench-endpoints';
import { measure, resolveEndpoint, type Measurement } from './bench/measure';
import { benchWorkerBindings } from './bench/session';
import { startWebhookReceiver } from './bench/webhook-receiver';
import { startStack } from './stack/index';
import { network } from './stack/network';
import { startWorkerRunner, UNTRIPPABLE_RATE_LIMITS } from './stack/workerd-runner';

const PATHS = ['product-nocache', 'cart-add', 'order-create', 'webhook'];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { delay: { type: 'string', default: '45' }, seconds: { type: 'string', default: '6' }, connections: { type: 'string', default: '4' } },
  });
  const delay = Number(values.delay);
  const log = (line: string) => console.error(`[neon-transports] ${line}`);
  const stack = await startStack({ seed: true, catalogProducts: 200, log });
  const closers: Array<() => Promise<void>> = [() => stack.close()];
  try {
    const receiver = await startWebhookReceiver();
    closers.unshift(() => receiver.close());
    stack.stripe?.setWebhookUrl(receiver.url);
    // The order loops of both Workers share their shoppers: no unpaid-orders cap between them.
    const bindings: Record<string, string> = { ...benchWorkerBindings(stack) };
    const wsOnly = Object.fromEntries(Object.entries(bindings).filter(([name]) => name !== 'NEON_HTTP_ENDPOINT'));
    const outDir = (name: string) => path.resolve('bench/out', `bundle-${name}`);
    const transports = [
      { name: 'http', runner: await startWorkerRunner({ bindings, outDir: outDir('http'), ratelimits: UNTRIPPABLE_RATE_LIMITS }) },
      { name: 'websocket', runner: await startWorkerRunner({ bindings: wsOnly, outDir: outDir('ws'), ratelimits: UNTRIPPABLE_RATE_LIMITS }) },
    ];
    for (const t of transports) closers.unshift(() => t.runner.close());

    network.setDelay('postgres', delay);
    log(`postgres one-way delay ${delay} ms`);
    const rows: Array<Measurement & { transport: string }> = [];
    for (const name of PATHS) {
      const entry = BENCH_ENDPOINTS.find((e) => e.name === name);
      if (!entry) throw new Error(`no bench endpoint ${name}`);
      for (const t of transports) {
        const ctx = {
          baseUrl: t.runner.url,
          connections: Number(values.connections),
          durationS: Number(values.seconds),
          warmupS: 1,
          stripe: stack.stripe,
          receiver,
          stopped: () => false,
        };
        const m = await measure(ctx, await resolveEndpoint(t.runner.url, entry));
        log(`${name} over ${t.name}: p50 ${m.p50Ms} ms, p99 ${m.p99Ms} ms, ${m.requestsPerSec} req/s, ${m.dbRoundTrips} statements, ${m.errors} errors`);
        rows.push({ ...m, transport: t.name });
      }
    }
    console.log(`\nPostgres one-way delay ${delay} ms, ${values.connections} connections, ${values.seconds} s per path\n`);
    console.log('| path | transport | p50 ms | p99 ms | req/s | statements | errors |');
    console.log('|---|---|---:|---:|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.name} | ${r.transport} | ${r.p50Ms} | ${r.p99Ms} | ${r.requestsPerSec} | ${r.dbRoundTrips} | ${r.errors} |`);
  } finally {
    network.setDelay('postgres', 0);
    for (const close of closers) await close().catch((err: unknown) => log(`close failed: ${String(err)}`));
  }
}

await main();
