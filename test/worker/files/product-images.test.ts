import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { files, outboxEvents } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { createCategory, createProduct, productInput } from '../../support/catalog';
import { securityMatrix } from '../../support/security';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { bytesOf, download, type FileBody, objectExists, uploaded } from './helpers';

let admin: TestUser, seller: TestUser, rival: TestUser;
let categoryId: string;

beforeAll(async () => {
  [admin, seller, rival] = await Promise.all([createUser('admin'), createUser('seller'), createUser('seller', 'rival')]);
  categoryId = (await createCategory(admin)).id;
});

interface ProductWithImages {
  id: string;
  images: string[];
}

const newProduct = (images: string[] = []) => createProduct(seller, productInput(categoryId, { images }));
const images = (token: string, method: string, productId: string, fileIds: string[]) =>
  api(method, `/products/${productId}/images`, { token, body: { fileIds } });
const detach = (token: string, productId: string, fileId: string) => api('DELETE', `/products/${productId}/images/${fileId}`, { token });
const urls = (...list: FileBody[]) => list.map((f) => `/api/v1/files/${f.id}`);

async function ok(res: Response): Promise<ProductWithImages> {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text);
}

async function publicImages(productId: string): Promise<string[]> {
  const res = await api('GET', `/products/${productId}`, { headers: { 'cache-control': 'no-cache' } });
  expect(res.status).toBe(200);
  return (await res.json<ProductWithImages>()).images;
}

describe('product images', () => {
  it('POST attaches in order after the current ones, publishes them, and the product lists their URLs', async () => {
    const product = await newProduct(['https://cdn.example.com/outside.jpg']);
    const [a, b, c] = await Promise.all([
      uploaded(seller.accessToken, bytesOf('png')),
      uploaded(seller.accessToken, bytesOf('jpeg')),
      uploaded(seller.accessToken, bytesOf('webp')),
    ]);
    expect((await ok(await images(seller.accessToken, 'POST', product.id, [b.id, a.id]))).images).toEqual([
      ...urls(b, a),
      'https://cdn.example.com/outside.jpg',
    ]);
    // Already attached keeps its place; the new one goes last.
    const after = await ok(await images(seller.accessToken, 'POST', product.id, [a.id, c.id]));
    expect(after.images.slice(0, 3)).toEqual(urls(b, a, c));
    expect(await publicImages(product.id)).toEqual(after.images);
    // Shoppers can load them: attaching made the private uploads public.
    expect((await download(a.id)).status).toBe(200);
    const events = await withDb((db) =>
      db.select().from(outboxEvents).where(and(eq(outboxEvents.type, 'catalog.product_changed'))),
    );
    expect(events.some((e) => (e.payload as { productId?: string }).productId === product.id && (e.payload as { change?: string }).change === 'updated')).toBe(true);
  });

  it('PUT reorders, and an image left out is removed and deleted', async () => {
    const product = await newProduct();
    const [a, b, c] = await Promise.all([
      uploaded(seller.accessToken, bytesOf('png')),
      uploaded(seller.accessToken, bytesOf('gif')),
      uploaded(seller.accessToken, bytesOf('jpeg')),
    ]);
    await ok(await images(seller.accessToken, 'POST', product.id, [a.id, b.id, c.id]));
    const reordered = await ok(await images(seller.accessToken, 'PUT', product.id, [c.id, a.id]));
    expect(reordered.images).toEqual(urls(c, a));
    expect(await publicImages(product.id)).toEqual(urls(c, a));
    expect(await objectExists(b.sha256)).toBe(false);
    expect((await download(b.id, { token: seller.accessToken })).status).toBe(404);
    expect((await ok(await images(seller.accessToken, 'PUT', product.id, []))).images).toEqual([]);
  });

  it('DELETE removes the image and its object when nothing else uses it; keeps them when another product does', async () => {
    const [p1, p2] = await Promise.all([newProduct(), newProduct()]);
    const shared = await uploaded(seller.accessToken, bytesOf('png'));
    const own = await uploaded(seller.accessToken, bytesOf('jpeg'));
    await ok(await images(seller.accessToken, 'POST', p1.id, [shared.id, own.id]));
    await ok(await images(seller.accessToken, 'POST', p2.id, [shared.id]));

    expect((await detach(seller.accessToken, p1.id, shared.id)).status).toBe(204);
    expect(await publicImages(p1.id)).toEqual(urls(own));
    expect(await objectExists(shared.sha256)).toBe(true);
    expect((await download(shared.id)).status).toBe(200);

    expect((await detach(seller.accessToken, p1.id, own.id)).status).toBe(204);
    expect(await objectExists(own.sha256)).toBe(false);
    const [row] = await withDb((db) => db.select().from(files).where(eq(files.id, own.id)));
    expect(row?.deletedAt).toBeInstanceOf(Date);

    await expectProblem(await detach(seller.accessToken, p1.id, own.id), 404, 'NOT_FOUND');
  });

  it('keeps the object when another upload shares its bytes', async () => {
    const product = await newProduct();
    const bytes = bytesOf('gif');
    const attached = await uploaded(seller.accessToken, bytes);
    const twin = await uploaded(rival.accessToken, bytes);
    await ok(await images(seller.accessToken, 'POST', product.id, [attached.id]));
    expect((await detach(seller.accessToken, product.id, attached.id)).status).toBe(204);
    expect(await objectExists(twin.sha256)).toBe(true);
    expect((await download(twin.id, { token: rival.accessToken })).status).toBe(200);
  });

  it('a file that is a product image cannot be deleted directly (409)', async () => {
    const product = await newProduct();
    const file = await uploaded(seller.accessToken, bytesOf('png'));
    await ok(await images(seller.accessToken, 'POST', product.id, [file.id]));
    await expectProblem(await api('DELETE', `/files/${file.id}`, { token: seller.accessToken }), 409, 'CONFLICT');
    expect((await download(file.id)).status).toBe(200);
  });

  it('PUT /products/:id keeps the attached images first, whatever `images` it sends', async () => {
    const product = await newProduct();
    const file = await uploaded(seller.accessToken, bytesOf('png'));
    await ok(await images(seller.accessToken, 'POST', product.id, [file.id]));
    const body = productInput(categoryId, {
      images: ['https://cdn.example.com/x.jpg', `/api/v1/files/${crypto.randomUUID()}`],
      variants: product.variants.map((v) => ({ sku: v.sku, price: v.price, currency: v.currency })),
    });
    const updated = await ok(await api('PUT', `/products/${product.id}`, { token: seller.accessToken, body }));
    expect(updated.images).toEqual([...urls(file), 'https://cdn.example.com/x.jpg']);
  });

  it('POST /products with another seller’s private file URL stores and publishes nothing of it', async () => {
    const secret = await uploaded(rival.accessToken, bytesOf('png'));
    const product = (await newProduct(['https://cdn.example.com/x.jpg', `/api/v1/files/${secret.id}`])) as unknown as ProductWithImages;
    expect(product.images).toEqual(['https://cdn.example.com/x.jpg']);
    const [row] = await withDb((db) => db.select({ visibility: files.visibility }).from(files).where(eq(files.id, secret.id)));
    expect(row?.visibility).toBe('private');
  });

  it('an admin may manage any product’s images', async () => {
    const product = await newProduct();
    const file = await uploaded(seller.accessToken, bytesOf('png'));
    expect((await ok(await images(admin.accessToken, 'POST', product.id, [file.id]))).images).toEqual(urls(file));
  });
});

describe('product images: refusals change nothing', () => {
  it('another seller gets 404 for the product', async () => {
    const product = await newProduct();
    const file = await uploaded(rival.accessToken, bytesOf('png'));
    await expectProblem(await images(rival.accessToken, 'POST', product.id, [file.id]), 404, 'NOT_FOUND');
    await expectProblem(await images(rival.accessToken, 'PUT', product.id, []), 404, 'NOT_FOUND');
    await expectProblem(await detach(rival.accessToken, product.id, file.id), 404, 'NOT_FOUND');
  });

  it('400 for a non-image, someone else’s file, an unknown file or a deleted one', async () => {
    const product = await newProduct();
    const pdf = await uploaded(seller.accessToken, bytesOf('pdf'));
    const theirs = await uploaded(rival.accessToken, bytesOf('png'));
    const gone = await uploaded(seller.accessToken, bytesOf('png'));
    expect((await api('DELETE', `/files/${gone.id}`, { token: seller.accessToken })).status).toBe(204);
    const fine = await uploaded(seller.accessToken, bytesOf('png'));
    const problem = await expectProblem(
      await images(seller.accessToken, 'POST', product.id, [fine.id, pdf.id, theirs.id, crypto.randomUUID(), gone.id]),
      400,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.map((e) => e.path)).toEqual(['fileIds.1', 'fileIds.2', 'fileIds.3', 'fileIds.4']);
    expect(await publicImages(product.id)).toEqual([]);
    expect((await download(fine.id)).status).toBe(404); // still private: nothing was attached
  });

  it('400 for repeated ids, an empty POST and a non-uuid', async () => {
    const product = await newProduct();
    const file = await uploaded(seller.accessToken, bytesOf('png'));
    await expectProblem(await images(seller.accessToken, 'POST', product.id, [file.id, file.id]), 400, 'VALIDATION_FAILED');
    await expectProblem(await images(seller.accessToken, 'POST', product.id, []), 400, 'VALIDATION_FAILED');
    await expectProblem(await images(seller.accessToken, 'POST', product.id, ['nope']), 400, 'VALIDATION_FAILED');
  });

  it('404 for an unknown product', async () => {
    const file = await uploaded(seller.accessToken, bytesOf('png'));
    await expectProblem(await images(seller.accessToken, 'POST', crypto.randomUUID(), [file.id]), 404, 'NOT_FOUND');
  });
});

const someId = crypto.randomUUID();
securityMatrix({ method: 'POST', path: `/products/${someId}/images`, body: { fileIds: [someId] }, roles: ['seller', 'admin'] });
securityMatrix({ method: 'PUT', path: `/products/${someId}/images`, body: { fileIds: [] }, roles: ['seller', 'admin'] });
securityMatrix({ method: 'DELETE', path: `/products/${someId}/images/${someId}`, roles: ['seller', 'admin'] });
