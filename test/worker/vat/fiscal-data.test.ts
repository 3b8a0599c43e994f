import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { createCategory, HOOK_TIMEOUT, productInput, storedProduct } from '../../support/catalog';
import { api, createUser, type TestUser } from '../../support/users';
import { callWith, jsonOf } from './support';

/** docs/vat-and-receipts.md: MXIK and package codes on products, required to publish where fiscal data is required. */
const FISCAL = { FISCAL_DATA_REQUIRED: 'true' };
const CODES = { mxik: '08517001001000000', packageCode: '1501002' };

let admin: TestUser;
let seller: TestUser;
let otherSeller: TestUser;
let customer: TestUser;
let categoryId: string;

beforeAll(async () => {
  [admin, seller, otherSeller, customer] = await Promise.all([
    createUser('admin'),
    createUser('seller', 'fiscal'),
    createUser('seller', 'fiscal-other'),
    createUser('customer', 'fiscal-buyer'),
  ]);
  categoryId = (await createCategory(admin)).id;
}, HOOK_TIMEOUT);

describe('MXIK and package codes', () => {
  it('are written on create and update and shown in product answers', async () => {
    const created = await jsonOf<{ id: string; mxik: string; packageCode: string }>(
      await callWith(FISCAL, 'POST', '/products', seller, productInput(categoryId, CODES)),
      201,
    );
    expect(created).toMatchObject(CODES);
    const read = await jsonOf<typeof created>(await api('GET', `/products/${created.id}`), 200);
    expect(read).toMatchObject(CODES);
    const changed = { mxik: '03304001001000000', packageCode: '2' };
    const updated = await jsonOf<typeof created>(await callWith(FISCAL, 'PUT', `/products/${created.id}`, seller, productInput(categoryId, changed)), 200);
    expect(updated).toMatchObject(changed);
  });

  it('default to null, and a product without them is published where fiscal data is not required', async () => {
    const res = await callWith({ FISCAL_DATA_REQUIRED: 'false' }, 'POST', '/products', seller, productInput(categoryId));
    expect(await jsonOf(res, 201)).toMatchObject({ status: 'published', mxik: null, packageCode: null });
  });

  it.each([
    ['mxik', '0851700100100000'], // 16 digits
    ['mxik', '085170010010000001'], // 18 digits
    ['mxik', '0851700100100000A'],
    ['packageCode', ''],
    ['packageCode', '15 01'],
    ['packageCode', '123456789012345678901'], // 21 digits
  ])('%s %j is refused with 400 naming the field, and nothing is written', async (field, value) => {
    const body = productInput(categoryId, { ...CODES, [field]: value });
    const problem = await expectProblem(await callWith(FISCAL, 'POST', '/products', seller, body), 400, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.path)).toContain(field);
  });
});

describe('publishing where fiscal data is required', () => {
  it('without the codes is refused with 409 naming the missing fields', async () => {
    const problem = await expectProblem(await callWith(FISCAL, 'POST', '/products', seller, productInput(categoryId)), 409, 'CONFLICT');
    expect(problem.fields).toEqual(['mxik', 'packageCode']);
    const half = await expectProblem(
      await callWith(FISCAL, 'POST', '/products', seller, productInput(categoryId, { mxik: CODES.mxik })),
      409,
      'CONFLICT',
    );
    expect(half.fields).toEqual(['packageCode']);
  });

  it('a draft may go without; publishing it later needs them, and a refused update changes nothing', async () => {
    const draft = await jsonOf<{ id: string }>(await callWith(FISCAL, 'POST', '/products', seller, productInput(categoryId, { status: 'draft' })), 201);
    const publish = productInput(categoryId, { status: 'published' });
    const problem = await expectProblem(await callWith(FISCAL, 'PUT', `/products/${draft.id}`, seller, publish), 409, 'CONFLICT');
    expect(problem.fields).toEqual(['mxik', 'packageCode']);
    expect(await storedProduct(draft.id)).toMatchObject({ status: 'draft', mxik: null });
    const done = await callWith(FISCAL, 'PUT', `/products/${draft.id}`, seller, { ...publish, ...CODES });
    expect(await jsonOf(done, 200)).toMatchObject({ status: 'published', ...CODES });
  });
});

describe('a seller’s VAT status', () => {
  const vat = (user: TestUser | undefined, sellerId: string, method = 'GET', body?: unknown) =>
    callWith({}, method, `/ledger/sellers/${sellerId}/vat`, user, body);

  it('is a VAT payer until said otherwise; the seller itself and an admin may change it', async () => {
    expect(await jsonOf(await vat(seller, seller.id), 200)).toEqual({ sellerId: seller.id, vatPayer: true, vatPercent: 12 });
    expect(await jsonOf(await vat(seller, seller.id, 'PUT', { vatPayer: false }), 200)).toEqual({ sellerId: seller.id, vatPayer: false, vatPercent: 0 });
    expect(await jsonOf(await vat(admin, seller.id), 200)).toMatchObject({ vatPayer: false });
    expect(await jsonOf(await vat(admin, seller.id, 'PUT', { vatPayer: true }), 200)).toMatchObject({ vatPayer: true, vatPercent: 12 });
    expect(await jsonOf(await vat(seller, seller.id), 200)).toMatchObject({ vatPayer: true });
  });

  it('another seller gets 404 and changes nothing; a customer 403; nobody signed in 401; a non-seller 404', async () => {
    await expectProblem(await vat(otherSeller, seller.id, 'PUT', { vatPayer: false }), 404, 'NOT_FOUND');
    await expectProblem(await vat(otherSeller, seller.id), 404, 'NOT_FOUND');
    await expectProblem(await vat(customer, seller.id, 'PUT', { vatPayer: false }), 403, 'FORBIDDEN');
    await expectProblem(await vat(undefined, seller.id), 401, 'UNAUTHENTICATED');
    await expectProblem(await vat(admin, customer.id, 'PUT', { vatPayer: false }), 404, 'NOT_FOUND');
    expect(await jsonOf(await vat(seller, seller.id), 200)).toMatchObject({ vatPayer: true });
  });

  it('refuses a body that is not a boolean flag', async () => {
    await expectProblem(await vat(admin, seller.id, 'PUT', { vatPayer: 'no' }), 400, 'VALIDATION_FAILED');
    await expectProblem(await vat(admin, seller.id, 'PUT', { vatPayer: true, rate: 0 }), 400, 'VALIDATION_FAILED');
  });
});
