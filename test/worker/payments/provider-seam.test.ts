import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { Deps } from '../../../shared/context';
import { payments, providerRefunds, providerTransactions } from '../../../shared/db/schema';
import { type Bindings, loadConfig } from '../../../shared/env';
import { newId } from '../../../shared/ids';
import { createLogger } from '../../../shared/logger';
import { Conflict } from '../../../shared/errors';
import { createApp } from '../../../workers/app';
import { WIRING } from '../../../workers/wiring';
import { testEnv } from '../../support/app';
import { ADDRESS, addToCart, level, openShop, orderOf, placeOrder, type Placed } from '../../support/checkout';
import { API, createUser, type TestUser } from '../../support/users';

const deps = new Deps(loadConfig(testEnv), testEnv, createLogger('error', {}), WIRING);
afterAll(() => deps.dispose());

/** The real app with bindings the test chooses (here: which providers the deployment offers). */
async function callWith(env: Partial<Bindings>, method: string, path: string, user: TestUser, body?: unknown) {
  const ctx = createExecutionContext();
  const res = await createApp().fetch(
    new Request(`${API}${path}`, {
      method,
      headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { ...testEnv, ...env } as Bindings,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

/** A performed (or otherwise stated) provider transaction, as a provider's handler would record it. */
async function recordTransaction(provider: 'payme' | 'click' | 'cash', placed: Placed, state: number) {
  await deps.db.insert(providerTransactions).values({
    id: newId(),
    provider,
    externalId: crypto.randomUUID(),
    paymentId: placed.payment.paymentIntentId,
    orderId: placed.order.id,
    amount: placed.order.total,
    state,
    createTime: Date.now(),
    performTime: state === 2 || state === -2 ? Date.now() : 0,
    cancelTime: state < 0 ? Date.now() : 0,
  });
}

async function uzsOrder(provider: 'payme' | 'click' | 'cash', units = 2) {
  const shop = await openShop([125_000_00], 5, 'UZS');
  const buyer = await createUser('customer', `seam-${provider}`);
  const sku = shop.skus[0] as string;
  await addToCart(buyer, sku, units);
  const res = await placeOrder(buyer, crypto.randomUUID(), { shippingAddress: ADDRESS, payment: { provider } });
  expect(res.status, await res.clone().text()).toBe(201);
  return { shop, buyer, sku, placed: await res.json<Placed & { payment: { provider: string; checkoutUrl: string | null } }>() };
}

describe('one seam for every provider', () => {
  it('a checkout names its provider; the order and its payment say who is paid and the id names the provider', async () => {
    const { buyer, placed } = await uzsOrder('payme');
    expect(placed.payment).toMatchObject({ provider: 'payme', paymentIntentId: `payme_${placed.order.id}`, clientSecret: null });
    const order = await orderOf(buyer, placed.order.id);
    expect(order).toMatchObject({ paymentProvider: 'payme', status: 'pending_payment' });
    const [row] = await deps.db.select().from(payments).where(eq(payments.orderId, placed.order.id));
    expect(row).toMatchObject({ provider: 'payme', paymentIntentId: `payme_${placed.order.id}`, amount: placed.order.total, currency: 'UZS' });
    expect(await deps.gatewayFor(row?.paymentIntentId ?? '').retrievePayment(row?.paymentIntentId ?? '')).toMatchObject({
      status: 'requires_payment_method',
      amountReceived: 0,
      orderId: placed.order.id,
      userId: buyer.id,
    });
  });

  it('a provider the deployment does not offer, or one that cannot take the currency, is a 409 and reserves nothing', async () => {
    const usd = await openShop([1500], 5);
    const buyer = await createUser('customer', 'seam-refused');
    const sku = usd.skus[0] as string;
    await addToCart(buyer, sku, 1);
    const before = await level(sku);

    const payme = await callWith({}, 'POST', '/orders', buyer, { shippingAddress: ADDRESS, payment: { provider: 'payme' } });
    expect(payme.status).toBe(409);
    expect(await payme.json()).toMatchObject({ code: 'PAYMENT_PROVIDER_UNAVAILABLE', provider: 'payme' });

    const notOffered = await callWith({ PAYMENT_PROVIDERS: 'payme,click' } as Partial<Bindings>, 'POST', '/orders', buyer, {
      shippingAddress: ADDRESS,
      payment: { provider: 'cash' },
    });
    expect(notOffered.status).toBe(409);
    expect(await notOffered.json()).toMatchObject({ code: 'PAYMENT_PROVIDER_UNAVAILABLE', provider: 'cash', offered: ['payme', 'click'] });

    const unknown = await callWith({}, 'POST', '/orders', buyer, { shippingAddress: ADDRESS, payment: { provider: 'paypal' } });
    expect(unknown.status).toBe(400);
    expect(await level(sku)).toEqual(before);
  });

  it('our cancel closes an unpaid payment (the provider can no longer pay it) and releases the stock', async () => {
    const { buyer, sku, placed } = await uzsOrder('click');
    await recordTransaction('click', placed, 1);
    const gateway = deps.gatewayFor(placed.payment.paymentIntentId);
    expect((await gateway.retrievePayment(placed.payment.paymentIntentId)).status).toBe('processing');

    const res = await callWith({}, 'DELETE', `/orders/${placed.order.id}`, buyer);
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await orderOf(buyer, placed.order.id)).status).toBe('cancelled');
    const state = await gateway.retrievePayment(placed.payment.paymentIntentId);
    expect(state.status).toBe('canceled');
    const [row] = await deps.db.select().from(payments).where(eq(payments.paymentIntentId, placed.payment.paymentIntentId));
    expect(row?.closedAt).toBeInstanceOf(Date);
    expect((await level(sku)).reserved).toBe(0);
  });

  it('a performed transaction pays the order through applyPaymentState; cancel is then refused; refunds book once per key', async () => {
    const { buyer, sku, placed } = await uzsOrder('payme');
    const paymentId = placed.payment.paymentIntentId;
    const gateway = deps.gatewayFor(paymentId);
    await recordTransaction('payme', placed, 2);
    await deps.applyPaymentState(await gateway.retrievePayment(paymentId), 'test');
    expect((await orderOf(buyer, placed.order.id)).status).toBe('paid');
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 0 });
    await expect(gateway.cancelPayment(paymentId)).rejects.toBeInstanceOf(Conflict);

    const part = Math.floor(placed.order.total / 3);
    const first = await gateway.refundPayment({ paymentId, amount: part, metadata: {} }, `refund:test:${paymentId}`);
    const again = await gateway.refundPayment({ paymentId, amount: part, metadata: {} }, `refund:test:${paymentId}`);
    expect(again).toEqual(first);
    const rows = await deps.db.select().from(providerRefunds).where(eq(providerRefunds.paymentId, paymentId));
    expect(rows).toEqual([expect.objectContaining({ amount: part, method: 'manual' })]);
    await expect(gateway.refundPayment({ paymentId, amount: placed.order.total, metadata: {} }, `refund:too-much:${paymentId}`)).rejects.toBeInstanceOf(Conflict);
    expect(await gateway.retrievePayment(paymentId)).toMatchObject({ status: 'succeeded', amountReceived: placed.order.total, amountRefunded: part });
  });

  it('a performed transaction cancelled at the provider (-2) counts as refunded in full, never more than was received', async () => {
    const { placed } = await uzsOrder('payme', 1);
    const paymentId = placed.payment.paymentIntentId;
    const gateway = deps.gatewayFor(paymentId);
    await recordTransaction('payme', placed, 2);
    await gateway.refundPayment({ paymentId, amount: 100, metadata: {} }, `refund:part:${paymentId}`);
    await deps.db.update(providerTransactions).set({ state: -2 }).where(eq(providerTransactions.paymentId, paymentId));
    expect(await gateway.retrievePayment(paymentId)).toMatchObject({ amountReceived: placed.order.total, amountRefunded: placed.order.total });
  });
});
