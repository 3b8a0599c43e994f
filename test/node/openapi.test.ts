import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
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

type Operation = { responses: Record<string, unknown> };
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
