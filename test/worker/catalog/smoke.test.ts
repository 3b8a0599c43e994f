import { describe, expect, it } from 'vitest';
import { createCategory, createProduct, productInput } from '../../support/catalog';
import { api, createUser } from '../../support/users';

describe('catalog smoke', () => {
  it('creates, lists, reads, searches', async () => {
    const admin = await createUser('admin');
    const seller = await createUser('seller');
    const root = await createCategory(admin, { name: 'Electronics' });
    const phones = await createCategory(admin, { name: 'Phones', parentId: root.id });
    const p = await createProduct(seller, productInput(phones.id, { name: 'Apple iPhone 15 Pro', attributes: { brand: 'Apple' } }));
    expect(p.variants).toHaveLength(1);

    const list = await api('GET', `/products?category=${root.id}`);
    const body = await list.json<{ data: Array<{ id: string }>; nextCursor: string | null }>();
    expect(list.status).toBe(200);
    expect(body.data.map((x) => x.id)).toEqual([p.id]);
    expect(list.headers.get('etag')).toBeTruthy();

    const again = await api('GET', `/products?category=${root.id}`, { headers: { 'if-none-match': list.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);

    const detail = await api('GET', `/products/${p.slug}`);
    expect(detail.status).toBe(200);

    const search = await api('GET', `/search?q=iphnoe&category=${root.id}`);
    const found = await search.json<{ hits: Array<{ id: string }>; total: number; facets: Record<string, unknown> }>();
    expect(search.status, JSON.stringify(found)).toBe(200);
    expect(found.hits.map((h) => h.id)).toContain(p.id);
    expect(found.facets).toHaveProperty('brand');

    const tree = await api('GET', '/categories');
    expect(tree.status).toBe(200);
  });
});
