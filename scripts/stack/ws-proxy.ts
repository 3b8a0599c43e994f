import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { WebSocketServer } from 'ws';
import { network } from './network';

/** The Postgres wire protocol's Terminate message: 'X' and a length of 4. */
const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);

/**
 * Fault injection for tests: a statement whose bound values contain this
 * marker commits, but its connection is cut before the answer reaches the
 * client, as when a network path drops after Postgres committed.
 */
export const LOSE_ANSWER_MARKER = 'fault:lose-answer-after-commit';

/**
 * Reads framed backend messages (type byte, int32 length including itself)
 * and decides each one's fate once the connection is armed: forwarded until
 * an INSERT's CommandComplete, withheld from then on, and at the next
 * ReadyForQuery (the implicit transaction has committed) the link is cut.
 */
class AnswerLoser {
  private pending = Buffer.alloc(0);
  private withholding = false;

  /** Returns the bytes to forward, and whether to cut the connection now. */
  take(chunk: Buffer): { forward: Buffer; cut: boolean } {
    this.pending = Buffer.concat([this.pending, chunk]);
    const forward: Buffer[] = [];
    while (this.pending.length >= 5) {
      const length = this.pending.readInt32BE(1) + 1;
      if (this.pending.length < length) break;
      const message = this.pending.subarray(0, length);
      this.pending = this.pending.subarray(length);
      const type = String.fromCharCode(message[0] ?? 0);
      if (!this.withholding && type === 'C' && message.subarray(5).toString('utf8').startsWith('INSERT')) this.withholding = true;
      if (this.withholding && type === 'Z') return { forward: Buffer.concat(forward), cut: true };
      if (!this.withholding) forward.push(message);
    }
    return { forward: Buffer.concat(forward), cut: false };
  }
}

/**
 * One direction of a proxied connection under the network model: each message
 * is held the postgres one-way delay from when it arrived, and messages (and
 * the close after them) leave in the order they came.
 */
function lane(): (deliver: () => void) => void {
  let tail = Promise.resolve();
  let queued = 0;
  return (deliver) => {
    if (queued === 0 && network.delayOf('postgres') === 0) return deliver();
    queued++;
    const crossed = network.wait('postgres');
    tail = tail
      .then(() => crossed)
      .then(() => {
        queued--;
        deliver();
      });
  };
}

let connectionsOpened = 0;

/**
 * WebSocket connections the proxies of this process have accepted (the stack
 * runs in one process, like `network`): the bench reads it around a request
 * to report how many new Postgres connections the request opened.
 */
export const wsProxyConnections = (): number => connectionsOpened;

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
export async function startWsProxy(options: { host?: string; port?: number; loseMarkedAnswers?: boolean } = {}): Promise<WsProxyHandle> {
  const host = options.host ?? '127.0.0.1';
  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' }).end('WebSocket upgrade required\n');
  });
  const wss = new WebSocketServer({
    server: http,
    path: '/v2',
    // The upgrade is a round trip before the first message (TCP and TLS
    // handshakes, which a hosted proxy adds, are not modelled).
    verifyClient: (_info, accept) => {
      connectionsOpened++;
      void network
        .wait('postgres')
        .then(() => network.wait('postgres'))
        .then(() => accept(true));
    },
  });
  wss.on('connection', (ws, req) => {
    const target = new URL(req.url ?? '', 'http://proxy').searchParams.get('address') ?? '';
    const match = /^(.+):(\d+)$/.exec(target);
    if (!match) {
      ws.close(1008, 'address=host:port required');
      return;
    }
    const socket = connect(Number(match[2]), match[1]);
    socket.setNoDelay(true);
    let loser: AnswerLoser | undefined;
    // Every message crosses the network one way (network.ts); a client
    // message is one 'postgres' call.
    const toClient = lane();
    const toServer = lane();
    socket.on('data', (chunk) =>
      toClient(() => {
        if (ws.readyState !== ws.OPEN) return;
        if (!loser) return ws.send(chunk);
        const { forward, cut } = loser.take(chunk);
        if (forward.length) ws.send(forward);
        if (cut) {
          ws.terminate();
          socket.destroy();
        }
      }),
    );
    socket.on('error', () => toClient(() => ws.close(1011, 'upstream error')));
    socket.on('close', () => toClient(() => ws.close()));
    ws.on('message', (data) => {
      const bytes = data as Buffer;
      network.count('postgres');
      if (options.loseMarkedAnswers && !loser && bytes.includes(LOSE_ANSWER_MARKER)) loser = new AnswerLoser();
      toServer(() => {
        if (socket.destroyed) return;
        socket.write(bytes);
        // A Terminate message ends the session. Postgres then closes the socket
        // itself; PGlite's socket server does not, so close it here, or every
        // request would leave a connection behind.
        if (bytes.length === TERMINATE.length && bytes.equals(TERMINATE)) socket.end();
      });
    });
    ws.on('close', () => toServer(() => socket.destroy()));
    ws.on('error', () => toServer(() => socket.destroy()));
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
