import type { Deps } from '../../../shared/context';
import { providerTransactions } from '../../../shared/db/schema';
import { DependencyUnavailable, Misconfigured } from '../../../shared/errors';
import type { PaymentGateway } from '../../../shared/payments';
import { and, eq } from 'drizzle-orm';
import { type LocalPayment, localGateway, type Tx } from '../local-gateway';
import { clickCheckoutUrl, merchantAuthHeader } from './protocol';

/** How long a reversal call to Click may take before we call Click unreachable. */
const REVERSAL_TIMEOUT_MS = 15_000;

/** Click's ids from the config, or Misconfigured naming what is missing. */
function clickIds(deps: Deps, names: Array<'CLICK_SERVICE_ID' | 'CLICK_MERCHANT_ID' | 'CLICK_MERCHANT_USER_ID' | 'CLICK_SECRET_KEY'>) {
  const missing = names.filter((n) => !deps.config[n]);
  if (missing.length) throw new Misconfigured(missing);
  return deps.config as typeof deps.config & Record<(typeof names)[number], string>;
}

/** Where Click's page sends the buyer back: PAYMENT_RETURN_URL (else APP_URL) with `?order=<id>`. */
function returnUrlFor(deps: Deps, orderId: string): string | undefined {
  const base = deps.config.PAYMENT_RETURN_URL ?? deps.config.APP_URL;
  if (!base) return undefined;
  const url = new URL(base);
  url.searchParams.set('order', orderId);
  return url.toString();
}

/**
 * Click's merchant API reversal (https://docs.click.uz/en/merchant-api-request/):
 *   DELETE {CLICK_API_BASE}/payment/reversal/{service_id}/{payment_id}
 *   Auth: merchant_user_id:sha1(timestamp + secret_key):timestamp
 * `payment_id` is the click_paydoc_id of the completed transaction. Click
 * reverses whole payments only, so a partial amount (or a payment refunded in
 * part before) is not sent: undefined, and the refund is booked as manual
 * (the operator pays it back). So is a reversal Click refuses (a non-zero
 * error_code: outside the current month, or refused by the card processing).
 * Click unreachable (network, timeout, 5xx) is DependencyUnavailable and
 * nothing is recorded; a 401/403 means our credentials are wrong.
 */
async function reverseAtClick(
  deps: Deps,
  payment: LocalPayment & { received: number; refunded: number },
  amount: number,
  tx: Tx,
): Promise<{ id: string } | undefined> {
  if (payment.refunded > 0 || amount !== payment.received) return undefined;
  const [completed] = await tx
    .select({ details: providerTransactions.details })
    .from(providerTransactions)
    .where(and(eq(providerTransactions.provider, 'click'), eq(providerTransactions.paymentId, payment.paymentId), eq(providerTransactions.state, 2)));
  const paydocId = completed?.details.clickPaydocId;
  if (typeof paydocId !== 'string' || !/^\d+$/.test(paydocId)) return undefined;

  const config = clickIds(deps, ['CLICK_SERVICE_ID', 'CLICK_MERCHANT_USER_ID', 'CLICK_SECRET_KEY']);
  const url = `${config.CLICK_API_BASE.replace(/\/+$/, '')}/payment/reversal/${config.CLICK_SERVICE_ID}/${paydocId}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'DELETE',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        auth: await merchantAuthHeader(config.CLICK_MERCHANT_USER_ID, config.CLICK_SECRET_KEY, Date.now()),
      },
      signal: AbortSignal.timeout(REVERSAL_TIMEOUT_MS),
    });
  } catch (err) {
    throw new DependencyUnavailable('click', err);
  }
  if (res.status === 401 || res.status === 403) {
    deps.logger.error('Click refused our merchant API credentials', { status: res.status });
    throw new Misconfigured(['CLICK_MERCHANT_USER_ID', 'CLICK_SECRET_KEY']);
  }
  if (res.status >= 500 || res.status === 429) throw new DependencyUnavailable('click');
  const body = (await res.json().catch(() => undefined)) as { error_code?: unknown; error_note?: unknown; payment_id?: unknown } | undefined;
  if (res.ok && body?.error_code === 0) return { id: String(body.payment_id ?? paydocId) };
  deps.logger.warn('Click refused the reversal; the refund is manual', {
    paymentId: payment.paymentId,
    status: res.status,
    errorCode: body?.error_code,
    errorNote: typeof body?.error_note === 'string' ? body.error_note : undefined,
  });
  return undefined;
}

/**
 * The payments seam for Click: its payments live in our tables (the
 * SHOP-API's Prepare/Complete record them, workers/payments/click/service.ts),
 * the buyer pays on Click's page, and refunds go through Click's reversal
 * where Click allows one (docs/payments-click.md).
 */
export function clickGateway(deps: Deps): PaymentGateway {
  return localGateway(deps, 'click', {
    checkoutUrl: ({ orderId, amount }) => {
      const config = clickIds(deps, ['CLICK_SERVICE_ID', 'CLICK_MERCHANT_ID']);
      return clickCheckoutUrl({
        base: config.CLICK_CHECKOUT_BASE,
        serviceId: config.CLICK_SERVICE_ID,
        merchantId: config.CLICK_MERCHANT_ID,
        amountTiyin: amount,
        transactionParam: orderId,
        returnUrl: returnUrlFor(deps, orderId),
      });
    },
    reverse: (payment, amount, tx) => reverseAtClick(deps, payment, amount, tx),
  });
}
