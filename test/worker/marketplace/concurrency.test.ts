import { eq, inArray } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { refundAllocations, sellerOrders, shipmentItems, shipments } from '../../../shared/db/schema';
import { buy, intentAtStripe, movements, openShop, payAndSettle, type Placed } from '../../support/checkout';
import { createUser, type TestUser, withDb } from '../../support/users';
import { cancelPart, sellerOrderOf, ship, type SellerOrderBody } from './helpers';

// PGlite runs one transaction at a time, so these races only exist on a real server.
const realPostgres = inject('stack').STACK_MODE.startsWith('postgres');

const ROUNDS = 8;

/** What the database holds for a seller order after the race. */
async function stateOf(sellerOrderId: string) {
  return withDb(async (db) => {
    const [so] = await db.select().from(sellerOrders).where(eq(sellerOrders.id, sellerOrderId));
    const parcels = await db.select().from(shipments).where(eq(shipments.sellerOrderId, sellerOrderId));
    const units = parcels.length
      ? await db.select().from(shipmentItems).where(inArray(shipmentItems.shipmentId, parcels.map((p) => p.id)))
      : [];
    const allocations = await db.select().from(refundAllocations).where(eq(refundAllocations.sellerOrderId, sellerOrderId));
    return { so, parcels, shippedUnits: units.reduce((n, u) => n + u.quantity, 0), allocations };
  });
}

describe.runIf(realPostgres)('seller orders under concurrency (real Postgres)', () => {
  it('two sellers ship while the buyer cancels one of them, twice over: one outcome per seller order, one refund, no double shipment', { timeout: 180_000 }, async () => {
    const [shopA, shopB] = [await openShop([1100], 100), await openShop([2300], 100)];
    const [skuA, skuB] = [shopA.skus[0] ?? '', shopB.skus[0] ?? ''];
    const outcomes = { shippedB: 0, cancelledB: 0, cancelledA: 0 };

    for (let round = 0; round < ROUNDS; round++) {
      const buyer: TestUser = await createUser('customer', 'race-buyer');
      const placed: Placed = await buy(buyer, [
        [skuA, 2],
        [skuB, 3],
      ]);
      await payAndSettle(buyer, placed);
      const soA = await sellerOrderOf(shopA.seller, placed.order.id);
      const soB = await sellerOrderOf(shopB.seller, placed.order.id);
      const all = (so: SellerOrderBody) => so.items.map((i) => ({ orderItemId: i.id, quantity: i.quantity }));

      // At the same moment: A ships everything (twice, as a retrying client would), B ships everything,
      // and the buyer cancels B's part (twice, with two keys) — and, every other round, A's too.
      const calls: Array<() => Promise<Response>> = [
        () => ship(shopA.seller, soA.id, all(soA)),
        () => ship(shopA.seller, soA.id, all(soA)),
        () => ship(shopB.seller, soB.id, all(soB)),
        () => cancelPart(buyer, placed.order.id, soB.id),
        () => cancelPart(buyer, placed.order.id, soB.id),
        ...(round % 2 ? [() => cancelPart(buyer, placed.order.id, soA.id)] : []),
      ];
      // Half the rounds hold the shipments back a little (the cancel does more before its claim), so each side wins some races.
      const lag = round % 4 < 2 ? 0 : 40 + 30 * (round % 3);
      const later = (call: () => Promise<Response>) => (lag ? new Promise<void>((resolve) => setTimeout(resolve, lag)).then(call) : call());
      const started = calls.map((call, i) => (i < 3 ? later(call) : call()));
      const answers = await Promise.all(started);
      const statuses = await Promise.all(answers.map(async (res) => ({ status: res.status, body: await res.text() })));
      for (const s of statuses) expect([200, 201, 409], s.body).toContain(s.status);
      const [shipA1, shipA2, shipB, cancelB1, cancelB2] = statuses;

      const a = await stateOf(soA.id);
      const b = await stateOf(soB.id);
      for (const [state, total, units] of [
        [a, soA.total, 2],
        [b, soB.total, 3],
      ] as const) {
        // Exactly one consistent end: shipped in one parcel with every unit and no refund, or cancelled, unshipped and refunded once.
        if (state.so?.status === 'shipped') {
          expect(state.parcels).toHaveLength(1);
          expect(state.shippedUnits).toBe(units);
          expect(state.allocations).toEqual([]);
          expect(state.so.refundedAmount).toBe(0);
        } else {
          expect(state.so?.status).toBe('cancelled');
          expect(state.parcels).toEqual([]);
          expect(state.allocations.map((x) => [x.source, x.amount])).toEqual([[`cancel:${state.so?.id}`, total]]);
          expect(state.so?.refundedAmount).toBe(total);
        }
      }
      // The HTTP answers agree with the database: B's shipment won exactly when B is shipped.
      expect(shipB?.status === 201).toBe(b.so?.status === 'shipped');
      if (b.so?.status === 'cancelled') {
        expect([cancelB1?.status, cancelB2?.status]).toContain(200);
        outcomes.cancelledB++;
      } else {
        expect([cancelB1?.status, cancelB2?.status]).toEqual([409, 409]);
        outcomes.shippedB++;
      }
      if (a.so?.status === 'cancelled') outcomes.cancelledA++;
      // Of A's two identical shipments at most one went through.
      expect([shipA1?.status, shipA2?.status].filter((s) => s === 201).length).toBe(a.so?.status === 'shipped' ? 1 : 0);

      // Money: the provider refunded exactly the cancelled parts, once each.
      const cancelledTotal = (a.so?.status === 'cancelled' ? soA.total : 0) + (b.so?.status === 'cancelled' ? soB.total : 0);
      expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded).toBe(cancelledTotal);
      // Stock: one restock per cancelled seller order, none for a shipped one.
      for (const [so, sku] of [
        [a.so, skuA],
        [b.so, skuB],
      ] as const) {
        const back = (await movements(sku)).filter((m) => m.actor === `seller-order:${so?.id}`);
        expect(back.map((m) => m.delta)).toEqual(so?.status === 'cancelled' ? [so.id === soA.id ? 2 : 3] : []);
      }
    }
    console.log(`[seller-order concurrency] over ${ROUNDS} rounds: B shipped ${outcomes.shippedB}×, B cancelled ${outcomes.cancelledB}×, A cancelled ${outcomes.cancelledA}×`);
  });
});
