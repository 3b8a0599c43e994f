/**
 * A tiny local webhook endpoint for the bench: the Stripe stand-in posts its
 * signed events here (not to the Worker), and the bench keeps the
 * `payment_intent.succeeded` ones, raw body and Stripe-Signature as sent, to
 * deliver them to the Worker under load later.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedEvent {
  id: string;
  type: string;
  /** The raw body, byte for byte as Stripe signed it. */
  body: string;
  signature: string;
  /** When it was captured (ms): signatures expire after 5 minutes. */
  at: number;
  /** The order of a payment_intent event (metadata.order_id). */
  orderId?: string;
}

export interface WebhookReceiver {
  url: string;
  /** Captured events of these types, oldest first, each id once (retries and duplicates dropped). */
  take(types: ReadonlySet<string>): CapturedEvent[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const captured = new Map<string, CapturedEvent>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['stripe-signature'];
      try {
        const event = JSON.parse(body) as { id?: string; type?: string; data?: { object?: { metadata?: { order_id?: string } } } };
        if (event.id && event.type && typeof signature === 'string' && !captured.has(event.id)) {
          captured.set(event.id, {
            id: event.id,
            type: event.type,
            body,
            signature,
            at: Date.now(),
            orderId: event.data?.object?.metadata?.order_id,
          });
        }
      } catch {
        // Not an event: acknowledged and ignored.
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"received":true}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/stripe`,
    take(types) {
      const out: CapturedEvent[] = [];
      for (const [id, event] of captured) {
        if (!types.has(event.type)) continue;
        out.push(event);
        captured.delete(id);
      }
      return out;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
