import { eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { orders, sellerOrders } from '../../../shared/db/schema';
import { ADDRESS, addToCart, level, openShop, placeOrder } from '../../support/checkout';
import { api, createUser, withDb } from '../../support/users';
import { json, sellerOrderOf, ship } from '../marketplace/helpers';

// PGlite runs one transaction at a time, so this race only exists on a real server.
const realPostgres = inject('stack').STACK_MODE.startsWith('postgres');

const ROUNDS = 8;

describe.runIf(realPostgres)('cash on delivery under concurrency (real Postgres)', () => {
  it('a seller ships while the buyer cancels: one wins, never a cancelled order with a parcel on its way, stock exact', { timeout: 180_000 }, async () => {
    const shop = await openShop([1300], 1000);
    const sku = shop.skus[0] as string;
    const wins = { shipped: 0, cancelled: 0 };
    let sold = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const buyer = await createUser('customer', 'cash-race');
      await addToCart(buyer, sku, 2);
      const placed = await json<{ order: { id: string } }>(await placeOrder(buyer, crypto.randomUUID(), { shippingAddress: ADDRESS, payment: { provider: 'cash' } }), 201);
      const so = await sellerOrderOf(shop.seller, placed.order.id);
      const lag = round % 2 ? 20 * (round % 3) : 0;
      const [shipped, cancelled] = await Promise.all([
        new Promise<void>((resolve) => setTimeout(resolve, lag)).then(() => ship(shop.seller, so.id, so.items.map((i) => ({ orderItemId: i.id, quantity: i.quantity })))),
        api('DELETE', `/orders/${placed.order.id}`, { token: buyer.accessToken }),
      ]);
      const answers = [shipped.status, cancelled.status];
      const texts = [await shipped.text(), await cancelled.text()];
      expect([[201, 409], [409, 200]], texts.join('\n')).toContainEqual(answers);

      const [order] = await withDb((db) => db.select().from(orders).where(eq(orders.id, placed.order.id)));
      const [row] = await withDb((db) => db.select().from(sellerOrders).where(eq(sellerOrders.id, so.id)));
      if (answers[0] === 201) {
        wins.shipped++;
        sold += 2;
        expect(order?.status).toBe('pending_payment');
        expect(row?.status).toBe('shipped');
      } else {
        wins.cancelled++;
        expect(order?.status).toBe('cancelled');
        expect(row?.status).toBe('cancelled');
      }
      // Shipped units are committed; a cancelled order's are back: nothing held, nothing lost.
      expect(await level(sku)).toMatchObject({ onHand: 1000 - sold, reserved: 0 });
    }
    expect(wins.shipped + wins.cancelled).toBe(ROUNDS);
  });
});
