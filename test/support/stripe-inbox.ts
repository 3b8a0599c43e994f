import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StripeStandin } from '../../scripts/stack/stripe-standin';

/**
 * Node side of the test suite's Stripe webhooks. The Worker under test has no
 * port of its own, so the stand-in delivers its signed webhooks here; tests
 * (inside workerd) read them and forward them, body and Stripe-Signature
 * untouched, to the Worker — what `stripe listen --forward-to` does. The same
 * server lets tests steer the stand-in (faults, delivery order).
 */
export interface InboxEntry {
  id: string;
  type: string;
  paymentIntent: string | null;
  body: string;
  signature: string;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

function paymentIntentOf(body: string): string | null {
  const object = (JSON.parse(body) as { data?: { object?: { object?: string; id?: string; payment_intent?: string } } }).data?.object;
  if (!object) return null;
  return object.object === 'payment_intent' ? (object.id ?? null) : (object.payment_intent ?? null);
}

export async function startStripeInbox(standin: StripeStandin): Promise<{ url: string; close(): Promise<void> }> {
  const entries: InboxEntry[] = [];
  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://inbox');
      const body = await readBody(req);
      const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.method === 'POST' && url.pathname === '/webhook') {
        const event = JSON.parse(body) as { id: string; type: string };
        entries.push({ id: event.id, type: event.type, paymentIntent: paymentIntentOf(body), body, signature: String(req.headers['stripe-signature'] ?? '') });
        return json(200, { received: true });
      }
      if (req.method === 'GET' && url.pathname === '/events') {
        await standin.idle();
        const pi = url.searchParams.get('paymentIntent');
        return json(200, entries.filter((e) => !pi || e.paymentIntent === pi));
      }
      if (req.method === 'POST' && url.pathname === '/control/fail-next') {
        const { count, kind, match } = JSON.parse(body) as { count: number; kind?: '500' | 'timeout'; match?: string };
        standin.failNext(count, kind, match);
        return json(200, { ok: true });
      }
      return json(404, { error: 'not found' });
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  standin.setWebhookUrl(`${url}/webhook`);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
