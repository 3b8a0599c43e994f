import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { createCategory, createProduct, listIds, productInput, storedProduct, updateProduct, HOOK_TIMEOUT } from '../../support/catalog';
import { api, createUser, type TestUser } from '../../support/users';

let seller: TestUser;
let admin: TestUser;

beforeAll(async () => {
  admin = await createUser('admin');
  seller = await createUser('seller');
}, HOOK_TIMEOUT);

const tag = () => crypto.randomUUID().slice(0, 8).toUpperCase();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PUT /products/:id matches variants by SKU', () => {
  it('keeps, changes, adds and removes variants', async () => {
    const category = await createCategory(admin);
    const t = tag();
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((s) => `PUT-${t}-${s}`) as [string, string, string, string];
    const created = await createProduct(
      seller,
      productInput(category.id, {
        variants: [
          { sku: a, price: 1000, currency: 'USD', options: { size: 'S' } },
          { sku: b, price: 2000, currency: 'USD', options: { size: 'M' } },
          { sku: c, price: 3000, currency: 'USD', options: { size: 'L' } },
        ],
      }),
    );
    const idOf = (sku: string) => created.variants.find((v) => v.sku === sku)?.id;

    const updated = await updateProduct(
      seller,
      created.id,
      productInput(category.id, {
        variants: [
          { sku: d, price: 500, currency: 'USD', options: { size: 'XS' } },
          { sku: a, price: 1000, currency: 'USD', options: { size: 'S' } },
          { sku: b, price: 2500, compareAtPrice: 2600, currency: 'USD', options: { size: 'M' }, weightGrams: 300 },
        ],
      }),
    );
    // In body order; kept and changed SKUs keep their ids, the new one has a new id, C is gone.
    expect(updated.variants.map((v) => v.sku)).toEqual([d, a, b]);
    expect(updated.variants[1]).toMatchObject({ id: idOf(a), sku: a, price: 1000 });
    expect(updated.variants[2]).toMatchObject({ id: idOf(b), sku: b, price: 2500, compareAtPrice: 2600, weightGrams: 300 });
    expect(updated.variants[0]?.id).not.toBe(idOf(c));
    expect(created.variants.map((v) => v.id)).not.toContain(updated.variants[0]?.id);

    const stored = await storedProduct(created.id);
    expect(stored?.variants.map((v) => [v.sku, v.price, v.position])).toEqual([
      [d, 500, 0],
      [a, 1000, 1],
      [b, 2500, 2],
    ]);
    expect(stored?.minPrice).toBe(500);
    // The removed SKU is free again.
    const reuse = await createProduct(seller, productInput(category.id, { variants: [{ sku: c, price: 1, currency: 'USD' }] }));
    expect(reuse.variants[0]?.sku).toBe(c);

    const read = await api('GET', `/products/${created.id}`);
    expect((await read.json<{ variants: unknown[] }>()).variants).toEqual(updated.variants);
  });

  it('the cheapest variant drives price sorting after a change', async () => {
    const category = await createCategory(admin);
    const moving = await createProduct(seller, productInput(category.id, { variants: [{ sku: `MV-${tag()}`, price: 1000, currency: 'USD' }] }));
    const fixed = await createProduct(seller, productInput(category.id, { variants: [{ sku: `FX-${tag()}`, price: 800, currency: 'USD' }] }));
    expect(await listIds(`category=${category.id}&sort=price_asc`)).toEqual([fixed.id, moving.id]);

    const sku = moving.variants[0]?.sku;
    await updateProduct(seller, moving.id, productInput(category.id, { variants: [{ sku, price: 1000, currency: 'USD' }, { sku: `MV2-${tag()}`, price: 700, currency: 'USD' }] }));
    expect(await listIds(`category=${category.id}&sort=price_asc`)).toEqual([moving.id, fixed.id]);
    expect(await listIds(`category=${category.id}&sort=price_desc`)).toEqual([fixed.id, moving.id]);

    // Removing the cheap variant raises the minimum again.
    await updateProduct(seller, moving.id, productInput(category.id, { variants: [{ sku, price: 900, currency: 'USD' }] }));
    expect((await storedProduct(moving.id))?.minPrice).toBe(900);
    expect(await listIds(`category=${category.id}&sort=price_asc`)).toEqual([fixed.id, moving.id]);
  });

  it('changes the slug: the new one resolves, the old one no longer does', async () => {
    const category = await createCategory(admin);
    const p = await createProduct(seller, productInput(category.id));
    const newSlug = `renamed-${tag().toLowerCase()}`;
    const sku = p.variants[0]?.sku;
    const updated = await updateProduct(seller, p.id, productInput(category.id, { slug: newSlug, variants: [{ sku, price: 1999, currency: 'USD' }] }));
    expect(updated.slug).toBe(newSlug);
    expect((await api('GET', `/products/${newSlug}`)).status).toBe(200);
    await expectProblem(await api('GET', `/products/${p.slug}`), 404, 'NOT_FOUND');

    // Without a slug in the body the current one is kept (not re-derived from the new name).
    const kept = await updateProduct(seller, p.id, productInput(category.id, { name: 'Completely Different', variants: [{ sku, price: 1999, currency: 'USD' }] }));
    expect(kept.slug).toBe(newSlug);
    // Re-sending its own slug is not a conflict.
    expect((await updateProduct(seller, p.id, productInput(category.id, { slug: newSlug, variants: [{ sku, price: 1999, currency: 'USD' }] }))).slug).toBe(newSlug);
  });

  it('replaces every field and moves updatedAt, never createdAt', async () => {
    const category = await createCategory(admin);
    const other = await createCategory(admin);
    const p = await createProduct(seller, productInput(category.id, { images: ['https://cdn.example.com/a.jpg'], attributes: { brand: 'Acme', colour: 'red' } }));
    await sleep(20);
    const sku = p.variants[0]?.sku;
    const updated = await updateProduct(
      seller,
      p.id,
      productInput(other.id, { name: 'New name', status: 'archived', attributes: { brand: 'Other' }, variants: [{ sku, price: 1999, currency: 'EUR' }] }),
    );
    expect(updated).toMatchObject({
      id: p.id,
      name: 'New name',
      categoryId: other.id,
      status: 'archived',
      attributes: { brand: 'Other' },
      images: [],
      createdAt: p.createdAt,
      sellerId: seller.id,
    });
    expect(updated.variants[0]).toMatchObject({ sku, currency: 'EUR' });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(p.updatedAt));
    expect((await storedProduct(p.id))?.currency).toBe('EUR');
    // Archived now: out of the public listing of either category.
    expect(await listIds(`category=${other.id}`)).toEqual([]);
    expect(await listIds(`category=${other.id}&status=archived`, seller.accessToken)).toEqual([p.id]);
  });
});
