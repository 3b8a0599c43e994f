import { createHash, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { Redis as IORedis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashRest, type UpstashRestServer } from '../../scripts/stack/upstash-rest';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKEN = 'test-upstash-rest-token';

/** The real-Redis suite is skipped (not failed) on machines without a Redis. */
async function redisReachable(url: string): Promise<boolean> {
  const probe = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  probe.on('error', () => {}); // the failed connect() below already tells us
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const redisAvailable = await redisReachable(REDIS_URL);

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The client's base64 mode must not hide a server that forgot to encode, so some checks go over raw HTTP. */
interface RawRequest {
  method?: 'GET' | 'POST';
  body?: unknown;
  rawBody?: string;
  /** null: no Authorization header at all. */
  token?: string | null;
  base64?: boolean;
}

async function raw(server: UpstashRestServer, path: string, request: RawRequest = {}): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (request.token !== null) headers.authorization = `Bearer ${request.token ?? TOKEN}`;
  if (request.base64) headers['upstash-encoding'] = 'base64';
  const res = await fetch(`${server.url}${path}`, {
    method: request.method ?? 'POST',
    headers,
    body: request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Rate-limit windows are aligned to the epoch; crossing a boundary mid-test would reset the count. */
async function awayFromWindowEdge(windowMs: number): Promise<void> {
  const elapsed = Date.now() % windowMs;
  if (elapsed > windowMs - 2_000) await sleep(windowMs - elapsed + 50);
}

const backends = [
  { kind: 'memory' as const, redisUrl: undefined, available: true },
  { kind: 'redis' as const, redisUrl: REDIS_URL, available: redisAvailable },
];

for (const backend of backends) {
  describe.skipIf(!backend.available)(`upstash-rest (${backend.kind} backend)`, () => {
    const prefix = `test:upstash-rest:${randomUUID()}:`;
    const key = (name: string) => `${prefix}${name}`;
    let server: UpstashRestServer;
    let redis: Redis;

    beforeAll(async () => {
      server = await startUpstashRest({ token: TOKEN, redisUrl: backend.redisUrl });
      redis = new Redis({ url: server.url, token: TOKEN, enableTelemetry: false });
    });

    afterAll(async () => {
      if (!server) return;
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      expect(await redis.keys(`${prefix}*`)).toEqual([]);
      await server.close();
    });

    it('reports its backend and a loopback URL', () => {
      expect(server.backend).toBe(backend.kind);
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.token).toBe(TOKEN);
    });

    it('handles set/get/incr/expire/ttl', async () => {
      expect(await redis.set(key('str'), 'value', { ex: 100 })).toBe('OK');
      expect(await redis.get(key('str'))).toBe('value');
      expect(await redis.get(key('missing'))).toBeNull();
      const strTtl = await redis.ttl(key('str'));
      expect(strTtl).toBeGreaterThan(90);
      expect(strTtl).toBeLessThanOrEqual(100);

      expect(await redis.incr(key('counter'))).toBe(1);
      expect(await redis.incr(key('counter'))).toBe(2);
      expect(await redis.incrby(key('counter'), 40)).toBe(42);
      expect(await redis.ttl(key('counter'))).toBe(-1);
      expect(await redis.expire(key('counter'), 50)).toBe(1);
      const ttl = await redis.ttl(key('counter'));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(50);
      expect(await redis.ttl(key('missing'))).toBe(-2);
      expect(await redis.expire(key('missing'), 10)).toBe(0);

      // The client sends options in lower case ("nx", "withscores"); they must still apply.
      expect(await redis.set(key('once'), 'first', { nx: true })).toBe('OK');
      expect(await redis.set(key('once'), 'second', { nx: true })).toBeNull();
      expect(await redis.get(key('once'))).toBe('first');
      await redis.zadd(key('zset'), { score: 2, member: 'b' }, { score: 1, member: 'nx' });
      expect(await redis.zrange(key('zset'), 0, -1, { withScores: true })).toEqual(['nx', 1, 'b', 2]);
    });

    it('handles hashes', async () => {
      expect(await redis.hset(key('hash'), { name: 'Ada', visits: 1 })).toBe(2);
      expect(await redis.hget(key('hash'), 'name')).toBe('Ada');
      expect(await redis.hincrby(key('hash'), 'visits', 2)).toBe(3);
      expect(await redis.hlen(key('hash'))).toBe(2);
      expect(await redis.hgetall(key('hash'))).toEqual({ name: 'Ada', visits: 3 });
      expect(await redis.hdel(key('hash'), 'name')).toBe(1);
      expect(await redis.hgetall(key('hash'))).toEqual({ visits: 3 });
      expect(await redis.hgetall(key('no-hash'))).toBeNull();
      // HGETALL must reach the client as RESP's flat field/value array, not an object.
      expect(await raw(server, '/', { body: ['HGETALL', key('hash')] })).toEqual({ status: 200, body: { result: ['visits', '3'] } });
    });

    it('runs a pipeline, reporting per-command errors with HTTP 200', async () => {
      const results = await redis
        .pipeline()
        .set(key('p:str'), 'one')
        .incr(key('p:n'))
        .incr(key('p:n'))
        .get(key('p:str'))
        .hset(key('p:hash'), { field: 'v' })
        .hgetall(key('p:hash'))
        .exec();
      expect(results).toEqual(['OK', 1, 2, 'one', 1, { field: 'v' }]);

      await redis.set(key('p:text'), 'abc');
      const mixed = await redis.pipeline().incr(key('p:n2')).incr(key('p:text')).get(key('p:text')).exec({ keepErrors: true });
      expect(mixed[0]).toEqual({ result: 1, error: undefined });
      expect(mixed[1]?.error).toMatch(/^ERR value is not an integer/);
      expect(mixed[2]).toEqual({ result: 'abc', error: undefined });

      const rawPipeline = await raw(server, '/pipeline', { body: [['INCR', key('p:text')], ['GET', key('p:text')]] });
      expect(rawPipeline.status).toBe(200);
      expect(rawPipeline.body).toEqual([{ error: expect.stringMatching(/^ERR /) }, { result: 'abc' }]);
    });

    it('runs a multi-exec transaction', async () => {
      const results = await redis.multi().set(key('tx'), 5).incrby(key('tx'), 10).get(key('tx')).exec();
      expect(results).toEqual(['OK', 15, 15]);

      // A runtime error fails only its own command, like EXEC.
      const runtime = await raw(server, '/multi-exec', {
        body: [['SET', key('tx:s'), 'x'], ['INCR', key('tx:s')], ['GET', key('tx:s')]],
      });
      expect(runtime).toEqual({
        status: 200,
        body: [{ result: 'OK' }, { error: expect.stringMatching(/^ERR value is not an integer/) }, { result: 'x' }],
      });

      // A queue-time error (unknown command) discards the whole block: the SET must not run.
      const aborted = await raw(server, '/multi-exec', { body: [['SET', key('tx:aborted'), '1'], ['NO_SUCH_COMMAND']] });
      expect(aborted.status).toBe(400);
      expect(aborted.body).toEqual({ error: expect.stringMatching(/^EXECABORT/) });
      expect(await redis.get(key('tx:aborted'))).toBeNull();

      // Concurrent transactions must not interleave: each GET sees its own INCR.
      const txs = await Promise.all(
        Array.from({ length: 25 }, () => redis.multi().incr(key('tx:atomic')).get<number>(key('tx:atomic')).exec()),
      );
      for (const [incremented, read] of txs) expect(read).toBe(incremented);
      expect(txs.map(([incremented]) => incremented).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    });

    it('round-trips non-ASCII strings through base64 encoding', async () => {
      const text = 'Grüße, 世界 — naïve café 🚀';
      expect(await redis.set(key('utf8'), text)).toBe('OK');
      expect(await redis.get(key('utf8'))).toBe(text);
      expect(await redis.mget(key('utf8'), key('missing'))).toEqual([text, null]);
      await redis.hset(key('utf8:hash'), { [text]: text });
      expect(await redis.hgetall(key('utf8:hash'))).toEqual({ [text]: text });

      // On the wire: strings are base64 (nested too), numbers/null stay, a top-level OK stays readable.
      expect(await raw(server, '/', { body: ['GET', key('utf8')], base64: true })).toEqual({ status: 200, body: { result: b64(text) } });
      expect(await raw(server, '/', { body: ['MGET', key('utf8'), key('missing')], base64: true })).toEqual({
        status: 200,
        body: { result: [b64(text), null] },
      });
      expect(await raw(server, '/', { body: ['SET', key('utf8:2'), 'OK'], base64: true })).toEqual({ status: 200, body: { result: 'OK' } });
      expect(await raw(server, '/', { body: ['INCR', key('utf8:n')], base64: true })).toEqual({ status: 200, body: { result: 1 } });
      expect(await raw(server, '/pipeline', { body: [['SET', key('utf8:3'), text], ['GET', key('utf8:3')]], base64: true })).toEqual({
        status: 200,
        body: [{ result: 'OK' }, { result: b64(text) }],
      });
      // Without the header, plain UTF-8.
      expect(await raw(server, '/', { body: ['GET', key('utf8')] })).toEqual({ status: 200, body: { result: text } });
    });

    it('rejects a wrong or missing token with 401', async () => {
      const intruder = new Redis({ url: server.url, token: 'wrong-token', enableTelemetry: false });
      await expect(intruder.get(key('str'))).rejects.toThrow(/Unauthorized/);
      expect(await raw(server, '/', { body: ['PING'], token: 'wrong-token' })).toEqual({ status: 401, body: { error: 'Unauthorized' } });
      expect(await raw(server, '/', { body: ['PING'], token: null })).toEqual({ status: 401, body: { error: 'Unauthorized' } });
      expect(await raw(server, '/get/x', { method: 'GET', token: null })).toEqual({ status: 401, body: { error: 'Unauthorized' } });
    });

    it('reports command errors with HTTP 400 and leaves the data alone', async () => {
      await redis.set(key('word'), 'abc');
      await expect(redis.incr(key('word'))).rejects.toThrow(/ERR value is not an integer/);
      expect(await redis.get(key('word'))).toBe('abc');

      await redis.hset(key('err:hash'), { f: '1' });
      await expect(redis.incr(key('err:hash'))).rejects.toThrow(/WRONGTYPE/);

      expect(await raw(server, '/', { body: ['INCR', key('word')] })).toEqual({
        status: 400,
        body: { error: expect.stringMatching(/^ERR value is not an integer/) },
      });
      expect(await raw(server, '/', { body: ['NO_SUCH_COMMAND', 'x'] })).toEqual({
        status: 400,
        body: { error: expect.stringMatching(/^ERR unknown command/) },
      });
      // Blocking commands would stall the shared connection.
      expect(await raw(server, '/', { body: ['BLPOP', key('list'), '0'] })).toEqual({
        status: 400,
        body: { error: expect.stringMatching(/not available/) },
      });
    });

    it('survives malformed requests and unknown paths', async () => {
      const malformed = await raw(server, '/', { rawBody: '{"not json' });
      expect(malformed.status).toBe(400);
      expect(malformed.body).toEqual({ error: expect.stringMatching(/JSON/) });
      expect((await raw(server, '/', { body: { set: 'x' } })).status).toBe(400);
      expect((await raw(server, '/', { body: [] })).status).toBe(400);
      expect((await raw(server, '/', { body: ['SET', key('x'), { nested: true }] })).status).toBe(400);
      expect((await raw(server, '/pipeline', { body: ['GET', key('x')] })).status).toBe(400);
      expect((await raw(server, '/multi-exec', { rawBody: '' })).status).toBe(400);

      const unknown = await raw(server, '/pipeline/extra', { body: [['PING']] });
      expect(unknown).toEqual({ status: 404, body: { error: expect.any(String) } });
      expect((await raw(server, '/%20bad', { method: 'GET' })).status).toBe(404);
      expect((await raw(server, '/get/%E0%A4%A', { method: 'GET' })).status).toBe(400);
      expect((await raw(server, '/', { method: 'GET' })).status).toBe(405);

      // Not even HTTP: the server answers 400 on that socket and keeps running.
      const reply = await new Promise<string>((resolve, reject) => {
        const url = new URL(server.url);
        const socket = connect(Number(url.port), url.hostname, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
        let data = '';
        socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      expect(reply).toMatch(/^HTTP\/1\.1 400/);

      expect(await redis.ping()).toBe('PONG');
    });

    it('supports the curl-style path form', async () => {
      const pathKey = key('path key/with slash');
      const set = await raw(server, `/set/${encodeURIComponent(pathKey)}/${encodeURIComponent('a/b c')}`, { method: 'GET' });
      expect(set).toEqual({ status: 200, body: { result: 'OK' } });
      expect(await raw(server, `/get/${encodeURIComponent(pathKey)}`, { method: 'GET' })).toEqual({ status: 200, body: { result: 'a/b c' } });
      expect(await redis.get(pathKey)).toBe('a/b c');

      // POST body is the value; options after it come as query parameters.
      const posted = await raw(server, `/set/${encodeURIComponent(key('posted'))}?EX=100`, { rawBody: '{"json":true}' });
      expect(posted).toEqual({ status: 200, body: { result: 'OK' } });
      expect(await raw(server, `/get/${encodeURIComponent(key('posted'))}`, { method: 'GET' })).toEqual({
        status: 200,
        body: { result: '{"json":true}' },
      });
      expect(await redis.ttl(key('posted'))).toBeGreaterThan(90);
    });

    it('runs Lua with an Upstash shebang and translates EVALSHA of the original text', async () => {
      const script = `#!lua flags=allow-key-locking\nreturn {KEYS[1], ARGV[1], 7, redis.call('INCR', KEYS[1] .. ':n')}`;
      const sha = sha1(script);
      const scriptKey = key('lua');

      // Unknown to us and to Redis: NOSCRIPT, which is what makes clients fall back to EVAL.
      const unknown = await raw(server, '/', { body: ['EVALSHA', sha, 1, scriptKey, 'a'] });
      expect(unknown).toEqual({ status: 400, body: { error: expect.stringMatching(/^NOSCRIPT/) } });

      expect(await raw(server, '/', { body: ['EVAL', script, 1, scriptKey, 'a'] })).toEqual({
        status: 200,
        body: { result: [scriptKey, 'a', 7, 1] },
      });
      expect(await raw(server, '/', { body: ['EVALSHA', sha, 1, scriptKey, 'b'] })).toEqual({
        status: 200,
        body: { result: [scriptKey, 'b', 7, 2] },
      });
      expect(await redis.evalsha(sha, [scriptKey], ['c'])).toEqual([scriptKey, 'c', 7, 3]);

      // SCRIPT LOAD answers with the digest the client computed itself.
      const loaded = `#!lua flags=allow-key-locking\nreturn ARGV[1] .. '-${randomUUID()}'`;
      expect(await redis.scriptLoad(loaded)).toBe(sha1(loaded));
      const viaLoad = await redis.evalsha(sha1(loaded), [], ['x']);
      expect(String(viaLoad)).toMatch(/^x-/);
      expect(await redis.scriptExists(sha1(loaded))).toEqual([1]);
    });

    const windowLimiters = [
      ['slidingWindow', () => Ratelimit.slidingWindow(3, '10 s')],
      ['fixedWindow', () => Ratelimit.fixedWindow(3, '10 s')],
    ] as const;

    for (const [name, limiter] of windowLimiters) {
      it(`@upstash/ratelimit ${name}(3, '10 s') allows exactly 3 requests`, async () => {
        await awayFromWindowEdge(10_000);
        // No ephemeral cache: every decision must come from the scripts on the server.
        const ratelimit = new Ratelimit({ redis, limiter: limiter(), prefix: key(`rl:${name}`), ephemeralCache: false });
        const results = [];
        for (let i = 0; i < 5; i++) results.push(await ratelimit.limit('user-1'));
        expect(results.map((r) => r.success)).toEqual([true, true, true, false, false]);
        expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0, 0]);
        // A timed-out ratelimit call "succeeds" with reason 'timeout'; make sure none did.
        expect(results.map((r) => r.reason)).toEqual([undefined, undefined, undefined, undefined, undefined]);
        expect(results.every((r) => r.limit === 3)).toBe(true);
        expect((await ratelimit.limit('user-2')).success).toBe(true);
      });
    }

    // ioredis-mock's Lua (fengari) cannot run the token-bucket script (see the
    // comment at the top of upstash-rest.ts), so only the real backend covers it.
    it.skipIf(backend.kind === 'memory')(`@upstash/ratelimit tokenBucket(1, '10 s', 3) allows exactly 3 requests`, async () => {
      const ratelimit = new Ratelimit({ redis, limiter: Ratelimit.tokenBucket(1, '10 s', 3), prefix: key('rl:tokenBucket'), ephemeralCache: false });
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await ratelimit.limit('user-1'));
      expect(results.map((r) => r.success)).toEqual([true, true, true, false, false]);
      expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0, 0]);
      expect(results.map((r) => r.reason)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    });

    it('close() ends keep-alive connections and stops answering', async () => {
      const own = await startUpstashRest({ token: TOKEN, redisUrl: backend.redisUrl });
      const client = new Redis({ url: own.url, token: TOKEN, enableTelemetry: false, retry: false });
      expect(await client.ping()).toBe('PONG'); // leaves a keep-alive socket open
      const started = Date.now();
      await own.close();
      expect(Date.now() - started).toBeLessThan(2_000);
      await expect(fetch(own.url, { method: 'POST', body: '["PING"]' })).rejects.toThrow();
      await own.close(); // idempotent
    });
  });
}

describe('upstash-rest startup', () => {
  it('requires a token', async () => {
    await expect(startUpstashRest({ token: '' })).rejects.toThrow(/token/);
  });

  it('fails fast when the Redis URL is unreachable', async () => {
    await expect(startUpstashRest({ token: TOKEN, redisUrl: 'redis://127.0.0.1:1' })).rejects.toThrow(/cannot connect to Redis/);
  });
});
