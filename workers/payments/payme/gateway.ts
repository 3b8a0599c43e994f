import type { Deps } from '../../../shared/context';
import { Misconfigured } from '../../../shared/errors';
import type { PaymentGateway } from '../../../shared/payments';
import { localGateway } from '../local-gateway';
import { PAYME_TIMEOUT_MS, checkoutUrl } from './protocol';

/**
 * Payme behind the payments seam. Its truth is in our tables (Payme calls
 * us), so it is the local gateway with Payme's checkout link and 12-hour
 * timeout. Refunds are `manual`: the Merchant API has no call for them; the
 * operator refunds in the Payme Business cabinet, which then calls
 * CancelTransaction (docs/payments-payme.md).
 */
export function paymeGateway(deps: Deps, options: { now?: () => number } = {}): PaymentGateway {
  const config = deps.config;
  const returnBase = config.PAYMENT_RETURN_URL ?? config.APP_URL;
  const gateway = localGateway(deps, 'payme', {
    pendingTimeoutMs: PAYME_TIMEOUT_MS,
    now: options.now,
    checkoutUrl: ({ orderId, amount }) =>
      config.PAYME_MERCHANT_ID
        ? checkoutUrl({
            base: config.PAYME_CHECKOUT_BASE,
            merchantId: config.PAYME_MERCHANT_ID,
            accountField: config.PAYME_ACCOUNT_FIELD,
            orderId,
            amount,
            returnUrl: returnBase ? `${returnBase}${returnBase.includes('?') ? '&' : '?'}order=${orderId}` : undefined,
          })
        : null,
  });
  return {
    ...gateway,
    async createPayment(input, idempotencyKey) {
      if (!config.PAYME_MERCHANT_ID || !config.PAYME_KEY) throw new Misconfigured(['PAYME_MERCHANT_ID', 'PAYME_KEY']);
      return gateway.createPayment(input, idempotencyKey);
    },
  };
}
