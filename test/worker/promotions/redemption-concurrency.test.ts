import { eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { orders } from '../../../shared/db/schema';
import { addToCart, customers, level, openShop } from '../../support/checkout';
import { createPromotion, enterCode, redemptionsOf, uniqueCode, usageOf } from '../../support/promotion-checkout';
import { stampede } from '../../support/stampede';
import { withDb } from '../../support/users';

// PGlite runs one transaction at a time, so these races only exist on a real server.
const realPostgres = inject('stack').STACK_MODE.startsWith('postgres');

describe.runIf(realPostgres)('promotion redemptions under concurrency (real Postgres)', () => {
  it('100 racing checkouts for a code with 10 uses: exactly 10 discounted orders, 90 refused with nothing held', { timeout: 180_000 }, async () => {
    const shop = await openShop([2000], 500);
    const sku = shop.skus[0] ?? '';
    const code = await createPromotion({ params: { kind: 'percentage', percent: 20 }, code: uniqueCode('RACE'), codeLimit: 10 });
    const buyers = await customers(100);
    for (let i = 0; i < buyers.length; i += 20) {
      await Promise.all(
        buyers.slice(i, i + 20).map(async (b) => {
          await addToCart(b, sku, 1);
          expect((await enterCode(b, code.code ?? '')).status).toBe(200);
        }),
      );
    }

    const { outcomes } = await stampede(buyers);
    const won = outcomes.filter((o) => o.status === 201);
    const lost = outcomes.filter((o) => o.status !== 201);
    expect(won).toHaveLength(10);
    for (const o of won) expect((o.body.order as { discount: number }).discount).toBe(400);
    expect(lost).toHaveLength(90);
    for (const o of lost) {
      expect(o.status, JSON.stringify(o.body)).toBe(409);
      expect(o.body).toMatchObject({ code: 'PROMOTION_UNAVAILABLE', reason: 'limit_reached', promotionId: code.id });
    }

    // The database agrees: ten redemptions, each of an order a winner was told about, and ten uses counted.
    const wonIds = won.map((o) => (o.body.order as { id: string }).id).sort();
    expect((await redemptionsOf(code.id)).map((r) => r.orderId).sort()).toEqual(wonIds);
    expect(await usageOf(`code:${code.codeId}`)).toBe(10);
    expect(await usageOf(`promotion:${code.id}`)).toBe(10);
    const placed = await withDb((db) => db.select({ id: orders.id }).from(orders).where(eq(orders.discount, 400)));
    expect(placed.map((r) => r.id).filter((id) => wonIds.includes(id))).toHaveLength(10);
    // No refused checkout keeps a unit.
    expect(await level(sku)).toMatchObject({ onHand: 500, reserved: 10 });
  });
});
