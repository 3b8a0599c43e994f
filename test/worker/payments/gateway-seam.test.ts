import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { Deps } from '../../../shared/context';
import { type Bindings, loadConfig } from '../../../shared/env';
import { createLogger } from '../../../shared/logger';
import type { PaymentState } from '../../../shared/payments';
import { refundRemainder } from '../../../workers/payments/public';
import { createApp } from '../../../workers/app';
import { testEnv } from '../../support/app';
import { recordingGateway } from '../../support/payment-gateway';
import { API, createUser, type TestUser } from '../../support/users';
import { ADDRESS, addToCart, openShop } from '../../support/checkout';

/** Calls the real app with the payment gateway the test picked (no provider, no stand-in behind it). */
function appWith(gateway: ReturnType<typeof recordingGateway>) {
  const app = createApp(undefined, { paymentGateway: () => gateway });
  return async (method: string, path: string, user: TestUser, body?: unknown, headers: Record<string, string> = {}) => {
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`${API}${path}`, {
        method,
        headers: { authorization: `Bearer ${user.accessToken}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      }),
      testEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  };
}

describe('the payments seam', () => {
  it('checkout, payment and cancellation call the gateway the app was given, and nothing else', async () => {
    const gateway = recordingGateway();
    const call = appWith(gateway);
    const shop = await openShop([1500], 5);
    const buyer = await createUser('customer', 'seam');
    await addToCart(buyer, shop.skus[0] as string, 2);

    const placed = await call('POST', '/orders', buyer, { shippingAddress: ADDRESS }, { 'idempotency-key': crypto.randomUUID() });
    expect(placed.status, await placed.clone().text()).toBe(201);
    const { order, payment } = await placed.json<{ order: { id: string; total: number; currency: string }; payment: { paymentIntentId: string; clientSecret: string } }>();
    expect(gateway.calls[0]).toEqual({
      method: 'createPayment',
      args: [{ orderId: order.id, userId: buyer.id, amount: order.total, currency: order.currency, description: `UltraMarket order ${order.id}` }, `order:${order.id}`],
    });
    expect(payment).toEqual({ provider: 'stripe', paymentIntentId: expect.stringMatching(/^rec_/), clientSecret: `${payment.paymentIntentId}_secret`, checkoutUrl: null });

    // A decline is the gateway's PaymentDeclined, answered 402; the order stays payable.
    const declined = await call('POST', '/payments/process', buyer, { orderId: order.id, paymentMethodId: 'pm_decline_card' });
    expect(declined.status).toBe(402);

    // Paying applies the gateway's state to the order (through the orders domain's handler).
    const paid = await call('POST', '/payments/process', buyer, { orderId: order.id, paymentMethodId: 'pm_ok' });
    expect(paid.status, await paid.clone().text()).toBe(200);
    const afterPay = await (await call('GET', `/orders/${order.id}`, buyer)).json<{ status: string; sellerOrders: Array<{ id: string }> }>();
    expect(afterPay.status).toBe('paid');
    const sellerOrderId = afterPay.sellerOrders[0]?.id ?? '';

    // Cancelling a paid order refunds each seller order's part, keyed by its cancel step, through the same gateway.
    const cancelled = await call('DELETE', `/orders/${order.id}`, buyer);
    expect(cancelled.status, await cancelled.clone().text()).toBe(200);
    const refunds = gateway.calls.filter((c) => c.method === 'refundPayment');
    expect(refunds).toEqual([
      {
        method: 'refundPayment',
        args: [
          {
            paymentId: payment.paymentIntentId,
            amount: order.total,
            reason: 'requested_by_customer',
            metadata: { order_id: order.id, seller_order_id: sellerOrderId, source: `cancel:${sellerOrderId}` },
          },
          `refund:cancel:${sellerOrderId}`,
        ],
      },
    ]);
    expect(gateway.calls.map((c) => c.method)).toEqual([
      'createPayment',
      'confirmPayment',
      'confirmPayment',
      'retrievePayment',
      'retrievePayment',
      'refundPayment',
      'retrievePayment',
    ]);
  });
});

describe('refundRemainder', () => {
  const depsWith = (gateway: ReturnType<typeof recordingGateway>) => {
    const config = loadConfig(testEnv as Bindings);
    return new Deps(config, testEnv, createLogger('error'), { paymentGateway: () => gateway });
  };
  const paymentOf = (gateway: ReturnType<typeof recordingGateway>, over: Partial<PaymentState>): PaymentState => {
    const state: PaymentState = {
      id: `rec_${crypto.randomUUID()}`,
      status: 'succeeded',
      amount: 5000,
      amountReceived: 5000,
      amountRefunded: 0,
      currency: 'USD',
      clientSecret: null,
      lastError: null,
      ...over,
    };
    gateway.payments.set(state.id, { ...state });
    return state;
  };

  it('refunds exactly what was received and not yet refunded, under the given key', async () => {
    const gateway = recordingGateway();
    const payment = paymentOf(gateway, { amountRefunded: 1200 });
    const refunded = await refundRemainder(depsWith(gateway), payment, { idempotencyKey: 'k-1', metadata: { order_id: 'o-1' } });
    expect(refunded).toBe(3800);
    expect(gateway.calls).toEqual([
      {
        method: 'refundPayment',
        args: [{ paymentId: payment.id, amount: 3800, reason: 'requested_by_customer', metadata: { order_id: 'o-1' } }, 'k-1'],
      },
    ]);
  });

  it('calls nobody when nothing is left (fully refunded, or never captured)', async () => {
    const gateway = recordingGateway();
    const deps = depsWith(gateway);
    expect(await refundRemainder(deps, paymentOf(gateway, { amountRefunded: 5000 }), { idempotencyKey: 'k', metadata: {} })).toBe(0);
    expect(await refundRemainder(deps, paymentOf(gateway, { amountReceived: 0, status: 'requires_payment_method' }), { idempotencyKey: 'k', metadata: {} })).toBe(0);
    expect(gateway.calls).toEqual([]);
  });
});
