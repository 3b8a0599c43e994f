/**
 * Stands between the Stripe stand-in and the Worker during `npm run load`:
 * forwards each signed webhook untouched (raw body and Stripe-Signature),
 * answers the stand-in with the Worker's status (so its retries work as
 * Stripe's do), and times the delivery as `POST /webhooks/stripe`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Recorder } from './stats';

export interface WebhookRelay {
  url: string;
  close(): Promise<void>;
}

export async function startWebhookRelay(workerUrl: string, recorder: Recorder): Promise<WebhookRelay> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const t0 = performance.now();
      let status = 502;
      try {
        const answer = await fetch(`${workerUrl}/api/v1/webhooks/stripe`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': String(req.headers['stripe-signature'] ?? '') },
          body,
        });
        status = answer.status;
        const text = await answer.text();
        recorder.record('POST /webhooks/stripe', performance.now() - t0, status === 200 ? undefined : `${status} ${text.slice(0, 200)}`);
        const event = JSON.parse(body) as { type?: string; data?: { object?: { metadata?: { order_id?: string } } } };
        const orderId = event.data?.object?.metadata?.order_id;
        if (status === 200 && event.type === 'payment_intent.succeeded' && orderId) recorder.webhookHandled(orderId);
      } catch (err) {
        recorder.record('POST /webhooks/stripe', performance.now() - t0, String(err));
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/stripe`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
