import type { PaymentGateway, PaymentState } from '../../shared/payments';
import { PaymentDeclined } from '../../shared/payments';

export interface GatewayCall {
  method: keyof Omit<PaymentGateway, 'provider'>;
  args: unknown[];
}

/**
 * A payment provider in memory that records every call: what a test hands to
 * `createApp(…, { paymentGateway })` or `new Deps(…, { paymentGateway })` to
 * see which calls the API makes, without a provider or a stand-in. A payment
 * method starting `pm_decline` is declined; any other one pays in full.
 */
export function recordingGateway(): PaymentGateway & { calls: GatewayCall[]; payments: Map<string, PaymentState> } {
  const calls: GatewayCall[] = [];
  const payments = new Map<string, PaymentState>();
  const byKey = new Map<string, string>();
  const find = (id: string) => {
    const payment = payments.get(id);
    if (!payment) throw new Error(`no such payment ${id}`);
    return payment;
  };
  return {
    provider: 'recording',
    calls,
    payments,
    async createPayment(input, idempotencyKey) {
      calls.push({ method: 'createPayment', args: [input, idempotencyKey] });
      const existing = byKey.get(idempotencyKey);
      if (existing) return find(existing);
      const id = `rec_${crypto.randomUUID()}`;
      const payment: PaymentState = {
        id,
        status: 'requires_payment_method',
        amount: input.amount,
        amountReceived: 0,
        amountRefunded: 0,
        currency: input.currency,
        clientSecret: `${id}_secret`,
        orderId: input.orderId,
        userId: input.userId,
        lastError: null,
      };
      payments.set(id, payment);
      byKey.set(idempotencyKey, id);
      return { ...payment };
    },
    async confirmPayment(paymentId, paymentMethodId) {
      calls.push({ method: 'confirmPayment', args: [paymentId, paymentMethodId] });
      const payment = find(paymentId);
      if (paymentMethodId.startsWith('pm_decline')) throw new PaymentDeclined('Your card was declined.', 'generic_decline');
      Object.assign(payment, { status: 'succeeded', amountReceived: payment.amount });
      return { ...payment };
    },
    async cancelPayment(paymentId, reason) {
      calls.push({ method: 'cancelPayment', args: [paymentId, reason] });
      find(paymentId).status = 'canceled';
    },
    async refundPayment(input, idempotencyKey) {
      calls.push({ method: 'refundPayment', args: [input, idempotencyKey] });
      const payment = find(input.paymentId);
      payment.amountRefunded += input.amount;
      return { id: `re_${crypto.randomUUID()}`, amount: input.amount };
    },
    async retrievePayment(paymentId) {
      calls.push({ method: 'retrievePayment', args: [paymentId] });
      return { ...find(paymentId) };
    },
    async verifyWebhook() {
      calls.push({ method: 'verifyWebhook', args: [] });
      throw new Error('the recording gateway sends no webhooks');
    },
  };
}
