import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/env';
import type { Receipt } from '../../../shared/payments/receipt';
import { clickFiscalItems } from '../../../workers/payments/click/fiscal';
import { testEnv } from '../../support/app';
import { createCategory, createProduct, productInput } from '../../support/catalog';
import { setStock } from '../../support/checkout';
import { api, createUser } from '../../support/users';
import { clickAttempt, clickConfig, complete, placeClickOrder, prepare, sum } from './click';

const MXIK = '06401001001000000';
const PACKAGE = '1501002';

/** The fiscal receipt data the Click sandbox accepted for a payment (null until it has some). */
async function fiscalAtClick(paydocId: string) {
  const res = await fetch(new URL(`/sandbox/fiscal/${paydocId}`, clickConfig().apiBase));
  return res.json<{ payment_id: number; items: Array<Record<string, unknown>>; received_card: number } | null>();
}

async function eventually<T>(read: () => Promise<T | null>): Promise<T | null> {
  for (let i = 0; i < 50; i++) {
    const value = await read();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

describe("Click's fiscal receipt data (ofd_data/submit_items)", () => {
  it("a completed payment's receipt lines go to Click with their MXIK, package code and VAT; a failed send is retried on Click's repeat", async () => {
    const admin = await createUser('admin');
    const seller = await createUser('seller');
    const category = await createCategory(admin);
    const sku = `FIS-${crypto.randomUUID().slice(0, 12)}`;
    await createProduct(seller, productInput(category.id, { variants: [{ sku, price: 12_345_600, currency: 'UZS' }], mxik: MXIK, packageCode: PACKAGE }));
    await setStock(seller, sku, 5);
    const buyer = await createUser();
    const placed = await placeClickOrder(buyer, [[sku, 3]]);
    const orderId = placed.order.id;
    const amount = sum(placed.order.total);

    const attempt = clickAttempt();
    const prepared = await prepare({ orderId, amount, ...attempt });
    expect(await complete({ orderId, amount, ...attempt, prepareId: prepared.merchant_prepare_id! })).toMatchObject({ error: 0 });
    // Click did not know the payment yet (the test plays Click's part): the sandbox refused the receipt, nothing was accepted.
    await new Promise((r) => setTimeout(r, 300));
    expect(await fiscalAtClick(attempt.paydocId)).toBeNull();

    const charged = await fetch(new URL('/sandbox/payments', clickConfig().apiBase), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ payment_id: attempt.paydocId, merchant_trans_id: orderId, amount }).toString(),
    });
    expect(charged.status).toBe(200);
    // Click repeats Complete (its answer was lost): -4, and the receipt is sent again, now accepted.
    expect(await complete({ orderId, amount, ...attempt, prepareId: prepared.merchant_prepare_id! })).toMatchObject({ error: -4 });
    const sent = await eventually(() => fiscalAtClick(attempt.paydocId));

    const receipt = await (await api('GET', `/orders/${orderId}/receipt`, { token: buyer.accessToken })).json<Receipt>();
    const config = loadConfig(testEnv);
    expect(sent).toMatchObject({ payment_id: Number(attempt.paydocId), received_card: placed.order.total });
    expect(sent?.items).toEqual(
      receipt.lines.map((line) =>
        expect.objectContaining({
          Name: line.title,
          SPIC: line.kind === 'shipping' ? config.SHIPPING_MXIK : MXIK,
          PackageCode: line.kind === 'shipping' ? config.SHIPPING_PACKAGE_CODE : PACKAGE,
          Price: receipt.pricesIncludeTax ? line.total : line.total + line.vat,
          Amount: line.quantity,
          VAT: line.vat,
          VATPercent: line.vatPercent,
          CommissionInfo: { TIN: config.FISCAL_TIN },
        }),
      ),
    );
    expect(receipt.lines.find((l) => l.kind === 'product')).toMatchObject({ sku, quantity: 3, total: 3 * 12_345_600, mxik: MXIK });
  });

  it('names what is missing instead of sending a receipt Click would refuse', () => {
    const receipt: Receipt = {
      orderId: 'o',
      number: 'UM-2026-000001',
      currency: 'UZS',
      pricesIncludeTax: true,
      total: 1_120_500,
      vat: 120_054,
      payments: [],
      lines: [
        { kind: 'product', title: 'Choy', sku: 'TEA-1', sellerId: 's', quantity: 2, unitPrice: 560_000, total: 1_120_000, discount: 0, mxik: null, packageCode: PACKAGE, vatPercent: 12, vat: 120_000 },
        { kind: 'shipping', title: 'Yetkazib berish', sku: null, sellerId: 's', quantity: 1, unitPrice: 500, total: 500, discount: 0, mxik: null, packageCode: null, vatPercent: 12, vat: 54 },
      ],
    };
    expect(clickFiscalItems(receipt, {})).toEqual({ missing: ['FISCAL_TIN', 'mxik of TEA-1', 'SHIPPING_MXIK', 'SHIPPING_PACKAGE_CODE'] });
    const withCodes = { ...receipt, lines: receipt.lines.map((l) => (l.kind === 'product' ? { ...l, mxik: MXIK } : l)) };
    const built = clickFiscalItems(withCodes, { tin: '123456789', shippingMxik: '10112006002000000', shippingPackageCode: '1' });
    expect(built).toMatchObject({ total: 1_120_500, items: [{ SPIC: MXIK, GoodPrice: 560_000, Price: 1_120_000, Amount: 2, VAT: 120_000 }, { SPIC: '10112006002000000', Price: 500, VAT: 54 }] });
  });
});
