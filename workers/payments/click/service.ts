import { and, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../../shared/context';
import { clickPrepareIds, payments, providerTransactions } from '../../../shared/db/schema';
import { Misconfigured } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { localPaymentId, lockLocalPayment } from '../local-gateway';
import { submitClickFiscalData } from './fiscal';
import { CLICK_ACTION, clickAnswer, type ClickRequest, type ClickResponse, readClickRequest, sumToTiyin, verifyClickSign } from './protocol';

/**
 * Click's Prepare and Complete (https://docs.click.uz/en/click-api-request/).
 * Our truth is provider_transactions: one row per click_trans_id, state
 * 1 prepared, 2 completed, -1 cancelled before completion, -2 cancelled after.
 * Every step that moves a transaction locks the order's payments row FOR
 * UPDATE in the same database transaction, which serialises it against the
 * buyer's cancel (the gateway's cancelPayment locks the same row); after the
 * commit the order follows through `deps.applyPaymentState`.
 */

type Stage = 'prepare' | 'complete';
type Checked = { request: ClickRequest; tiyin: number } | { answer: ClickResponse };

type ClickTransactionDetails = {
  merchantPrepareId: number;
  clickPaydocId: string;
  clickError?: string;
  clickErrorNote?: string;
  cancelledBecause?: CancelledBecause;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Why a Click transaction was cancelled. provider_transactions.reason holds
 * Click's error code when Click's charge failed (e.g. -5017), else -9 (what we
 * answered); details.cancelledBecause says which of these it was.
 */
type CancelledBecause = 'failed_at_click' | 'order_closed' | 'superseded';
const OUR_CANCEL_CODE = -9;

function clickSecret(deps: Deps): { secretKey: string; serviceId: string } {
  const { CLICK_SECRET_KEY: secretKey, CLICK_SERVICE_ID: serviceId } = deps.config;
  if (!secretKey || !serviceId) throw new Misconfigured([...(secretKey ? [] : ['CLICK_SECRET_KEY']), ...(serviceId ? [] : ['CLICK_SERVICE_ID'])]);
  return { secretKey, serviceId };
}

/**
 * The checks every call passes before it may touch anything, in the order the
 * answer depends on them: the documented fields (-8), the signature (-1), the
 * action (-3), our service (-8), the amount's form (-2).
 */
async function check(deps: Deps, form: Record<string, unknown>, stage: Stage): Promise<Checked> {
  const { secretKey, serviceId } = clickSecret(deps);
  const request = readClickRequest(form, stage);
  const echo = {
    ...(typeof form.click_trans_id === 'string' && /^\d+$/.test(form.click_trans_id) ? { click_trans_id: form.click_trans_id } : {}),
    ...(typeof form.merchant_trans_id === 'string' ? { merchant_trans_id: form.merchant_trans_id } : {}),
  };
  if (!request) return { answer: clickAnswer('badRequest', echo) };
  if (!(await verifyClickSign(request, secretKey))) return { answer: clickAnswer('signCheckFailed', request) };
  if (request.action !== String(CLICK_ACTION[stage])) return { answer: clickAnswer('actionNotFound', request) };
  if (request.service_id !== serviceId) return { answer: clickAnswer('badRequest', request) };
  const tiyin = sumToTiyin(request.amount);
  if (tiyin === undefined) return { answer: clickAnswer('incorrectAmount', request) };
  return { request, tiyin };
}

/** The order's Click payment (merchant_trans_id is our order id), if the order is paid with Click. */
async function clickPaymentOf(deps: Deps, orderId: string) {
  if (!UUID.test(orderId)) return undefined;
  const [payment] = await deps.db
    .select({ paymentId: payments.paymentIntentId, amount: payments.amount, closedAt: payments.closedAt })
    .from(payments)
    .where(eq(payments.paymentIntentId, localPaymentId('click', orderId)));
  return payment;
}

const detailsOf = (row: { details: unknown }) => (row.details ?? {}) as ClickTransactionDetails;

/** Prepare (action 0): checks the order and amount, records the transaction as prepared (state 1). */
export async function prepareClick(deps: Deps, form: Record<string, unknown>): Promise<ClickResponse> {
  const checked = await check(deps, form, 'prepare');
  if ('answer' in checked) return checked.answer;
  const { request, tiyin } = checked;
  const payment = await clickPaymentOf(deps, request.merchant_trans_id);
  if (!payment) return clickAnswer('userDoesNotExist', request);

  const [existing] = await deps.db
    .select()
    .from(providerTransactions)
    .where(and(eq(providerTransactions.provider, 'click'), eq(providerTransactions.externalId, request.click_trans_id)));
  if (existing) {
    // A repeated Prepare (Click lost our answer): the same answer, nothing new.
    if (existing.orderId !== request.merchant_trans_id) return clickAnswer('transactionDoesNotExist', request);
    const prepareId = { merchant_prepare_id: detailsOf(existing).merchantPrepareId };
    if (existing.state === 2) return clickAnswer('alreadyPaid', request, prepareId);
    if (existing.state < 0) return clickAnswer('transactionCancelled', request, prepareId);
    if (existing.amount !== tiyin) return clickAnswer('incorrectAmount', request);
    return clickAnswer('success', request, prepareId);
  }

  if (payment.closedAt) return clickAnswer('transactionCancelled', request);
  if (tiyin !== payment.amount) return clickAnswer('incorrectAmount', request);

  const outcome = await deps.db.transaction(async (tx) => {
    const locked = await lockLocalPayment(tx, payment.paymentId);
    if (!locked || locked.closedAt) return { answer: 'transactionCancelled' as const };
    // A concurrent repeat of this very Prepare got the lock first: answer what it answered, change nothing.
    const [same] = await tx
      .select({ id: providerTransactions.id })
      .from(providerTransactions)
      .where(and(eq(providerTransactions.provider, 'click'), eq(providerTransactions.externalId, request.click_trans_id)));
    if (same) return { answer: 'repeat' as const };
    const open = await tx
      .select({ id: providerTransactions.id, state: providerTransactions.state, details: providerTransactions.details })
      .from(providerTransactions)
      .where(and(eq(providerTransactions.provider, 'click'), eq(providerTransactions.paymentId, payment.paymentId), sql`${providerTransactions.state} in (1, 2)`));
    if (open.some((t) => t.state === 2)) return { answer: 'alreadyPaid' as const };
    // The buyer started again at Click: the earlier attempt, never completed, gives way (one prepared attempt per order).
    for (const t of open) {
      await tx
        .update(providerTransactions)
        .set({ state: -1, cancelTime: Date.now(), reason: OUR_CANCEL_CODE, details: { ...t.details, cancelledBecause: 'superseded' } })
        .where(eq(providerTransactions.id, t.id));
    }
    const [{ id: merchantPrepareId }] = (await tx.execute(sql`select nextval(${sql.raw(`'${clickPrepareIds.seqName}'`)})::int as id`)).rows as [{ id: number }];
    const details: ClickTransactionDetails = { merchantPrepareId, clickPaydocId: request.click_paydoc_id };
    const inserted = await tx
      .insert(providerTransactions)
      .values({
        id: newId(),
        provider: 'click',
        externalId: request.click_trans_id,
        paymentId: payment.paymentId,
        orderId: request.merchant_trans_id,
        amount: tiyin,
        state: 1,
        createTime: Date.now(),
        providerTime: Date.parse(`${request.sign_time.replace(' ', 'T')}+05:00`) || null,
        details,
      })
      .onConflictDoNothing()
      .returning({ details: providerTransactions.details });
    if (!inserted[0]) return { answer: 'repeat' as const };
    return { answer: 'success' as const, merchantPrepareId };
  });
  if (outcome.answer === 'repeat') {
    // A concurrent repeat of this Prepare recorded it first: answer what it answered.
    return prepareClick(deps, form);
  }
  return clickAnswer(outcome.answer, request, outcome.answer === 'success' ? { merchant_prepare_id: outcome.merchantPrepareId } : undefined);
}

/**
 * Complete (action 1). error = 0: Click charged the buyer, the transaction is
 * completed (state 2) and the order paid. error < 0: the charge failed at
 * Click; the transaction is cancelled and the answer is -9, as
 * https://docs.click.uz/en/click-api-error/ requires ("the supplier should
 * cancel the payment … and return the error code -9").
 */
export async function completeClick(deps: Deps, form: Record<string, unknown>): Promise<ClickResponse> {
  const checked = await check(deps, form, 'complete');
  if ('answer' in checked) return checked.answer;
  const { request, tiyin } = checked;
  const [transaction] = await deps.db
    .select()
    .from(providerTransactions)
    .where(and(eq(providerTransactions.provider, 'click'), eq(providerTransactions.externalId, request.click_trans_id)));
  if (!transaction) {
    return (await clickPaymentOf(deps, request.merchant_trans_id))
      ? clickAnswer('transactionDoesNotExist', request)
      : clickAnswer('userDoesNotExist', request);
  }
  const details = detailsOf(transaction);
  if (transaction.orderId !== request.merchant_trans_id || String(details.merchantPrepareId) !== request.merchant_prepare_id) {
    return clickAnswer('transactionDoesNotExist', request);
  }
  if (transaction.amount !== tiyin) return clickAnswer('incorrectAmount', request);
  const confirmId = { merchant_confirm_id: details.merchantPrepareId };
  const failedAtClick = Number(request.error) < 0;

  if (!failedAtClick && transaction.state === 2) {
    // Already completed (a repeat, or its answer was lost): -4 as documented; make sure the order followed.
    await followPayment(deps, transaction.paymentId, 'click:complete');
    sendFiscalData(deps, transaction.paymentId);
    return clickAnswer('alreadyPaid', request, confirmId);
  }
  // Cancelled already (by Click's failure, or because we closed the order): -9 whatever this call says.
  if (transaction.state < 0) return clickAnswer('transactionCancelled', request, confirmId);

  const outcome = await deps.db.transaction(async (tx) => {
    const payment = await lockLocalPayment(tx, transaction.paymentId);
    const [current] = await tx
      .select({ state: providerTransactions.state })
      .from(providerTransactions)
      .where(eq(providerTransactions.id, transaction.id))
      .for('update');
    const state = current?.state ?? transaction.state;
    const now = Date.now();
    const noted = { ...details, clickError: request.error, clickErrorNote: request.error_note };
    if (failedAtClick) {
      // Click says the charge failed: a prepared transaction is cancelled; a completed one too (-2: the money is not ours).
      if (state === 1 || state === 2) {
        await tx
          .update(providerTransactions)
          .set({ state: state === 1 ? -1 : -2, cancelTime: now, reason: Number(request.error), details: { ...noted, cancelledBecause: 'failed_at_click' } })
          .where(eq(providerTransactions.id, transaction.id));
        return { answer: 'transactionCancelled' as const, moved: true };
      }
      return { answer: 'transactionCancelled' as const, moved: false };
    }
    if (state === 2) return { answer: 'alreadyPaid' as const, moved: false };
    if (state !== 1) return { answer: 'transactionCancelled' as const, moved: false };
    if (!payment || payment.closedAt) {
      // We closed the payment (the buyer cancelled, or the order expired) before Click completed: take no money.
      await tx
        .update(providerTransactions)
        .set({ state: -1, cancelTime: now, reason: OUR_CANCEL_CODE, details: { ...noted, cancelledBecause: 'order_closed' } })
        .where(eq(providerTransactions.id, transaction.id));
      return { answer: 'transactionCancelled' as const, moved: true };
    }
    await tx.update(providerTransactions).set({ state: 2, performTime: now, details: noted }).where(eq(providerTransactions.id, transaction.id));
    return { answer: 'success' as const, moved: true };
  });
  if (outcome.moved || outcome.answer === 'alreadyPaid') await followPayment(deps, transaction.paymentId, 'click:complete');
  if (outcome.answer === 'success' || outcome.answer === 'alreadyPaid') sendFiscalData(deps, transaction.paymentId);
  return clickAnswer(outcome.answer, request, confirmId);
}

/** The completed payment's fiscal receipt data goes to Click after the answer (once; a repeated Complete retries a failed send). */
function sendFiscalData(deps: Deps, paymentId: string): void {
  deps.defer(() => submitClickFiscalData(deps, paymentId));
}

/** The order follows the payment's state, as for every provider (stock committed, paid, refunds booked). */
async function followPayment(deps: Deps, paymentId: string, actor: string): Promise<void> {
  await deps.applyPaymentState(await deps.gatewayFor('click').retrievePayment(paymentId), actor);
}
