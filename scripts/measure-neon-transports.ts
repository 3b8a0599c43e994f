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
 * the HTTP endpoint calls `network.cross('postgres')` itself; WebSocket
 * traffic goes through a relay here that delays the upgrade handshake and
 * every message by the same one-way delay.
 */
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket, WebSocketServer } from 'ws';
import { BENCH_ENDPOINTS } from './bench-endpoints';
import { measure, resolveEndpoint, type Measurement } from './bench/measure';
import { benchWorkerBindings } from './bench/session';
import { startWebhookReceiver } from './bench/webhook-receiver';
import { startStack } from './stack/index';
import { network } from './stack/network';
import { startWorkerRunner, UNTRIPPABLE_RATE_LIMITS } from './stack/workerd-runner';

const PATHS = ['product-nocache', 'cart-add', 'order-create', 'webhook'];

/** A WebSocket relay in front of the stack's proxy: the handshake and every message wait the one-way delay. */
async function startDelayedWsRelay(target: string): Promise<{ address: string; close(): Promise<void> }> {
  const http: Server = createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    // The upgrade goes there and back before the first message.
    void network.cross('postgres').then(async () => {
      await network.wait('postgres');
      wss.handleUpgrade(req, socket, head, (client) => {
        const upstream = new WebSocket(`ws://${target}${req.url ?? ''}`);
        const early: Array<[Buffer, boolean]> = [];
        upstream.on('open', () => early.splice(0).forEach(([data, binary]) => upstream.send(data, { binary })));
        client.on('message', (data: Buffer, binary) => {
          void network.cross('postgres').then(() => {
            if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary });
            else if (upstream.readyState === WebSocket.CONNECTING) early.push([data, binary]);
          });
        });
        upstream.on('message', (data: Buffer, binary) => {
          void network.cross('postgres').then(() => client.readyState === WebSocket.OPEN && client.send(data, { binary }));
        });
        const closeBoth = () => {
          client.terminate();
          upstream.terminate();
        };
        client.on('close', closeBoth).on('error', closeBoth);
        upstream.on('close', closeBoth).on('error', closeBoth);
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

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
    const relay = await startDelayedWsRelay(stack.bindings.NEON_WS_PROXY);
    closers.unshift(() => relay.close());
    // The order loops of both Workers share their shoppers: no unpaid-orders cap between them.
    const bindings: Record<string, string> = { ...benchWorkerBindings(stack), NEON_WS_PROXY: relay.address, MAX_UNPAID_ORDERS: '1000' };
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
