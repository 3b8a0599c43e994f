/**
 * Local stand-in for the Upstash Redis REST API.
 *
 * `@upstash/redis` and `@upstash/ratelimit` only speak HTTP (they run inside
 * Cloudflare workerd, which has no TCP Redis client), so the dev stack and the
 * tests need something that answers the Upstash REST protocol locally. This is
 * dev tooling only: no TLS, a single shared bearer token, no ACLs.
 *
 * Protocol summary (mirrors what `@upstash/redis` 1.x sends and expects):
 *   POST /             body `["SET","k","v","EX",10]`   -> `{"result": ...}` | 400 `{"error": "..."}`
 *   GET|POST /set/k/v  command in the path (curl style); a POST body is appended as the last argument
 *   POST /pipeline     body `[[...],[...]]`             -> 200 `[{"result"}|{"error"}, ...]`
 *   POST /multi-exec   same body, run as MULTI/EXEC     -> 200 `[{"result"}|{"error"}, ...]`
 *   Header `Upstash-Encoding: base64` -> every string in a result is base64 (numbers/null untouched),
 *   except a top-level "OK", which Upstash leaves as is and the client special-cases.
 *
 * Backends: a real Redis through ioredis (`redisUrl`), or an in-memory ioredis-mock.
 *
 * Known limitation of the memory backend: ioredis-mock runs Lua through fengari and
 * only approximates Redis' Lua <-> RESP conversions. The fixed-window and
 * sliding-window scripts of `@upstash/ratelimit` work on it; the token-bucket script
 * does not (HMGET's nil entries do not become Lua `false`, so the script does
 * arithmetic on nil). Use a real Redis when you need token buckets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Arg, type Backend, errorText, TransactionAbortedError } from './upstash-rest/commands';
import { acrossNetwork } from './network-http';
import { createDispatcher } from './upstash-rest/dispatch';
import { encodeOutcome, HttpError, isAuthorized, parseCommand, parseCommandList, parseJson, PATH_COMMAND, readBody, sendJson } from './upstash-rest/http';
import { MemoryBackend } from './upstash-rest/memory-backend';
import { RedisBackend } from './upstash-rest/redis-backend';

export interface UpstashRestOptions {
  /** Interface to bind. Default '127.0.0.1'. */
  host?: string;
  /** Port to bind. Default 0 (the OS picks a free port; read it back from `url`). */
  port?: number;
  /** Required bearer token; requests without `Authorization: Bearer <token>` get 401. */
  token: string;
  /** When set, commands go to this Redis via ioredis; otherwise to an in-memory ioredis-mock. */
  redisUrl?: string;
}

export interface UpstashRestServer {
  url: string;
  token: string;
  backend: 'redis' | 'memory';
  close(): Promise<void>;
}

export async function startUpstashRest(opts: UpstashRestOptions): Promise<UpstashRestServer> {
  if (!opts.token) throw new Error('upstash-rest: a non-empty token is required');
  const host = opts.host ?? '127.0.0.1';
  const expectedToken = Buffer.from(opts.token, 'utf8');
  const backend: Backend = opts.redisUrl ? await RedisBackend.connect(opts.redisUrl) : new MemoryBackend();
  const { runCommand, runTransaction } = createDispatcher(backend);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAuthorized(req.headers.authorization, expectedToken)) {
      sendJson(res, 401, { error: 'Unauthorized' });
      return;
    }
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    // Split by hand: `new URL('//x', base)` would treat "x" as a host name.
    const pathname = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = new URLSearchParams(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1));
    const method = req.method ?? 'GET';

    if (pathname === '/' || pathname === '/pipeline' || pathname === '/multi-exec') {
      if (method !== 'POST') throw new HttpError(405, `ERR ${method} is not allowed on ${pathname}; use POST`);
      const body = parseJson(await readBody(req));
      if (pathname === '/') {
        const outcome = encodeOutcome(await runCommand(parseCommand(body)), base64);
        sendJson(res, 'error' in outcome ? 400 : 200, outcome);
      } else if (pathname === '/pipeline') {
        // Not a transaction: each command succeeds or fails on its own, and the HTTP
        // status stays 200 so the client can report per-command errors.
        const outcomes = await Promise.all(parseCommandList(body).map(runCommand));
        sendJson(res, 200, outcomes.map((o) => encodeOutcome(o, base64)));
      } else {
        const outcomes = await runTransaction(parseCommandList(body));
        sendJson(res, 200, outcomes.map((o) => encodeOutcome(o, base64)));
      }
      return;
    }

    // Path form for curl users: /set/key/value, segments URL-decoded.
    let segments: string[];
    try {
      segments = pathname.slice(1).split('/').map((s) => decodeURIComponent(s));
    } catch {
      throw new HttpError(400, 'ERR malformed percent-encoding in path');
    }
    const [name = '', ...pathArgs] = segments;
    if (!PATH_COMMAND.test(name) || name === 'pipeline' || name === 'multi-exec') {
      throw new HttpError(404, `ERR unknown path ${pathname}`);
    }
    if (method !== 'GET' && method !== 'POST') throw new HttpError(405, `ERR ${method} is not allowed; use GET or POST`);
    const args: Arg[] = pathArgs;
    if (method === 'POST') {
      // Like Upstash: a POST body is the (possibly binary or JSON) value, appended as
      // the last argument; options after the value come as query parameters (?EX=100).
      const body = await readBody(req);
      if (body.length > 0) {
        args.push(body);
        for (const [key, value] of query) args.push(...(value === '' ? [key] : [key, value]));
      }
    }
    const outcome = encodeOutcome(await runCommand({ name: name.toUpperCase(), args }), base64);
    sendJson(res, 'error' in outcome ? 400 : 200, outcome);
  }

  // One HTTP request is one Redis call (a pipeline or transaction too: that is what they are for).
  const server: Server = createServer(
    acrossNetwork('redis', (req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (error instanceof HttpError) sendJson(res, error.status, { error: error.message });
        else if (error instanceof TransactionAbortedError) sendJson(res, 400, { error: error.message });
        else sendJson(res, 500, { error: `ERR internal error: ${errorText(error)}` });
      });
    }),
  );
  // Malformed HTTP must not take the process down; answer 400 and drop the socket.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await backend.close();
    throw error;
  }

  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${port}`,
    token: opts.token,
    backend: backend.kind,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          // close() alone waits for keep-alive sockets (the client keeps them open).
          server.closeAllConnections();
        });
        await backend.close();
      })();
      return closing;
    },
  };
}
