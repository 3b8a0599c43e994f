import { asc, eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { Deps } from '../../../shared/context';
import { ledgerEntries, sellerOrders } from '../../../shared/db/schema';
import { loadConfig } from '../../../shared/env';
import { createLogger } from '../../../shared/logger';
import { WIRING } from '../../../workers/wiring';
import { testEnv } from '../../support/app';
import { createCategory, createProduct, productInput } from '../../support/catalog';
import { setStock } from '../../support/checkout';
import { api, type TestUser, withDb } from '../../support/users';

/** Dependencies as the Worker wires them (the Stripe stand-in, postLedger, applyPaymentState), for calling services directly. */
export const wiredDeps = () => new Deps(loadConfig(testEnv), testEnv, createLogger('error'), WIRING);

/** Runs `fn` with wired dependencies and closes them. */
export async function withDeps<T>(fn: (deps: Deps) => Promise<T>): Promise<T> {
  const deps = wiredDeps();
  try {
    return await fn(deps);
  } finally {
    await deps.dispose();
  }
}

/** One published product of `seller` in `categoryId` at `price` USD, with stock; returns its SKU. */
export async function product(seller: TestUser, categoryId: string, price: number, stock = 50): Promise<string> {
  const sku = `LG-${crypto.randomUUID().slice(0, 12)}`;
  await createProduct(seller, productInput(categoryId, { variants: [{ sku, price, currency: 'USD' }] }));
  await setStock(seller, sku, stock);
  return sku;
}

export const category = (admin: TestUser, commissionBps: number | null = null) => createCategory(admin, { commissionBps });

export const entriesOf = (orderId: string) =>
  withDb((db) => db.select().from(ledgerEntries).where(eq(ledgerEntries.orderId, orderId)).orderBy(asc(ledgerEntries.key)));

export const sellerOrdersOf = (orderId: string) =>
  withDb((db) => db.select().from(sellerOrders).where(eq(sellerOrders.orderId, orderId)).orderBy(asc(sellerOrders.sellerId)));

/** Marks seller orders delivered `daysAgo` days ago (delivery itself is another part's endpoint). */
export const deliver = (sellerOrderId: string, daysAgo: number) =>
  withDb((db) =>
    db
      .update(sellerOrders)
      .set({ status: 'delivered', deliveredAt: sql`now() - make_interval(days => ${daysAgo})` })
      .where(eq(sellerOrders.id, sellerOrderId)),
  );

export async function balanceOf(user: TestUser, sellerId?: string, currency = 'USD') {
  const query = new URLSearchParams({ currency, ...(sellerId ? { sellerId } : {}) });
  const res = await api('GET', `/ledger/balance?${query}`, { token: user.accessToken });
  expect(res.status, await res.clone().text()).toBe(200);
  const body = await res.json<{ balances: Array<{ currency: string; pending: number; available: number; paidOut: number }> }>();
  return body.balances.find((b) => b.currency === currency) ?? { currency, pending: 0, available: 0, paidOut: 0 };
}

export function payout(admin: TestUser, body: { sellerId: string; amount: number; currency?: string; reference?: string }, key = crypto.randomUUID()) {
  return api('POST', '/ledger/payouts', {
    token: admin.accessToken,
    headers: { 'idempotency-key': key },
    body: { currency: 'USD', reference: 'PP-TEST', ...body },
  });
}

export async function reconcileReport(admin: TestUser) {
  const res = await api('GET', '/ledger/reconcile?limit=1000', { token: admin.accessToken });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<{ consistent: boolean; mismatches: Array<{ orderId: string; difference: number }> }>();
}

/** Half-up rounding of total × bps / 10000, as the docs promise. */
export const expectedCommission = (total: number, bps: number) => Math.floor((total * bps + 5_000) / 10_000);
