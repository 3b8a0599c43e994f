import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';

/**
 * A stand-in for an integrator's webhook endpoint, run in Node by the global
 * setup (workerd can fetch 127.0.0.1 ports). It records every request and
 * answers according to the first path segment, so each test picks a
 * behaviour by the URL it registers (and a unique rest of the path keeps
 * tests apart):
 *   /ok/...        200
 *   /fail-N/...    500 for the first N requests of each delivery (UltraMarket-Delivery-Id)
 *                  to that exact path, then 200
 *   /always-500/...500 (any /status-NNN/... answers NNN)
 *   /slow-MS/...   200 after MS milliseconds
 * Control: GET /_control/requests?path=/ok/abc → the recorded requests.
 */
export interface ReceivedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  at: number;
}

function behaviourOf(path: string, seen: number): { status: number; delayMs: number } {
  const head = path.split('/')[1] ?? '';
  const fail = /^fail-(\d+)$/.exec(head);
  if (fail) return { status: seen < Number(fail[1]) ? 500 : 200, delayMs: 0 };
  if (head === 'always-500') return { status: 500, delayMs: 0 };
  const status = /^status-(\d{3})$/.exec(head);
  if (status) return { status: Number(status[1]), delayMs: 0 };
  const slow = /^slow-(\d+)$/.exec(head);
  return { status: 200, delayMs: slow ? Number(slow[1]) : 0 };
}

export async function startWebhookReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const body = await text(req);
    if (req.method === 'GET' && url.pathname === '/_control/requests') {
      const path = url.searchParams.get('path');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received.filter((r) => !path || r.path === path)));
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    // Counted per delivery, so a stray delivery to the same path cannot use up another's failures.
    const delivery = headers['ultramarket-delivery-id'];
    const seen = received.filter((r) => r.path === url.pathname && r.headers['ultramarket-delivery-id'] === delivery).length;
    const { status, delayMs } = behaviourOf(url.pathname, seen);
    received.push({ path: url.pathname, headers, body, status, at: Date.now() });
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (!res.destroyed) res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver says no');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
