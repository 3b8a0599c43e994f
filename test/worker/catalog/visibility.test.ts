import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { createCategory, createProduct, isolatedClient, listIds, productInput, type ProductBody, HOOK_TIMEOUT } from '../../support/catalog';
import { api, createUser, type TestUser } from '../../support/users';

let owner: TestUser, otherSeller: TestUser, customer: TestUser, admin: TestUser;
let category: { id: string };
let published: ProductBody, draft: ProductBody, archived: ProductBody, deleted: ProductBody;
const sorted = (ids: string[]) => [...ids].sort();

beforeAll(async () => {
  owner = await createUser('seller');
  otherSeller = await createUser('seller');
  customer = await createUser('customer');
  admin = await createUser('admin');
  category = await createCategory(admin);
  published = await createProduct(owner, productInput(category.id, { status: 'published' }));
  draft = await createProduct(owner, productInput(category.id, { status: 'draft' }));
  archived = await createProduct(owner, productInput(category.id, { status: 'archived' }));
  deleted = await createProduct(owner, productInput(category.id, { status: 'published' }));
  expect((await api('DELETE', `/products/${deleted.id}`, { token: owner.accessToken })).status).toBe(204);
}, HOOK_TIMEOUT);

const detail = (idOrSlug: string, token?: string) => api('GET', `/products/${idOrSlug}`, { token });

describe('unpublished products are hidden from the public', () => {
  it.each([
    ['anonymous', () => undefined],
    ['a customer', () => customer.accessToken],
    ['another seller', () => otherSeller.accessToken],
  ])('%s: detail 404 by id and slug, absent from every listing', async (_who, token) => {
    for (const p of [draft, archived, deleted]) {
      await expectProblem(await detail(p.id, token()), 404, 'NOT_FOUND');
      await expectProblem(await detail(p.slug, token()), 404, 'NOT_FOUND');
    }
    const shown = await detail(published.slug, token());
    expect(shown.status).toBe(200);
    expect((await shown.json<ProductBody>()).id).toBe(published.id);
    expect(await listIds(`category=${category.id}`, token())).toEqual([published.id]);
    expect(await listIds(`category=${category.id}&status=draft`, token())).toEqual([]);
    expect(await listIds(`category=${category.id}&status=archived`, token())).toEqual([]);
    expect(await listIds(`category=${category.id}&status=published`, token())).toEqual([published.id]);
  });

  it('a published product reads the same by id and by slug', async () => {
    const byId = await detail(published.id);
    const bySlug = await detail(published.slug);
    expect(byId.status).toBe(200);
    expect(bySlug.status).toBe(200);
    const body = await byId.json<ProductBody>();
    expect(body).toMatchObject({ id: published.id, slug: published.slug, status: 'published', sellerId: owner.id, categoryId: category.id });
    expect(await bySlug.json()).toEqual(body);
    await expectProblem(await detail(crypto.randomUUID()), 404, 'NOT_FOUND');
    await expectProblem(await detail('no-such-product-slug'), 404, 'NOT_FOUND');
  });

  it('an invalid token on a public read is 401, not silently anonymous', async () => {
    const res = await api('GET', `/products/${published.id}`, { headers: { authorization: 'Bearer not-a-jwt' } });
    await expectProblem(res, 401, 'UNAUTHENTICATED');
  });
});

describe('the owning seller sees its own unpublished products', () => {
  it('detail by id and slug, privately', async () => {
    for (const p of [draft, archived]) {
      for (const key of [p.id, p.slug]) {
        const res = await detail(key, owner.accessToken);
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ id: p.id, status: p.status });
        expect(res.headers.get('cache-control')).toBe('private, no-store');
      }
    }
  });

  it('lists them with status=, and alongside the published ones without it', async () => {
    expect(await listIds(`category=${category.id}&status=draft`, owner.accessToken)).toEqual([draft.id]);
    expect(await listIds(`category=${category.id}&status=archived`, owner.accessToken)).toEqual([archived.id]);
    expect(await listIds(`category=${category.id}&status=published`, owner.accessToken)).toEqual([published.id]);
    expect(sorted(await listIds(`category=${category.id}`, owner.accessToken))).toEqual(sorted([published.id, draft.id, archived.id]));
    const res = await api('GET', `/products?category=${category.id}&status=draft`, { token: owner.accessToken });
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('a deleted product is gone, even for its seller', async () => {
    await expectProblem(await detail(deleted.id, owner.accessToken), 404, 'NOT_FOUND');
    await expectProblem(await detail(deleted.slug, owner.accessToken), 404, 'NOT_FOUND');
    expect(await listIds(`category=${category.id}&status=published`, owner.accessToken)).not.toContain(deleted.id);
  });

  it('another seller’s drafts stay hidden from a seller’s own view', async () => {
    const mine = await createProduct(otherSeller, productInput(category.id, { status: 'draft' }));
    expect(await listIds(`category=${category.id}&status=draft`, otherSeller.accessToken)).toEqual([mine.id]);
    expect(await listIds(`category=${category.id}&status=draft`, owner.accessToken)).toEqual([draft.id]);
    expect(await listIds(`category=${category.id}&seller=${owner.id}&status=draft`, otherSeller.accessToken)).toEqual([]);
    await expectProblem(await detail(mine.id, owner.accessToken), 404, 'NOT_FOUND');
    expect(await listIds(`category=${category.id}`)).toEqual([published.id]);
  });
});

describe('an admin sees every live product', () => {
  it('detail and listings of any seller’s drafts and archives, but not deleted ones', async () => {
    for (const p of [draft, archived]) {
      expect((await detail(p.id, admin.accessToken)).status).toBe(200);
      expect((await detail(p.slug, admin.accessToken)).status).toBe(200);
    }
    await expectProblem(await detail(deleted.id, admin.accessToken), 404, 'NOT_FOUND');
    expect(await listIds(`category=${category.id}&seller=${owner.id}&status=draft`, admin.accessToken)).toEqual([draft.id]);
    expect(await listIds(`category=${category.id}&seller=${owner.id}&status=archived`, admin.accessToken)).toEqual([archived.id]);
    expect(sorted(await listIds(`category=${category.id}&seller=${owner.id}`, admin.accessToken))).toEqual(
      sorted([published.id, draft.id, archived.id]),
    );
  });
});

describe('status filter and the shared cache', () => {
  // The public listing is cached; a status= request by someone who may not see
  // drafts must neither poison nor read the cache entry of the unfiltered list.
  it('anonymous status=draft first, then the plain listing still shows the published product', async () => {
    const client = isolatedClient('vis-status');
    const drafts = await client('GET', `/products?category=${category.id}&status=draft`);
    expect((await drafts.json<{ data: unknown[] }>()).data).toEqual([]);
    const plain = await client('GET', `/products?category=${category.id}`);
    expect((await plain.json<{ data: ProductBody[] }>()).data.map((p) => p.id)).toEqual([published.id]);
  });

  it('plain listing first, then anonymous status=draft or archived is still empty', async () => {
    const client = isolatedClient('vis-status');
    const plain = await client('GET', `/products?category=${category.id}`);
    expect((await plain.json<{ data: ProductBody[] }>()).data.map((p) => p.id)).toEqual([published.id]);
    for (const status of ['draft', 'archived']) {
      const res = await client('GET', `/products?category=${category.id}&status=${status}`, { token: customer.accessToken });
      expect((await res.json<{ data: unknown[] }>()).data, status).toEqual([]);
    }
  });

  it('400 for an unknown status', async () => {
    await expectProblem(await api('GET', `/products?status=deleted`), 400, 'VALIDATION_FAILED');
  });
});
