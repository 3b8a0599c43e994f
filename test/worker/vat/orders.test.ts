import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { orderItems, sellerOrders } from '../../../shared/db/schema';
import type { Receipt } from '../../../shared/payments/receipt';
import { expectProblem } from '../../support/app';
import { createCategory, createProduct, HOOK_TIMEOUT, productInput } from '../../support/catalog';
import { setStock } from '../../support/checkout';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { buyWith, callWith, expectAddsUp, jsonOf, receiptAs, sum, VAT_OFF, VAT_ON } from './support';

/**
 * docs/vat-and-receipts.md, end to end: seller A pays VAT, seller B is a
 * turnover-tax seller. Prices chosen to round awkwardly: 3 × 99 999 and 11
 * tiyin from A, 1 120 000 from B.
 */
let admin: TestUser;
let sellerA: TestUser;
let sellerB: TestUser;
let buyer: TestUser;
let otherBuyer: TestUser;
const sku = { a1: '', a2: '', b1: '' };

beforeAll(async () => {
  [admin, sellerA, sellerB, buyer, otherBuyer] = await Promise.all([
    createUser('admin'),
    createUser('seller', 'vat-a'),
    createUser('seller', 'vat-b'),
    createUser('customer', 'vat-buyer'),
    createUser('customer', 'vat-other'),
  ]);
  const category = await createCategory(admin);
  const make = async (seller: TestUser, price: number, mxik: string) => {
    const code = `VAT-${crypto.randomUUID().slice(0, 12)}`;
    await createProduct(seller, productInput(category.id, { variants: [{ sku: code, price, currency: 'USD' }], mxik, packageCode: '1501002' }));
    await setStock(seller, code, 1000);
    return code;
  };
  sku.a1 = await make(sellerA, 99_999, '08517001001000000');
  sku.a2 = await make(sellerA, 11, '03304001001000000');
  sku.b1 = await make(sellerB, 1_120_000, '06304001001000000');
  // Seller B says it is not a VAT payer.
  const set = await api('PUT', `/ledger/sellers/${sellerB.id}/vat`, { token: sellerB.accessToken, body: { vatPayer: false } });
  expect(await jsonOf(set, 200)).toEqual({ sellerId: sellerB.id, vatPayer: false, vatPercent: 0 });
}, HOOK_TIMEOUT);

const LINES: Array<[keyof typeof sku, number]> = [
  ['a1', 3],
  ['a2', 1],
  ['b1', 1],
];
const lines = () => LINES.map(([k, q]) => [sku[k], q] as [string, number]);

describe('prices including tax', () => {
  let orderId: string;
  let receipt: Receipt;

  beforeAll(async () => {
    const { cart, placed } = await buyWith(VAT_ON, buyer, lines());
    // The cart: one flat shipping; VAT per line (32 143 + 1 + 0) plus shipping's 54; the total is what the shelf says.
    expect(cart).toMatchObject({ subtotal: 1_420_008, shipping: 500, tax: 32_198, total: 1_420_508 });
    // The order: the flat 500 split over the sellers by subtotal (106 and 394), each share with its own VAT (11 and 42):
    // a tiyin less than the cart's estimate, which saw one shipping line.
    expect(placed.order).toMatchObject({ subtotal: 1_420_008, shipping: 500, tax: 32_197, total: 1_420_508 });
    orderId = placed.order.id;
    receipt = await jsonOf<Receipt>(await receiptAs(buyer, orderId), 200);
  }, HOOK_TIMEOUT);

  it('seller orders carry their own lines’ and shipping’s VAT, not a share', async () => {
    const rows = await withDb((db) => db.select().from(sellerOrders).where(eq(sellerOrders.orderId, orderId)));
    const bySeller = new Map(rows.map((r) => [r.sellerId, r]));
    expect(bySeller.get(sellerA.id)).toMatchObject({ subtotal: 300_008, shipping: 106, tax: 32_143 + 1 + 11, shippingVat: 11, total: 300_114 });
    expect(bySeller.get(sellerB.id)).toMatchObject({ subtotal: 1_120_000, shipping: 394, tax: 42, shippingVat: 42, total: 1_120_394 });
  });

  it('order lines keep the MXIK, package code, rate and VAT of checkout', async () => {
    const items = await withDb((db) => db.select().from(orderItems).where(eq(orderItems.orderId, orderId)));
    const bySku = new Map(items.map((i) => [i.sku, i]));
    expect(bySku.get(sku.a1)).toMatchObject({ mxik: '08517001001000000', packageCode: '1501002', vatBps: 1200, vat: 32_143 });
    expect(bySku.get(sku.a2)).toMatchObject({ vatBps: 1200, vat: 1 });
    expect(bySku.get(sku.b1)).toMatchObject({ mxik: '06304001001000000', vatBps: 0, vat: 0 });
  });

  it('the buyer’s receipt: a line per product and per seller’s shipping, adding up to the order’s total and tax', () => {
    expect(receipt).toMatchObject({ orderId, currency: 'USD', pricesIncludeTax: true, total: 1_420_508, vat: 32_197 });
    expectAddsUp(receipt);
    const product = (s: string) => receipt.lines.find((l) => l.sku === s);
    expect(product(sku.a1)).toEqual({
      kind: 'product',
      title: expect.any(String),
      sku: sku.a1,
      sellerId: sellerA.id,
      quantity: 3,
      unitPrice: 99_999,
      total: 299_997,
      discount: 0,
      mxik: '08517001001000000',
      packageCode: '1501002',
      vatPercent: 12,
      vat: 32_143,
    });
    expect(product(sku.b1)).toMatchObject({ vatPercent: 0, vat: 0, total: 1_120_000 });
    const shipping = receipt.lines.filter((l) => l.kind === 'shipping');
    expect(shipping.map((l) => [l.sellerId, l.total, l.vatPercent, l.vat]).sort()).toEqual(
      [
        [sellerA.id, 106, 12, 11],
        [sellerB.id, 394, 12, 42],
      ].sort(),
    );
    expect(receipt.payments).toHaveLength(1);
    expect(receipt.payments[0]).toMatchObject({ amount: 1_420_508 });
  });

  it('a seller sees only its own lines and their totals, no payments', async () => {
    const ofA = await jsonOf<Receipt>(await receiptAs(sellerA, orderId), 200);
    expect(ofA.lines.every((l) => l.sellerId === sellerA.id)).toBe(true);
    expect(ofA.lines).toHaveLength(3);
    expect(ofA).toMatchObject({ total: 300_114, vat: 32_155, payments: [] });
    expectAddsUp(ofA);
    const ofB = await jsonOf<Receipt>(await receiptAs(sellerB, orderId), 200);
    expect(ofB).toMatchObject({ total: 1_120_394, vat: 42, payments: [] });
    expect(ofB.lines.map((l) => l.sku).sort()).toEqual([sku.b1, null].sort());
  });

  it('an admin sees the whole receipt; another customer and a seller with no line in it get 404', async () => {
    expect(await jsonOf<Receipt>(await receiptAs(admin, orderId), 200)).toEqual(receipt);
    await expectProblem(await receiptAs(otherBuyer, orderId), 404, 'NOT_FOUND');
    const stranger = await createUser('seller', 'vat-stranger');
    await expectProblem(await receiptAs(stranger, orderId), 404, 'NOT_FOUND');
    await expectProblem(await receiptAs(buyer, crypto.randomUUID()), 404, 'NOT_FOUND');
    expect((await callWith({}, 'GET', `/orders/${orderId}/receipt`, undefined)).status).toBe(401);
  });

  it('the order answer shows each seller order’s own tax', async () => {
    const order = await jsonOf<{ sellerOrders: Array<{ sellerId: string; tax: number }> }>(await callWith(VAT_ON, 'GET', `/orders/${orderId}`, buyer), 200);
    expect(Object.fromEntries(order.sellerOrders.map((s) => [s.sellerId, s.tax]))).toEqual({ [sellerA.id]: 32_155, [sellerB.id]: 42 });
  });
});

describe('prices excluding tax (PRICES_INCLUDE_TAX off) keep today’s figures', () => {
  it('tax is 12% of the subtotal on top, shared over sellers; the receipt adds its VAT to the lines', async () => {
    const shopper = await createUser('customer', 'vat-off');
    const { cart, placed } = await buyWith(VAT_OFF, shopper, lines());
    // 12% of 1 420 008 = 170 400.96 → 170 401, on top; a turnover-tax seller changes nothing here.
    expect(cart).toMatchObject({ subtotal: 1_420_008, shipping: 500, tax: 170_401, total: 1_420_008 + 170_401 + 500 });
    expect(placed.order).toMatchObject({ subtotal: 1_420_008, shipping: 500, tax: 170_401, total: 1_420_008 + 170_401 + 500 });
    const receipt = await jsonOf<Receipt>(await receiptAs(shopper, placed.order.id), 200);
    expect(receipt).toMatchObject({ pricesIncludeTax: false, total: placed.order.total, vat: 170_401 });
    expectAddsUp(receipt);
    expect(receipt.lines.filter((l) => l.kind === 'product').every((l) => l.vatPercent === 12)).toBe(true);
    expect(receipt.lines.filter((l) => l.kind === 'shipping').map((l) => l.vat)).toEqual([0, 0]);
    const rows = await withDb((db) => db.select().from(sellerOrders).where(eq(sellerOrders.orderId, placed.order.id)));
    expect(sum(rows.map((r) => r.tax))).toBe(170_401);
  });
});
