import { PaymeError } from './errors';
import type { PaymeDetail } from './detail';
import { type PaymeCall, type PaymeParams, type PaymeState, PAYME_TIMEOUT_MS, REASON, STATE } from './protocol';

/**
 * Payme's Merchant API methods as a state machine over our own records. Each
 * method is idempotent for a repeated call with the same transaction id, as
 * Payme retries a call whose answer it lost. Rules per method:
 * https://developer.help.paycom.uz/metody-merchant-api/ (one page per method).
 */

/** One Payme transaction as we keep it (a `provider_transactions` row). */
export interface PaymeTransaction {
  /** Our id for it: the `transaction` field of every answer. */
  id: string;
  /** Payme's transaction id. */
  externalId: string;
  /** Our payment (`payme_<uuid>`) and order. */
  paymentId: string;
  orderId: string;
  /** Tiyin. */
  amount: number;
  state: PaymeState;
  /** When Payme created it (CreateTransaction's `time`): the 12-hour timeout counts from here. */
  providerTime: number;
  createTime: number;
  performTime: number | null;
  cancelTime: number | null;
  reason: number | null;
}

/** What the methods need to know of an order. */
export interface PaymeOrder {
  id: string;
  /** The order's Payme payment, when it is paid with Payme. */
  paymentId: string | null;
  /** What the buyer owes, in tiyin. */
  amount: number;
  /** Awaiting a Payme payment: not paid, not cancelled or expired, not paid another way. */
  payable: boolean;
  /** The goods were handed over: a performed transaction can then no longer be cancelled (-31007). */
  delivered: boolean;
}

export type TransactionChange = Partial<Pick<PaymeTransaction, 'state' | 'performTime' | 'cancelTime' | 'reason'>>;

/** What a decision over a locked transaction writes, and the error it answers after the write commits. */
export interface Decision {
  change?: TransactionChange;
  error?: PaymeError;
}

/** Where the methods keep their state (PostgreSQL in the Worker; memory in unit tests). */
export interface PaymeStore {
  order(orderId: string): Promise<PaymeOrder | undefined>;
  transaction(externalId: string): Promise<PaymeTransaction | undefined>;
  /** The order's state-1 transaction, if one is open. */
  pendingFor(orderId: string): Promise<PaymeTransaction | undefined>;
  /**
   * Records a new state-1 transaction. `exists` when a concurrent call with the same Payme id
   * got there first; `pending` when another transaction of the order is already open.
   */
  insert(t: Omit<PaymeTransaction, 'id'>): Promise<PaymeTransaction | 'exists' | 'pending'>;
  /**
   * Locks the transaction's payment (FOR UPDATE), reads the transaction and its order again,
   * lets `decide` choose, writes its change, and commits: one DB transaction. This is what
   * serialises a PerformTransaction with a buyer's cancel of the same payment.
   */
  move(externalId: string, decide: (t: PaymeTransaction, order: PaymeOrder | undefined) => Decision): Promise<PaymeTransaction | undefined>;
  /** Transactions Payme created in [from, to] (by its `time`), oldest first. */
  statement(from: number, to: number): Promise<PaymeTransaction[]>;
  /** The fiscal detail of the order's receipt. */
  detail(orderId: string): Promise<PaymeDetail>;
}

export interface MerchantOptions {
  /** The Account field that holds our order id (PAYME_ACCOUNT_FIELD). */
  accountField: string;
  /** Milliseconds since the epoch; injectable so the 12-hour timeout can be tested. */
  now: () => number;
  /** After a perform or cancel committed: bring the order in line (applyPaymentState of the payment's new state). */
  moved: (paymentId: string, actor: string) => Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const expired = (t: PaymeTransaction, now: number) => now - t.providerTime > PAYME_TIMEOUT_MS;

/** The order the account names, payable for exactly this amount; else the documented error. */
async function payableOrder(store: PaymeStore, options: MerchantOptions, account: Record<string, string | number>, amount: number) {
  const value = account[options.accountField];
  const orderId = value === undefined ? undefined : String(value);
  if (!orderId || !UUID.test(orderId)) throw new PaymeError('orderNotFound', options.accountField);
  const order = await store.order(orderId.toLowerCase());
  if (!order) throw new PaymeError('orderNotFound', options.accountField);
  if (!order.payable || !order.paymentId) throw new PaymeError('orderNotPayable', options.accountField);
  if (order.amount !== amount) throw new PaymeError('wrongAmount');
  return { ...order, paymentId: order.paymentId };
}

const times = (t: PaymeTransaction) => ({
  create_time: t.createTime,
  perform_time: t.performTime ?? 0,
  cancel_time: t.cancelTime ?? 0,
});

/** One transaction as CheckTransaction and GetStatement describe it. */
function described(t: PaymeTransaction) {
  return { ...times(t), transaction: t.id, state: t.state, reason: t.reason };
}

/** Moves a transaction under the payment's lock; reports the move once committed; answers the decision's error after. */
async function moveTransaction(
  store: PaymeStore,
  options: MerchantOptions,
  externalId: string,
  actor: string,
  decide: (t: PaymeTransaction, order: PaymeOrder | undefined) => Decision,
): Promise<PaymeTransaction> {
  let outcome: Decision = {};
  const moved = await store.move(externalId, (t, order) => {
    outcome = decide(t, order);
    return outcome;
  });
  if (!moved) throw new PaymeError('transactionNotFound');
  // A repeat of a perform or refund reports again: if the order did not follow the first time (a failure after the commit), it does now.
  const settled = !outcome.error && (moved.state === STATE.performed || moved.state === STATE.cancelledAfterPerform);
  if (outcome.change || settled) await options.moved(moved.paymentId, actor);
  if (outcome.error) throw outcome.error;
  return moved;
}

const timeoutCancel = (now: number): Decision => ({
  change: { state: STATE.cancelled, cancelTime: now, reason: REASON.timeout },
  error: new PaymeError('cannotPerform'),
});

async function checkPerform(store: PaymeStore, options: MerchantOptions, p: PaymeParams['CheckPerformTransaction']) {
  const order = await payableOrder(store, options, p.account, p.amount);
  if (await store.pendingFor(order.id)) throw new PaymeError('orderPending', options.accountField);
  return { allow: true, detail: await store.detail(order.id) };
}

async function create(store: PaymeStore, options: MerchantOptions, p: PaymeParams['CreateTransaction']) {
  const answer = (t: PaymeTransaction) => ({ create_time: t.createTime, transaction: t.id, state: t.state });
  const repeat = async () => {
    const now = options.now();
    const t = await moveTransaction(store, options, p.id, 'payme:CreateTransaction', (t) => {
      if (t.state !== STATE.created) return { error: new PaymeError('cannotPerform') };
      return expired(t, now) ? timeoutCancel(now) : {};
    });
    return answer(t);
  };
  if (await store.transaction(p.id)) return repeat();
  const order = await payableOrder(store, options, p.account, p.amount);
  const now = options.now();
  // Payme's own clock says the transaction is already past its timeout: nothing to create.
  if (now - p.time > PAYME_TIMEOUT_MS) throw new PaymeError('cannotPerform');
  const inserted = await store.insert({
    externalId: p.id,
    paymentId: order.paymentId,
    orderId: order.id,
    amount: p.amount,
    state: STATE.created,
    providerTime: p.time,
    createTime: now,
    performTime: null,
    cancelTime: null,
    reason: null,
  });
  if (inserted === 'exists') return repeat();
  if (inserted === 'pending') throw new PaymeError('orderPending', options.accountField);
  return answer(inserted);
}

async function perform(store: PaymeStore, options: MerchantOptions, p: PaymeParams['PerformTransaction']) {
  const now = options.now();
  const t = await moveTransaction(store, options, p.id, 'payme:PerformTransaction', (t, order) => {
    if (t.state === STATE.performed) return {};
    if (t.state !== STATE.created) return { error: new PaymeError('cannotPerform') };
    if (expired(t, now)) return timeoutCancel(now);
    // We closed the payment (the buyer cancelled, or the order expired): Payme cancels the transaction itself.
    if (!order?.payable || order.paymentId !== t.paymentId) return { error: new PaymeError('cannotPerform') };
    return { change: { state: STATE.performed, performTime: now } };
  });
  return { transaction: t.id, perform_time: t.performTime ?? 0, state: t.state };
}

async function cancel(store: PaymeStore, options: MerchantOptions, p: PaymeParams['CancelTransaction']) {
  const now = options.now();
  const t = await moveTransaction(store, options, p.id, 'payme:CancelTransaction', (t, order) => {
    if (t.state === STATE.created) return { change: { state: STATE.cancelled, cancelTime: now, reason: p.reason } };
    if (t.state !== STATE.performed) return {};
    if (order?.delivered) return { error: new PaymeError('cannotCancel') };
    return { change: { state: STATE.cancelledAfterPerform, cancelTime: now, reason: p.reason } };
  });
  return { transaction: t.id, cancel_time: t.cancelTime ?? 0, state: t.state };
}

async function check(store: PaymeStore, p: PaymeParams['CheckTransaction']) {
  const t = await store.transaction(p.id);
  if (!t) throw new PaymeError('transactionNotFound');
  return described(t);
}

async function statement(store: PaymeStore, options: MerchantOptions, p: PaymeParams['GetStatement']) {
  const list = p.from > p.to ? [] : await store.statement(p.from, p.to);
  return {
    transactions: list.map((t) => ({
      id: t.externalId,
      time: t.providerTime,
      amount: t.amount,
      account: { [options.accountField]: t.orderId },
      ...described(t),
      receivers: null,
    })),
  };
}

/** Runs one authenticated, parsed call; throws a `PaymeError` for every documented refusal. */
export async function runCall(store: PaymeStore, options: MerchantOptions, call: PaymeCall): Promise<unknown> {
  switch (call.method) {
    case 'CheckPerformTransaction':
      return checkPerform(store, options, call.params);
    case 'CreateTransaction':
      return create(store, options, call.params);
    case 'PerformTransaction':
      return perform(store, options, call.params);
    case 'CancelTransaction':
      return cancel(store, options, call.params);
    case 'CheckTransaction':
      return check(store, call.params);
    case 'GetStatement':
      return statement(store, options, call.params);
  }
}
