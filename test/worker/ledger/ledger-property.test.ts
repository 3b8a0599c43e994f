import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/context';
import { AppError } from '../../../shared/errors';
import { balancesOf } from '../../../workers/ledger/balance';
import { commissionRefunded } from '../../../workers/ledger/post';
import { createPayout } from '../../../workers/ledger/payouts';
import { postLedger } from '../../../workers/ledger/public';
import { type FactOrder, insertOrder, insertUser, markPaid, markRefunded } from './facts';
import { deliver, entriesOf, withDeps } from './helpers';

/**
 * Random sequences of pay / cancel a seller order / partial refund (a
 * return) / deliver / payout / post again, each followed by the checks:
 * - per order: captured − refunded = seller earnings + platform commission,
 *   and each seller order's commission kept is exactly its share of what was
 *   not refunded (a full refund gives all of it back);
 * - per seller: available never negative; pending + available + paid out =
 *   everything earned; paid out = the payouts made.
 * Refunds only come before a seller order's hold has passed (returns have a
 * shorter window than LEDGER_HOLD_DAYS: docs/ledger.md).
 */
const admin: Principal = { userId: crypto.randomUUID(), role: 'admin', jti: 'j', sessionId: 's', exp: 0 };
let buyerId = '';

const Part = fc.record({ seller: fc.integer({ min: 0, max: 1 }), total: fc.integer({ min: 1, max: 200_000 }), bps: fc.integer({ min: 0, max: 3_000 }) });
const OrderSpec = fc.uniqueArray(Part, { minLength: 1, maxLength: 2, selector: (p) => p.seller });
const Command = fc.oneof(
  fc.record({ t: fc.constant('pay' as const), o: fc.nat(2) }),
  fc.record({ t: fc.constant('cancel' as const), o: fc.nat(2), s: fc.nat(1) }),
  fc.record({ t: fc.constant('refund' as const), o: fc.nat(2), s: fc.nat(1), pct: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ t: fc.constant('deliver' as const), o: fc.nat(2), s: fc.nat(1), matured: fc.boolean() }),
  fc.record({ t: fc.constant('payout' as const), seller: fc.nat(1), pct: fc.integer({ min: 1, max: 120 }) }),
  fc.record({ t: fc.constant('post' as const), o: fc.nat(2) }),
);

interface SoState {
  refunded: number;
  cancelled: boolean;
  matured: boolean;
}

describe('ledger invariant (property)', () => {
  beforeAll(async () => {
    buyerId = await insertUser('customer');
  });

  it('holds over random pay / cancel / refund / deliver / payout sequences', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(OrderSpec, { minLength: 1, maxLength: 3 }), fc.array(Command, { minLength: 1, maxLength: 18 }), async (specs, commands) => {
        const sellers = [await insertUser('seller'), await insertUser('seller')];
        const made: FactOrder[] = [];
        for (const spec of specs) made.push(await insertOrder(buyerId, spec.map((p) => ({ sellerId: sellers[p.seller] as string, total: p.total, bps: p.bps }))));
        const paid = new Set<string>();
        const state = new Map<string, SoState>(made.flatMap((o) => o.sellerOrders.map((so) => [so.id, { refunded: 0, cancelled: false, matured: false }] as const)));
        const paidOut = [0, 0];

        await withDeps(async (deps) => {
          for (const c of commands) {
            if (c.t === 'payout') {
              const sellerId = sellers[c.seller] as string;
              const [balance] = await balancesOf(deps.db, sellerId, deps.config.LEDGER_HOLD_DAYS, 'USD');
              const available = balance?.available ?? 0;
              const amount = Math.max(1, Math.floor((available * c.pct) / 100));
              const input = { sellerId, amount, currency: 'USD', reference: 'prop' };
              try {
                await createPayout(deps, admin, input, crypto.randomUUID());
                expect(amount).toBeLessThanOrEqual(available);
                paidOut[c.seller] = (paidOut[c.seller] as number) + amount;
              } catch (err) {
                expect(err instanceof AppError && err.code === 'INSUFFICIENT_BALANCE', String(err)).toBe(true);
                expect(amount).toBeGreaterThan(available);
              }
            } else {
              const order = made[c.o % made.length] as FactOrder;
              const so = 's' in c ? order.sellerOrders[c.s % order.sellerOrders.length] : undefined;
              const st = so ? (state.get(so.id) as SoState) : undefined;
              if (c.t === 'pay' && !paid.has(order.orderId)) {
                await markPaid(order);
                paid.add(order.orderId);
                await postLedger(deps, order.orderId);
              } else if ((c.t === 'cancel' || c.t === 'refund') && so && st && paid.has(order.orderId) && !st.matured && !st.cancelled) {
                const remaining = so.total - st.refunded;
                if (remaining > 0) {
                  const amount = c.t === 'cancel' ? remaining : Math.max(1, Math.floor((remaining * c.pct) / 100));
                  await markRefunded(order, so.id, amount, c.t === 'cancel' ? `cancel:${so.id}` : `return:${crypto.randomUUID()}`);
                  st.refunded += amount;
                  st.cancelled = c.t === 'cancel';
                  await postLedger(deps, order.orderId);
                }
              } else if (c.t === 'deliver' && so && st && paid.has(order.orderId) && !st.cancelled && !st.matured) {
                await deliver(so.id, c.matured ? deps.config.LEDGER_HOLD_DAYS + 1 : 1);
                st.matured = c.matured;
              } else if (c.t === 'post') {
                expect(await postLedger(deps, order.orderId)).toBe(0);
              }
            }

            // The invariant, per order and per seller order.
            for (const o of made) {
              const entries = await entriesOf(o.orderId);
              const isPaid = paid.has(o.orderId);
              const refunded = o.sellerOrders.reduce((a, so) => a + (state.get(so.id) as SoState).refunded, 0);
              const earnings = entries.reduce((a, e) => a + e.amount, 0);
              const kept = 0 - entries.filter((e) => e.kind === 'commission' || e.kind === 'commission_refund').reduce((a, e) => a + e.amount, 0);
              expect(isPaid ? o.total - refunded : 0).toBe(earnings + kept);
              for (const so of o.sellerOrders) {
                const own = entries.filter((e) => e.sellerOrderId === so.id && (e.kind === 'commission' || e.kind === 'commission_refund'));
                const expected = isPaid ? so.commission - commissionRefunded(so.commission, so.total, (state.get(so.id) as SoState).refunded) : 0;
                expect(0 - own.reduce((a, e) => a + e.amount, 0)).toBe(expected);
              }
            }
            for (const [i, sellerId] of sellers.entries()) {
              const [b] = await balancesOf(deps.db, sellerId, deps.config.LEDGER_HOLD_DAYS, 'USD');
              const balance = b ?? { pending: 0, available: 0, paidOut: 0 };
              expect(balance.available).toBeGreaterThanOrEqual(0);
              expect(balance.paidOut).toBe(paidOut[i]);
              const earned = made
                .filter((o) => paid.has(o.orderId))
                .flatMap((o) => o.sellerOrders)
                .filter((so) => so.sellerId === sellerId)
                .reduce((a, so) => {
                  const r = (state.get(so.id) as SoState).refunded;
                  return a + so.total - r - (so.commission - commissionRefunded(so.commission, so.total, r));
                }, 0);
              expect(balance.pending + balance.available + balance.paidOut).toBe(earned);
            }
          }
        });
      }),
      { numRuns: 40 },
    );
  });
});
