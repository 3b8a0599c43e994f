import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmailStandin } from '../../scripts/stack/email-standin';
import { network } from '../../scripts/stack/network';
import { startStripeStandin } from '../../scripts/stack/stripe-standin';
import { startUpstashRest } from '../../scripts/stack/upstash-rest';
import { startWsProxy, wsProxyConnections, type WsProxyHandle } from '../../scripts/stack/ws-proxy';

/**
 * The stand-ins put the network model (scripts/stack/network.ts) between the
 * Worker and the services: each call is counted by kind, and held its one-way
 * delay on the way in and on the way out. Elapsed times are checked from below
 * only: the delay is the feature, and a busy machine may add to it.
 */

const DELAY = 60;

afterEach(() => network.setDelay('postgres', 0));
afterEach(() => network.setDelay('redis', 0));

describe('the Neon WebSocket proxy', () => {
  let echo: TcpServer;
  let proxy: WsProxyHandle;
  let target = '';

  beforeAll(async () => {
    // Stands in for Postgres: answers every byte it gets.
    echo = createTcpServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const address = echo.address();
    target = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    proxy = await startWsProxy();
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => echo.close(resolve));
  });

  async function open(): Promise<WebSocket> {
    const ws = new WebSocket(`ws://${proxy.address}/v2?address=${target}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return ws;
  }

  /** Sends `messages` and resolves with every byte echoed, once `expected` bytes came back. */
  function exchange(ws: WebSocket, messages: string[]): Promise<string> {
    const expected = messages.join('').length;
    let received = '';
    return new Promise((resolve) => {
      ws.on('message', (data: Buffer) => {
        received += data.toString();
        if (received.length >= expected) resolve(received);
      });
      for (const m of messages) ws.send(Buffer.from(m));
    });
  }

  it('holds the upgrade and each message the one-way delay in each direction, counting client messages and connections', async () => {
    network.setDelay('postgres', DELAY);
    const before = network.snapshot().postgres;
    const connections = wsProxyConnections();
    const started = performance.now();
    const ws = await open();
    const opened = performance.now();
    expect(opened - started).toBeGreaterThanOrEqual(2 * DELAY - 1);
    expect(wsProxyConnections()).toBe(connections + 1);

    expect(await exchange(ws, ['query'])).toBe('query');
    expect(performance.now() - opened).toBeGreaterThanOrEqual(2 * DELAY - 1);
    expect(network.snapshot().postgres - before).toBe(1);
    ws.close();
  });

  it('keeps the order of messages sent back to back, each delayed once (not one after another)', async () => {
    network.setDelay('postgres', DELAY);
    const ws = await open();
    const before = network.snapshot().postgres;
    const parts = Array.from({ length: 20 }, (_, i) => `<${i}>`);
    const sent = performance.now();
    expect(await exchange(ws, parts)).toBe(parts.join(''));
    expect(performance.now() - sent).toBeGreaterThanOrEqual(2 * DELAY - 1);
    expect(network.snapshot().postgres - before).toBe(parts.length);
    ws.close();
  });

  it('passes messages straight through at zero delay, still counting them', async () => {
    const ws = await open();
    const before = network.snapshot().postgres;
    expect(await exchange(ws, ['a', 'b'])).toBe('ab');
    expect(network.snapshot().postgres - before).toBe(2);
    ws.close();
  });
});

describe('the Upstash endpoint', () => {
  const token = 'network-latency-test';
  let server: Awaited<ReturnType<typeof startUpstashRest>>;
  beforeAll(async () => {
    server = await startUpstashRest({ token });
  });
  afterAll(() => server.close());

  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

  it('counts one call per HTTP request: a pipeline and a transaction are one call each', async () => {
    const before = network.snapshot().redis;
    expect((await post('/', ['SET', 'nl:a', '1'])).status).toBe(200);
    expect(network.snapshot().redis - before).toBe(1);
    const pipeline = await post('/pipeline', [['SET', 'nl:b', '2'], ['GET', 'nl:a'], ['GET', 'nl:b']]);
    expect(await pipeline.json()).toEqual([{ result: 'OK' }, { result: '1' }, { result: '2' }]);
    expect(network.snapshot().redis - before).toBe(2);
    expect((await post('/multi-exec', [['INCR', 'nl:c'], ['INCR', 'nl:c']])).status).toBe(200);
    expect(network.snapshot().redis - before).toBe(3);
  });

  it('costs a round trip: held the one-way delay before handling and again before answering', async () => {
    network.setDelay('redis', DELAY);
    const started = performance.now();
    const res = await post('/pipeline', [['SET', 'nl:d', 'x'], ['GET', 'nl:d']]);
    expect(await res.json()).toEqual([{ result: 'OK' }, { result: 'x' }]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * DELAY - 1);
  });
});

describe('the provider stand-ins', () => {
  it('Stripe: an API request is a stripe call; the 3-D Secure page a person opens is not', async () => {
    const stripe = await startStripeStandin();
    try {
      const before = network.snapshot().stripe;
      await (await fetch(`${stripe.url}/v1/payment_intents/pi_missing`, { headers: { authorization: `Bearer ${stripe.apiKey}` } })).text();
      expect(network.snapshot().stripe - before).toBe(1);
      await (await fetch(`${stripe.url}/standin/authenticate/pi_missing`)).text();
      expect(network.snapshot().stripe - before).toBe(1);
    } finally {
      await stripe.close();
    }
  });

  it('email: a send is an email call; the tests\' control routes are not', async () => {
    const email = await startEmailStandin();
    try {
      const before = network.snapshot().email;
      const send = await fetch(`${email.url}/emails`, {
        method: 'POST',
        headers: { authorization: `Bearer ${email.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'shop@example.com', to: 'a@example.com', subject: 'Hi', text: 'Hello' }),
      });
      expect(send.status).toBe(200);
      await (await fetch(`${email.url}/control/requests`)).text();
      expect(network.snapshot().email - before).toBe(1);
    } finally {
      await email.close();
    }
  });
});
