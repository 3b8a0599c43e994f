import { createRoute, z } from '@hono/zod-openapi';
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { NotFound } from '../../shared/errors';
import { apiProblems, type Router } from '../../shared/openapi';
import { call, expectProblem } from '../support/app';
import { createUser } from '../support/users';

const CreateThing = z.object({
  name: z.string().min(1),
  price: z.object({ amount: z.number().int().nonnegative(), currency: z.string().length(3) }),
});

/** Probe routes exercising the real middleware chain and error handler. */
function mountProbes(api: Router) {
  api.openapi(
    createRoute({
      method: 'post',
      path: '/probe/things',
      request: { body: { content: { 'application/json': { schema: CreateThing } }, required: true } },
      responses: { 201: { description: 'created' }, ...apiProblems },
    }),
    (c) => c.json(c.req.valid('json'), 201),
  );
  api.get('/probe/missing/:id', (c) => {
    throw new NotFound('thing', c.req.param('id'));
  });
  api.get('/probe/crash', () => {
    throw new Error('SELECT password_hash FROM users WHERE id = 1 -- connection to 10.0.0.5 failed');
  });
}

const post = (body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request('http://api.test/api/v1/probe/things', { method: 'POST', headers, body });

describe('problem+json errors', () => {
  it('answers an unknown route with a 404 problem', async () => {
    const res = await SELF.fetch('http://api.test/api/v1/no-such-thing');
    const problem = await expectProblem(res, 404, 'NOT_FOUND');
    expect(problem).toMatchObject({
      type: 'urn:ultramarket:problem:not-found',
      title: 'Not found',
      instance: '/api/v1/no-such-thing',
    });
    expect(problem.detail).toContain('/api/v1/no-such-thing');
  });

  it('maps a typed service error once, with its data', async () => {
    const res = await call('/api/v1/probe/missing/abc', { mount: mountProbes });
    const problem = await expectProblem(res, 404, 'NOT_FOUND');
    expect(problem.detail).toBe("No thing with id 'abc'.");
    expect(problem.entity).toBe('thing');
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await call(post('{"name": "x", '), { mount: mountProbes });
    await expectProblem(res, 400, 'MALFORMED_JSON');
  });

  it('answers a body in the wrong media type with 415', async () => {
    const res = await call(post('name=x', { 'content-type': 'application/x-www-form-urlencoded' }), { mount: mountProbes });
    const problem = await expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(problem.accepted).toEqual(['application/json']);
  });

  it('answers a body without a content type with 415', async () => {
    const res = await call(post('{"name":"x"}', {}), { mount: mountProbes });
    await expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a body over MAX_BODY_BYTES with 413, declared or streamed', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2_000), price: { amount: 1, currency: 'USD' } });
    const declared = await call(post(big), { mount: mountProbes, env: { MAX_BODY_BYTES: '1000' } });
    const problem = await expectProblem(declared, 413, 'PAYLOAD_TOO_LARGE');
    expect(problem.limitBytes).toBe(1000);

    const stream = new Blob([big]).stream();
    const chunked = new Request('http://api.test/api/v1/probe/things', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: stream,
    });
    await expectProblem(await call(chunked, { mount: mountProbes, env: { MAX_BODY_BYTES: '1000' } }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('accepts a body under the limit', async () => {
    const res = await call(post(JSON.stringify({ name: 'ok', price: { amount: 100, currency: 'USD' } })), { mount: mountProbes });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ name: 'ok', price: { amount: 100, currency: 'USD' } });
  });

  it('answers a schema violation with 400 and every field error', async () => {
    const res = await call(post(JSON.stringify({ name: '', price: { amount: -5, currency: 'DOLLARS' } })), { mount: mountProbes });
    const problem = await expectProblem(res, 400, 'VALIDATION_FAILED');
    const paths = problem.errors?.map((e) => e.path).sort();
    expect(paths).toEqual(['name', 'price.amount', 'price.currency']);
    for (const e of problem.errors ?? []) expect(e.message.length).toBeGreaterThan(0);
  });

  it('hides the detail of an unexpected error: no stack, no SQL, no hosts', async () => {
    const res = await call('/api/v1/probe/crash', { mount: mountProbes });
    const text = await res.clone().text();
    await expectProblem(res, 500, 'INTERNAL');
    expect(text).not.toMatch(/SELECT|password_hash|10\.0\.0\.5|at .*\.ts|Error:/);
  });

  it('answers text Postgres cannot store (U+0000) with 400, not 500', async () => {
    const res = await SELF.fetch('http://api.test/api/v1/products/%00');
    const problem = await expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(problem.errors?.[0]?.message).toMatch(/U\+0000/);
  });

  it('answers a multipart body without a boundary, or cut short, with 400', async () => {
    const cut = '--b\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\ncontent-type: image/png\r\n\r\n\x89PNG';
    for (const contentType of ['multipart/form-data', 'multipart/form-data; boundary=b']) {
      const res = await SELF.fetch('http://api.test/api/v1/files', {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: `Bearer ${(await createUser()).accessToken}` },
        body: cut,
      });
      await expectProblem(res, 400, 'VALIDATION_FAILED');
    }
  });

  it('sends secure headers and CORS only for allowed origins', async () => {
    const allowed = await SELF.fetch('http://api.test/health', { headers: { Origin: 'http://localhost:5173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    const denied = await SELF.fetch('http://api.test/health', { headers: { Origin: 'https://evil.example' } });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });
});
