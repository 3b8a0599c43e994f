import { z } from '@hono/zod-openapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRouter, json, type Router } from '../../shared/openapi';
import { declaredOperations, defineRoute } from '../../shared/route';
import { createApp } from '../../workers/app';
import { call, expectProblem } from '../support/app';
import { createUser, type TestUser } from '../support/users';

/** Routes declared with defineRoute: their contract is enforced and documented from the one declaration. */

const Who = z.object({ role: z.string() });
const adminOnly = defineRoute({
  method: 'get',
  path: '/admin',
  auth: 'required',
  roles: ['admin'],
  summary: 'Probe: admins only',
  responses: { 200: { description: 'The caller', ...json(Who) } },
});
const maybeSignedIn = defineRoute({
  method: 'get',
  path: '/optional',
  auth: 'optional',
  summary: 'Probe: anyone; a token, if sent, must be valid',
  responses: { 200: { description: 'The caller', ...json(Who) } },
});
const charge = defineRoute({
  method: 'post',
  path: '/charge',
  auth: 'required',
  idempotency: { scope: 'probe.charge', required: true },
  summary: 'Probe: an idempotent write',
  responses: { 201: { description: 'A new charge', ...json(z.object({ id: z.string() })) } },
});

const probe = createRouter();
probe.openapi(adminOnly, (c) => c.json({ role: c.get('auth')?.role ?? 'anonymous' }, 200));
probe.openapi(maybeSignedIn, (c) => c.json({ role: c.get('auth')?.role ?? 'anonymous' }, 200));
probe.openapi(charge, (c) => c.json({ id: crypto.randomUUID() }, 201));
const mount = (api: Router) => api.route('/probe', probe);

function send(path: string, options: { token?: string; method?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return call(new Request(`http://api.test/api/v1/probe${path}`, { method: options.method ?? 'GET', headers }), { mount });
}

describe('a route declared with defineRoute', () => {
  let customer: TestUser;
  let admin: TestUser;
  beforeAll(async () => {
    [customer, admin] = await Promise.all([createUser('customer', 'contract-customer'), createUser('admin', 'contract-admin')]);
  });

  it('enforces auth: required, and its roles before the handler', async () => {
    const anonymous = await send('/admin');
    await expectProblem(anonymous, 401, 'UNAUTHENTICATED');
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    await expectProblem(await send('/admin', { token: 'not-a-token' }), 401, 'UNAUTHENTICATED');
    await expectProblem(await send('/admin', { token: customer.accessToken }), 403, 'FORBIDDEN');
    const ok = await send('/admin', { token: admin.accessToken });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ role: 'admin' });
  });

  it('enforces auth: optional (anonymous passes, a bad token does not)', async () => {
    expect(await (await send('/optional')).json()).toEqual({ role: 'anonymous' });
    expect(await (await send('/optional', { token: customer.accessToken })).json()).toEqual({ role: 'customer' });
    await expectProblem(await send('/optional', { token: 'not-a-token' }), 401, 'UNAUTHENTICATED');
  });

  it('enforces its Idempotency-Key: required, and a retry replays the first answer', async () => {
    const post = (key?: string) =>
      send('/charge', { method: 'POST', token: customer.accessToken, headers: key ? { 'idempotency-key': key } : {} });
    const missing = await expectProblem(await post(), 400, 'VALIDATION_FAILED');
    expect(missing.errors).toEqual([{ path: 'Idempotency-Key', message: 'This header is required' }]);
    const key = crypto.randomUUID();
    const first = await post(key);
    expect(first.status).toBe(201);
    const again = await post(key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
  });

  it('documents the contract in /openapi.json: security, the Idempotency-Key header, 401/403/409', async () => {
    const res = await call('/openapi.json', { mount });
    type Op = { security?: unknown; parameters?: { name: string; in: string; required: boolean }[]; responses: Record<string, unknown> };
    const doc = await res.json<{ paths: Record<string, Record<string, Op>> }>();
    const admins = doc.paths['/api/v1/probe/admin']?.get;
    const optional = doc.paths['/api/v1/probe/optional']?.get;
    const charges = doc.paths['/api/v1/probe/charge']?.post;
    expect(admins?.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(admins?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
    expect(optional?.security).toEqual([{}, { bearerAuth: [] }]);
    expect(Object.keys(optional?.responses ?? {})).toEqual(expect.arrayContaining(['401']));
    expect(charges?.parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]);
    expect(Object.keys(charges?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403', '409']));
    // The contract itself is not written into the document.
    expect(JSON.stringify(admins)).not.toContain('roles');
  });

  it('keeps its contract where the app mounts it, for the authorization matrix to read', () => {
    const declared = Object.fromEntries(declaredOperations(createApp(mount)).map((op) => [op.key, op.contract]));
    expect(declared['GET /api/v1/probe/admin']).toEqual({ auth: 'required', roles: ['admin'] });
    expect(declared['GET /api/v1/probe/optional']).toEqual({ auth: 'optional' });
    expect(declared['POST /api/v1/probe/charge']).toEqual({ auth: 'required', idempotency: { scope: 'probe.charge', required: true } });
    expect(declared['GET /health']).toEqual({ auth: 'none' });
  });
});
