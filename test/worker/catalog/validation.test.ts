import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_IMAGE_URLS } from '../../fuzz/hostile';
import { expectProblem } from '../../support/app';
import {
  countWritten,
  createCategory,
  createProduct,
  productInput,
  type ProductBody,
  storedProduct,
  validationPaths,
  HOOK_TIMEOUT,
} from '../../support/catalog';
import { api, createUser, type TestUser } from '../../support/users';

let seller: TestUser;
let category: { id: string };

beforeAll(async () => {
  const admin = await createUser('admin');
  seller = await createUser('seller');
  category = await createCategory(admin);
}, HOOK_TIMEOUT);

const variant = (sku: string, overrides: Record<string, unknown> = {}) => ({ sku, price: 1000, currency: 'USD', ...overrides });

/** An invalid body (built from unique names and SKUs) and the error path it must name. */
const INVALID: Array<[string, string, (tag: string) => Record<string, unknown>]> = [
  ['negative price', 'variants.0.price', (t) => ({ variants: [variant(`${t}-A`, { price: -1 })] })],
  ['non-integer price', 'variants.0.price', (t) => ({ variants: [variant(`${t}-A`, { price: 19.99 })] })],
  ['price as a string', 'variants.0.price', (t) => ({ variants: [variant(`${t}-A`, { price: '1000' })] })],
  ['compareAtPrice below price', 'variants.0.compareAtPrice', (t) => ({ variants: [variant(`${t}-A`, { price: 1000, compareAtPrice: 999 })] })],
  ['mixed currencies', 'variants.1.currency', (t) => ({ variants: [variant(`${t}-A`), variant(`${t}-B`, { currency: 'EUR' })] })],
  ['lower-case currency', 'variants.0.currency', (t) => ({ variants: [variant(`${t}-A`, { currency: 'usd' })] })],
  ['four-letter currency', 'variants.0.currency', (t) => ({ variants: [variant(`${t}-A`, { currency: 'USDT' })] })],
  ['no variants', 'variants', () => ({ variants: [] })],
  ['variants missing', 'variants', () => ({ variants: undefined })],
  ['SKU repeated in the body', 'variants.2.sku', (t) => ({ variants: [variant(`${t}-A`), variant(`${t}-B`), variant(`${t}-A`)] })],
  ['SKU with a space', 'variants.0.sku', (t) => ({ variants: [variant(`${t} A`)] })],
  ['unknown product field', 'colour', (t) => ({ colour: 'red', variants: [variant(`${t}-A`)] })],
  ['unknown variant field', 'variants.0.stock', (t) => ({ variants: [variant(`${t}-A`, { stock: 5 })] })],
  ['sellerId is not an input', 'sellerId', (t) => ({ sellerId: crypto.randomUUID(), variants: [variant(`${t}-A`)] })],
  ['bad slug', 'slug', (t) => ({ slug: 'Not A Slug', variants: [variant(`${t}-A`)] })],
  ['categoryId not a uuid', 'categoryId', (t) => ({ categoryId: 'electronics', variants: [variant(`${t}-A`)] })],
  ['blank name', 'name', (t) => ({ name: '   ', variants: [variant(`${t}-A`)] })],
  ['unknown status', 'status', (t) => ({ status: 'live', variants: [variant(`${t}-A`)] })],
  ['attribute key not snake_case', 'attributes.Brand', (t) => ({ attributes: { Brand: 'Acme' }, variants: [variant(`${t}-A`)] })],
  ...HOSTILE_IMAGE_URLS.map(
    (url): [string, string, (tag: string) => Record<string, unknown>] => [
      `image ${JSON.stringify(url)}`,
      'images.1',
      (t) => ({ images: ['https://cdn.example.com/ok.jpg', url], variants: [variant(`${t}-A`)] }),
    ],
  ),
];

const tagOf = () => `BAD-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
const skusOf = (body: Record<string, unknown>) => ((body.variants as Array<{ sku: string }> | undefined) ?? []).map((v) => v.sku);

describe('POST /products rejects invalid bodies and writes nothing', () => {
  it.each(INVALID)('%s → 400 naming %s', async (_label, path, make) => {
    const tag = tagOf();
    const body = { ...productInput(category.id, { name: `Invalid ${tag}` }), ...make(tag) };
    const paths = await validationPaths(await api('POST', '/products', { token: seller.accessToken, body }));
    expect(paths).toContain(path);
    expect(await countWritten(`Invalid ${tag}`, skusOf(body))).toEqual({ products: 0, variants: 0 });
  });
});

describe('PUT /products/:id rejects invalid bodies and changes nothing', () => {
  let product: ProductBody;
  beforeAll(async () => {
    product = await createProduct(seller, productInput(category.id));
  }, HOOK_TIMEOUT);

  it.each(INVALID)('%s → 400 naming %s', async (_label, path, make) => {
    const tag = tagOf();
    const body = { ...productInput(category.id, { name: `Invalid ${tag}` }), ...make(tag) };
    const before = await storedProduct(product.id);
    const paths = await validationPaths(await api('PUT', `/products/${product.id}`, { token: seller.accessToken, body }));
    expect(paths).toContain(path);
    expect(await storedProduct(product.id)).toEqual(before);
  });
});

describe('conflicts with stored data', () => {
  it('a SKU of another product → 409 (create and replace), nothing written', async () => {
    const owner = await createProduct(seller, productInput(category.id));
    const takenSku = owner.variants[0]?.sku as string;
    const name = `Copycat ${tagOf()}`;
    const body = productInput(category.id, { name, variants: [variant(`${tagOf()}-NEW`), variant(takenSku)] });
    await expectProblem(await api('POST', '/products', { token: seller.accessToken, body }), 409, 'CONFLICT');
    expect(await countWritten(name, [skusOf(body)[0] as string])).toEqual({ products: 0, variants: 0 });

    const other = await createProduct(seller, productInput(category.id));
    const otherBefore = await storedProduct(other.id);
    const ownerBefore = await storedProduct(owner.id);
    const put = await api('PUT', `/products/${other.id}`, { token: seller.accessToken, body: { ...body, name: 'Steals a SKU' } });
    await expectProblem(put, 409, 'CONFLICT');
    expect(await storedProduct(other.id)).toEqual(otherBefore);
    expect(await storedProduct(owner.id)).toEqual(ownerBefore);
  });

  it('an explicit slug already taken → 409 (create and replace)', async () => {
    const taken = await createProduct(seller, productInput(category.id, { slug: `taken-${crypto.randomUUID().slice(0, 8)}` }));
    const name = `Same slug ${tagOf()}`;
    const body = productInput(category.id, { name, slug: taken.slug });
    await expectProblem(await api('POST', '/products', { token: seller.accessToken, body }), 409, 'CONFLICT');
    expect(await countWritten(name, skusOf(body))).toEqual({ products: 0, variants: 0 });

    const other = await createProduct(seller, productInput(category.id));
    const before = await storedProduct(other.id);
    await expectProblem(await api('PUT', `/products/${other.id}`, { token: seller.accessToken, body: { ...body, name: 'X' } }), 409, 'CONFLICT');
    expect(await storedProduct(other.id)).toEqual(before);
  });

  it('a slug derived from a taken name gets a unique suffix (201)', async () => {
    const name = `Cosy Wool Jumper ${crypto.randomUUID().slice(0, 6)}`;
    const base = name.toLowerCase().replaceAll(' ', '-');
    const first = await createProduct(seller, productInput(category.id, { name }));
    const second = await createProduct(seller, productInput(category.id, { name }));
    const third = await createProduct(seller, productInput(category.id, { name }));
    expect(first.slug).toBe(base);
    expect(second.slug).toMatch(new RegExp(`^${base}-[a-z0-9]+$`));
    expect(third.slug).toMatch(new RegExp(`^${base}-[a-z0-9]+$`));
    expect(new Set([first.slug, second.slug, third.slug]).size).toBe(3);
    expect((await api('GET', `/products/${second.slug}`)).status).toBe(200);
  });

  it('an unknown categoryId → 400 naming categoryId (create and replace), nothing written', async () => {
    const name = `Lost ${tagOf()}`;
    const body = productInput(crypto.randomUUID(), { name });
    expect(await validationPaths(await api('POST', '/products', { token: seller.accessToken, body }))).toEqual(['categoryId']);
    expect(await countWritten(name, skusOf(body))).toEqual({ products: 0, variants: 0 });

    const p = await createProduct(seller, productInput(category.id));
    const before = await storedProduct(p.id);
    expect(await validationPaths(await api('PUT', `/products/${p.id}`, { token: seller.accessToken, body }))).toEqual(['categoryId']);
    expect(await storedProduct(p.id)).toEqual(before);
  });

  it('a slug shaped like an id is refused, or its product is still found by it', async () => {
    // GET /products/{id} (an id or a slug) reads anything uuid-shaped as an id.
    const slug = crypto.randomUUID();
    const res = await api('POST', '/products', { token: seller.accessToken, body: productInput(category.id, { slug }) });
    if (res.status === 400) {
      expect(await validationPaths(res)).toContain('slug');
      return;
    }
    expect(res.status).toBe(201);
    const read = await api('GET', `/products/${slug}`);
    expect(read.status).toBe(200);
    expect((await read.json<ProductBody>()).slug).toBe(slug);
  });
});
