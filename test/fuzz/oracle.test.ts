import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { categories } from '../../shared/db/schema';
import { newId } from '../../shared/ids';
import { withDb } from '../support/users';
import { changedTables, openFingerprinter } from './fingerprint';
import { fromPattern, Rng, sample } from './generate';
import { createOracle, type Document, listOperations, routeOf } from './spec';

/** The fuzz suite's oracle must be able to fail: each check here is shown catching what it is for. */
const doc = (await (await SELF.fetch('http://api.test/openapi.json')).json()) as Document;
const operations = listOperations(doc);
const oracle = createOracle(doc);
const op = (id: string) => operations.find((o) => o.id === id);

const problem = (status: number, extra: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ type: 'urn:x', title: 'T', status, detail: 'd', instance: '/', code: 'NOT_FOUND', requestId: 'r1', ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json', 'x-request-id': 'r1' },
  });
const verdict = async (id: string | undefined, res: Response) => oracle.check(id ? op(id) : undefined, res, await res.clone().text()).failures;

describe('fuzz oracle', () => {
  it('accepts a documented problem and flags 5xx, undocumented statuses and media types', async () => {
    expect(await verdict('GET /api/v1/orders/{id}', problem(404))).toEqual([]);
    expect((await verdict('GET /api/v1/orders/{id}', problem(500))).join()).toContain('5xx');
    expect((await verdict('GET /health', problem(404))).join()).toContain('not documented');
    expect((await verdict('GET /api/v1/orders/{id}', new Response('{"code":"X"}', { status: 404, headers: { 'content-type': 'application/json' } }))).join()).toContain(
      "media type 'application/json'",
    );
    expect((await verdict('GET /api/v1/orders/{id}', new Response('<html>', { status: 404, headers: { 'content-type': 'application/problem+json' } }))).join()).toContain('not JSON');
  });

  it('validates bodies against the documented schemas', async () => {
    const wrong = problem(404, { status: 'four-oh-four' });
    expect((await verdict('GET /api/v1/orders/{id}', wrong)).join()).toContain('schema');
    const mismatched = problem(404, { requestId: 'other' });
    expect((await verdict('GET /api/v1/orders/{id}', mismatched)).join()).toContain('requestId');
    const notACategoryTree = new Response(JSON.stringify({ data: 'nope' }), { status: 200, headers: { 'content-type': 'application/json' } });
    expect((await verdict('GET /api/v1/categories', notACategoryTree)).join()).toContain('schema');
  });

  it('routes URLs the way the router will (static before templated, raw dot segments re-routed)', () => {
    expect(routeOf(operations, 'GET', 'http://api.test/api/v1/orders/stats')?.id).toBe('GET /api/v1/orders/stats');
    expect(routeOf(operations, 'GET', 'http://api.test/api/v1/orders/abc')?.id).toBe('GET /api/v1/orders/{id}');
    expect(routeOf(operations, 'GET', 'http://api.test/api/v1/orders/%2e%2e')).toBeUndefined();
  });

  it('sees a row written between two fingerprints, and nothing when nothing was written', async () => {
    const fp = await openFingerprinter();
    try {
      const before = await fp.take();
      expect(changedTables(before, await fp.take())).toEqual([]);
      const id = newId();
      await withDb((db) => db.insert(categories).values({ id, slug: `oracle-${id}`, name: 'Oracle' }));
      const inserted = await fp.take();
      expect(changedTables(before, inserted)).toEqual([expect.stringMatching(/^categories \(rows \d+ → \d+\)$/)]);
      await withDb((db) => db.update(categories).set({ name: 'Oracle 2' }).where(eq(categories.id, id)));
      expect(changedTables(inserted, await fp.take())).toHaveLength(1);
    } finally {
      await fp.close();
    }
  });

  it('generates values that match the request schemas, the same ones for the same seed', () => {
    const schema = doc.components?.schemas?.AddressInput;
    expect(sample(doc, schema, new Rng('s'))).toEqual(sample(doc, schema, new Rng('s')));
    const made = fromPattern('^\\+[1-9]\\d{6,14}$', new Rng('p'));
    expect(made).toMatch(/^\+[1-9]\d{6,14}$/);
  });
});
