import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { WebSocketServer } from 'ws';

/** The Postgres wire protocol's Terminate message: 'X' and a length of 4. */
const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);

export interface WsProxyHandle {
  /** host:port, the value of NEON_WS_PROXY. */
  address: string;
  close(): Promise<void>;
}

/**
 * The Neon serverless driver speaks the Postgres wire protocol over a
 * WebSocket. Neon's edge terminates it; locally this proxy does the same:
 * `ws://host:port/v2?address=pghost:pgport` is piped to a TCP socket.
 */
export async function startWsProxy(options: { host?: string; port?: number } = {}): Promise<WsProxyHandle> {
  const host = options.host ?? '127.0.0.1';
  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' }).end('WebSocket upgrade required\n');
  });
  const wss = new WebSocketServer({ server: http, path: '/v2' });
  wss.on('connection', (ws, req) => {
    const target = new URL(req.url ?? '', 'http://proxy').searchParams.get('address') ?? '';
    const match = /^(.+):(\d+)$/.exec(target);
    if (!match) {
      ws.close(1008, 'address=host:port required');
      return;
    }
    const socket = connect(Number(match[2]), match[1]);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => ws.readyState === ws.OPEN && ws.send(chunk));
    socket.on('error', () => ws.close(1011, 'upstream error'));
    socket.on('close', () => ws.close());
    ws.on('message', (data) => {
      const bytes = data as Buffer;
      socket.write(bytes);
      // A Terminate message ends the session. Postgres then closes the socket
      // itself; PGlite's socket server does not, so close it here, or every
      // request would leave a connection behind.
      if (bytes.length === TERMINATE.length && bytes.equals(TERMINATE)) socket.end();
    });
    ws.on('close', () => socket.destroy());
    ws.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, host, resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    address: `${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
      for (const client of wss.clients) client.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
