import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orders } from '../../../shared/db/schema';
import { forwardStripeEvents } from '../../support/stripe';
import { createUser, withDb } from '../../support/users';
import {
  buy,
  confirmAtStripe,
  entriesTo,
  expireOrderRow,
  expireReservations,
  intentAtStripe,
  level,
  movements,
  openShop,
  orderOf,
  payAndSettle,
  paymentOf,
  runCron,
} from '../../support/checkout';

// The tests of this file run one after another, so a sweep never races a test's own setup.
describe('reservation expiry', () => {
  it('the cron sweep cancels an unpaid order past its reservation, releases its stock and cancels its PaymentIntent', async () => {
    const shop = await openShop([1800], 4);
    const sku = shop.skus[0] ?? '';
    const buyer = await createUser();
    const placed = await buy(buyer, [[sku, 3]]);
    const patient = await createUser();
    const fresh = await buy(patient, [[sku, 1]]);
    expect(await level(sku)).toMatchObject({ onHand: 4, reserved: 4, available: 0 });

    await expireOrderRow(placed.order.id);
    await runCron();

    const order = await orderOf(buyer, placed.order.id);
    expect(order).toMatchObject({ status: 'cancelled', cancelReason: 'expired' });
    expect(order.history?.at(-1)).toMatchObject({ from: 'pending_payment', to: 'cancelled', actor: 'system:expiry' });
    expect(await level(sku)).toMatchObject({ onHand: 4, reserved: 1, available: 3 });
    expect((await intentAtStripe(placed.payment.paymentIntentId)).status).toBe('canceled');
    // An order whose reservation has not expired is left alone.
    expect((await orderOf(patient, fresh.order.id)).status).toBe('pending_payment');
    expect((await intentAtStripe(fresh.payment.paymentIntentId)).status).not.toBe('canceled');

    // A second run finds nothing more to do; the canceled webhook changes nothing either.
    await runCron();
    const { statuses } = await forwardStripeEvents(placed.payment.paymentIntentId, { twice: true });
    expect(statuses.every((s) => s === 200)).toBe(true);
    const after = await orderOf(buyer, placed.order.id);
    expect(entriesTo(after, 'cancelled')).toBe(1);
    expect(after.cancelReason).toBe('expired');
    expect(await level(sku)).toMatchObject({ onHand: 4, reserved: 1 });
  });

  it('the sweep applies a payment Stripe took in time whose webhook is late, instead of cancelling', async () => {
    const shop = await openShop([1800], 4);
    const sku = shop.skus[0] ?? '';
    const buyer = await createUser();
    const placed = await buy(buyer, [[sku, 2]]);
    await confirmAtStripe(placed.payment.paymentIntentId);
    await expireOrderRow(placed.order.id);

    await runCron();
    const order = await orderOf(buyer, placed.order.id);
    expect(order.status).toBe('paid');
    expect(await level(sku)).toMatchObject({ onHand: 2, reserved: 0 });
    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded).toBe(0);

    const { statuses } = await forwardStripeEvents(placed.payment.paymentIntentId, { shuffle: true, twice: true });
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(entriesTo(await orderOf(buyer, placed.order.id), 'paid')).toBe(1);
    expect(await level(sku)).toMatchObject({ onHand: 2, reserved: 0 });
  });

  it('paid after the reservation expired, stock still there: the order is paid, takes its units, and its history says so', async () => {
    const shop = await openShop([1800], 4);
    const sku = shop.skus[0] ?? '';
    const buyer = await createUser();
    const placed = await buy(buyer, [[sku, 2]]);
    await confirmAtStripe(placed.payment.paymentIntentId);
    await expireReservations(placed.order.id, [sku]);
    expect(await level(sku)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
    await expireOrderRow(placed.order.id);

    const { statuses } = await forwardStripeEvents(placed.payment.paymentIntentId, { shuffle: true, twice: true });
    expect(statuses.every((s) => s === 200)).toBe(true);

    const order = await orderOf(buyer, placed.order.id);
    expect(order.status).toBe('paid');
    expect(entriesTo(order, 'paid')).toBe(1);
    expect(await level(sku)).toMatchObject({ onHand: 2, reserved: 0, available: 2 });
    const sales = (await movements(sku)).filter((m) => m.reason === 'sale');
    expect(sales.map((m) => m.delta)).toEqual([-2]);
    const paidEntry = order.history?.find((h) => h.to === 'paid');
    expect(paidEntry?.note ?? null, JSON.stringify(order.history)).toEqual(expect.stringMatching(/expired/));
    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded).toBe(0);

    // A sweep afterwards leaves the paid order alone.
    await runCron();
    expect((await orderOf(buyer, placed.order.id)).status).toBe('paid');
  });

  it('paid after the reservation expired and the units were sold meanwhile: refunded in full automatically', async () => {
    const shop = await openShop([1800], 2);
    const sku = shop.skus[0] ?? '';
    const late = await createUser();
    const placed = await buy(late, [[sku, 2]]);
    await confirmAtStripe(placed.payment.paymentIntentId);
    await expireReservations(placed.order.id, [sku]);

    // Another buyer takes both units while the first payment's webhook is still on its way.
    const quick = await createUser();
    const other = await buy(quick, [[sku, 2]]);
    await payAndSettle(quick, other);
    expect(await level(sku)).toMatchObject({ onHand: 0, reserved: 0 });
    await expireOrderRow(placed.order.id);

    const { statuses } = await forwardStripeEvents(placed.payment.paymentIntentId, { shuffle: true, twice: true });
    expect(statuses.every((s) => s === 200)).toBe(true);

    const total = placed.order.total;
    const order = await orderOf(late, placed.order.id);
    expect(order).toMatchObject({ status: 'refunded', refundedAmount: total, cancelReason: 'refunded_out_of_stock' });
    expect(order.history?.at(-1)?.note).toMatch(/refunded automatically/);
    expect(await intentAtStripe(placed.payment.paymentIntentId)).toMatchObject({ amountReceived: total, amountRefunded: total });
    expect(await level(sku)).toMatchObject({ onHand: 0, reserved: 0 });
    expect((await movements(sku)).filter((m) => m.reason === 'sale').map((m) => m.reservationId)).toEqual([`order:${other.order.id}:${sku}`]);
    expect((await orderOf(quick, other.order.id)).status).toBe('paid');

    // The refund's own webhooks (and a sweep) leave it there, and the payment record catches up.
    const again = await forwardStripeEvents(placed.payment.paymentIntentId, { shuffle: true });
    expect(again.statuses.every((s) => s === 200)).toBe(true);
    await runCron();
    const final = await orderOf(late, placed.order.id);
    expect(final).toMatchObject({ status: 'refunded', refundedAmount: total });
    expect(entriesTo(final, 'refunded')).toBe(1);
    expect(await paymentOf(late, placed.order.id)).toMatchObject({ amountReceived: total, amountRefunded: total });
    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded).toBe(total);
  });

  it('a payment that lands on an order the sweep already cancelled as expired (its PaymentIntent cancel failed): paid, no longer marked cancelled', async () => {
    const shop = await openShop([1800], 4);
    const sku = shop.skus[0] ?? '';
    const buyer = await createUser();
    const placed = await buy(buyer, [[sku, 1]]);
    await confirmAtStripe(placed.payment.paymentIntentId);
    // What the sweep leaves when Stripe refused its cancel: order cancelled as expired, units released.
    await expireReservations(placed.order.id, [sku]);
    await withDb((db) =>
      db.update(orders).set({ status: 'cancelled', cancelReason: 'expired', cancelledAt: new Date() }).where(eq(orders.id, placed.order.id)),
    );

    const { statuses } = await forwardStripeEvents(placed.payment.paymentIntentId, { shuffle: true, twice: true });
    expect(statuses.every((s) => s === 200)).toBe(true);
    const order = await orderOf(buyer, placed.order.id);
    expect(order).toMatchObject({ status: 'paid', cancelReason: null });
    expect(entriesTo(order, 'paid')).toBe(1);
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });
    expect((await intentAtStripe(placed.payment.paymentIntentId)).amountRefunded).toBe(0);
    expect(order, 'a paid order still carries cancelledAt').toMatchObject({ cancelledAt: null });
  });

  it('one order whose PaymentIntent Stripe does not know does not stop the sweep of the others', async () => {
    const shop = await openShop([1800], 4);
    const sku = shop.skus[0] ?? '';
    const [a, b] = [await createUser(), await createUser()];
    const broken = await buy(a, [[sku, 1]]);
    const normal = await buy(b, [[sku, 1]]);
    // The broken one is the oldest, so every sweep meets it first.
    await withDb((db) =>
      db.update(orders).set({ paymentIntentId: `pi_unknown_${crypto.randomUUID().slice(0, 8)}`, reservationExpiresAt: new Date(Date.UTC(2001, 0, 1)) }).where(eq(orders.id, broken.order.id)),
    );
    await expireOrderRow(normal.order.id);
    try {
      await runCron();
      expect(await orderOf(b, normal.order.id)).toMatchObject({ status: 'cancelled', cancelReason: 'expired' });
    } finally {
      // Never leave a row behind that would block later sweeps of this run.
      await withDb((db) => db.update(orders).set({ status: 'cancelled', cancelReason: 'test_cleanup' }).where(eq(orders.id, broken.order.id)));
    }
  });
});
