import { createRouter } from '../../../shared/openapi';
import type { Deps } from '../../../shared/context';
import { type MerchantOptions, runCall } from './merchant';
import { answerPayme } from './rpc';
import { paymeRoute } from './route';
import { paymeStore } from './store';

export { paymeGateway } from './gateway';

/** The Merchant API's options for a request: the account field, the clock, and how the order follows a move. */
export function merchantOptions(deps: Deps, now: () => number = Date.now): MerchantOptions {
  return {
    accountField: deps.config.PAYME_ACCOUNT_FIELD,
    now,
    // After the move committed: the order follows the payment's computed state (paid, refunded) as for Stripe.
    moved: async (paymentId, actor) => deps.applyPaymentState(await deps.gatewayFor(paymentId).retrievePayment(paymentId), actor),
  };
}

/**
 * `POST /api/v1/payments/payme`: Payme Business's calls (JSON-RPC 2.0,
 * always HTTP 200). `now` is injectable so tests can step over the 12-hour
 * timeout.
 */
export function createPaymeRouter(options: { now?: () => number } = {}) {
  const router = createRouter();
  router.openapi(paymeRoute, async (c) => {
    const deps = c.get('deps');
    const answer = await answerPayme(
      await c.req.text(),
      c.req.header('authorization'),
      deps.config.PAYME_KEY,
      (call) => runCall(paymeStore(deps), merchantOptions(deps, options.now), call),
      (err) => deps.logger.error('payme: a Merchant API call failed', { error: String(err) }),
    );
    return c.json(answer, 200);
  });
  return router;
}

export const paymeMerchantApi = createPaymeRouter();
