import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { operationIdOf, withOperationIds } from '../../shared/openapi';
import { createApp } from '../../workers/app';

/** Enough config for routes that touch no dependency (the document and the docs page). */
const env = {
  APP_ENV: 'test',
  LOG_LEVEL: 'warn',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused',
  UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1',
  UPSTASH_REDIS_REST_TOKEN: 'unused',
  JWT_SECRET: 'x'.repeat(32),
};
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };

type Operation = { responses: Record<string, unknown>; operationId?: string; security?: Array<Record<string, string[]>> };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

async function fetchDocument(): Promise<Document> {
  const res = await createApp().request('/openapi.json', {}, env, ctx as never);
  expect(res.status).toBe(200);
  return (await res.json()) as Document;
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = await fetchDocument();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents the problems every operation can answer', async () => {
    const doc = await fetchDocument();
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.map((o) => o.id)).toEqual(expect.arrayContaining(['GET /health', 'GET /health/ready']));
    for (const { id, op } of operations) {
      expect(Object.keys(op.responses), id).toEqual(expect.arrayContaining(['500', '503']));
      if (id.includes('/api/v1/')) expect(Object.keys(op.responses), id).toEqual(expect.arrayContaining(['400', '429']));
    }
  });
});

describe('operations a client generator can name', () => {
  it('every operation has a unique operationId derived from its method and path, and declares its security', async () => {
    const doc = await fetchDocument();
    const ids = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect(op.operationId, `${method} ${path}`).toBe(operationIdOf(method, path));
        expect(ids.has(op.operationId as string), `${op.operationId} twice`).toBe(false);
        ids.add(op.operationId as string);
        expect(Array.isArray(op.security), `${method} ${path} declares no security`).toBe(true);
      }
    }
    // Public, optional and required auth read differently.
    expect(doc.paths['/api/v1/auth/login']?.post?.security).toEqual([]);
    expect(doc.paths['/api/v1/cart']?.get?.security).toEqual([{}, { bearerAuth: [] }]);
    expect(doc.paths['/api/v1/orders']?.post?.security).toEqual([{ bearerAuth: [] }]);
  });

  it('derives ids predictably, and refuses two operations with one id', () => {
    expect(operationIdOf('GET', '/api/v1/orders/{id}/seller-orders')).toBe('getOrdersByIdSellerOrders');
    expect(operationIdOf('post', '/api/v1/auth/forgot-password')).toBe('postAuthForgotPassword');
    expect(operationIdOf('get', '/health')).toBe('getHealth');
    expect(() => withOperationIds({ paths: { '/a-b': { get: {} }, '/a/b': { get: {} } } })).toThrow(/getAB/);
    expect(withOperationIds({ paths: { '/x': { get: { operationId: 'custom' } } } }).paths['/x'].get).toEqual({ operationId: 'custom' });
  });

  it('has no two paths that differ only in parameter names', async () => {
    const doc = await fetchDocument();
    const shapes = Object.keys(doc.paths).map((p) => p.replace(/\{[^}]+\}/g, '{}'));
    expect(shapes.length).toBe(new Set(shapes).size);
  });
});

describe('GET /docs', () => {
  it('serves an interactive reference pointing at the document', async () => {
    const res = await createApp().request('/docs', {}, env, ctx as never);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('/openapi.json');
    expect(html).toContain('<script');
  });
});
