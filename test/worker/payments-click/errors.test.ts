import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { providerTransactions } from '../../../shared/db/schema';
import { CLICK_ERRORS } from '../../../workers/payments/click/protocol';
import { createUser, withDb } from '../../support/users';
import { type ClickAnswer, clickAttempt, type ClickCall, clickForm, complete, openUzShop, placeClickOrder, postClickForm, prepare, sum } from './click';

/**
 * Every code of Click's list (https://docs.click.uz/en/click-api-error/), each
 * produced the way Click's documents say it arises, from one table. A row that
 * must change nothing checks that no transaction was recorded for its attempt.
 */

interface Order {
  orderId: string;
  amount: string;
}

let fresh: () => Promise<Order>;
beforeAll(async () => {
  const shop = await openUzShop([1_250_000], 1000);
  fresh = async () => {
    // A buyer per order: a customer may hold only a few unpaid orders at once.
    const placed = await placeClickOrder(await createUser(), [[shop.skus[0]!, 1]]);
    return { orderId: placed.order.id, amount: sum(placed.order.total) };
  };
});

const recorded = (clickTransId: string) =>
  withDb((db) => db.select().from(providerTransactions).where(and(eq(providerTransactions.provider, 'click'), eq(providerTransactions.externalId, clickTransId))));

/** Prepare an attempt (must succeed) and hand back what Complete needs. */
async function prepared(order: Order): Promise<ClickCall> {
  const attempt = clickAttempt();
  const answer = await prepare({ ...order, ...attempt });
  expect(answer.error).toBe(0);
  return { ...order, ...attempt, prepareId: answer.merchant_prepare_id! };
}

interface Row {
  code: (typeof CLICK_ERRORS)[keyof typeof CLICK_ERRORS]['error'];
  name: string;
  /** Produces the answer; returns the click_trans_id whose records must stay as `records` says. */
  run: () => Promise<{ answer: ClickAnswer; clickTransId: string; records?: number[] }>;
}

const ROWS: Row[] = [
  {
    code: 0,
    name: 'Prepare of a payable order, right amount',
    run: async () => {
      const attempt = clickAttempt();
      return { answer: await prepare({ ...(await fresh()), ...attempt }), clickTransId: attempt.clickTransId, records: [1] };
    },
  },
  {
    code: 0,
    name: 'Complete (error 0) of a prepared transaction',
    run: async () => {
      const call = await prepared(await fresh());
      return { answer: await complete(call), clickTransId: call.clickTransId, records: [2] };
    },
  },
  {
    code: -1,
    name: 'Prepare signed with another secret',
    run: async () => {
      const attempt = clickAttempt();
      return { answer: await prepare({ ...(await fresh()), ...attempt, secret: 'not-our-secret' }), clickTransId: attempt.clickTransId, records: [] };
    },
  },
  {
    code: -1,
    name: 'Complete whose amount was changed after signing',
    run: async () => {
      const call = await prepared(await fresh());
      const form = await clickForm('complete', call);
      return { answer: await postClickForm('complete', { ...form, amount: '1.00' }), clickTransId: call.clickTransId, records: [1] };
    },
  },
  {
    code: -2,
    name: 'Prepare for another amount than the order’s',
    run: async () => {
      const attempt = clickAttempt();
      return { answer: await prepare({ ...(await fresh()), ...attempt, amount: '300' }), clickTransId: attempt.clickTransId, records: [] };
    },
  },
  {
    code: -2,
    name: 'Prepare with more than two decimals (signed as sent)',
    run: async () => {
      const attempt = clickAttempt();
      const order = await fresh();
      return { answer: await prepare({ ...order, ...attempt, amount: `${order.amount}1` }), clickTransId: attempt.clickTransId, records: [] };
    },
  },
  {
    code: -2,
    name: 'Prepare with an exponent amount ("1e3")',
    run: async () => {
      const attempt = clickAttempt();
      return { answer: await prepare({ ...(await fresh()), ...attempt, amount: '1e3' }), clickTransId: attempt.clickTransId, records: [] };
    },
  },
  {
    code: -2,
    name: 'Complete for another amount than the prepared one (Click’s Postman scenario 5)',
    run: async () => {
      const call = await prepared(await fresh());
      return { answer: await complete({ ...call, amount: '300' }), clickTransId: call.clickTransId, records: [1] };
    },
  },
  {
    code: -3,
    name: 'Prepare with action 1',
    run: async () => {
      const attempt = clickAttempt();
      return { answer: await prepare({ ...(await fresh()), ...attempt, action: '1' }), clickTransId: attempt.clickTransId, records: [] };
    },
  },
  {
    code: -3,
    name: 'Complete with action 0',
    run: async () => {
      const call = await prepared(await fresh());
      return { answer: await complete({ ...call, action: '0' }), clickTransId: call.clickTransId, records: [1] };
    },
  },
  {
    code: -4,
    name: 'Complete repeated after success (Click’s Postman scenario 7)',
    run: async () => {
      const call = await prepared(await fresh());
      expect((await complete(call)).error).toBe(0);
      return { answer: await complete(call), clickTransId: call.clickTransId, records: [2] };
    },
  },
  {
    code: -4,
    name: 'Prepare of a new attempt for a paid order',
    run: async () => {
      const order = await fresh();
      expect((await complete(await prepared(order))).error).toBe(0);
      const attempt = clickAttempt();
      return { answer: await prepare({ ...order, ...attempt }), clickTransId: attempt.clickTransId, records: [] };
    },
  },
  {
    code: -5,
    name: 'Prepare for an order that does not exist',
    run: async () => {
      const attempt = clickAttempt();
      return { answer: await prepare({ orderId: crypto.randomUUID(), amount: '100.00', ...attempt }), clickTransId: attempt.clickTransId, records: [] };
    },
  },
  {
    code: -5,
    name: 'Prepare for an order id that is not one of ours at all',
    run: async () => {
      const attempt = clickAttempt();
      return { answer: await prepare({ orderId: "user23151' or 1=1", amount: '100.00', ...attempt }), clickTransId: attempt.clickTransId, records: [] };
    },
  },
  {
    code: -6,
    name: 'Complete with a merchant_prepare_id we never gave (Click’s Postman scenario 10)',
    run: async () => {
      const call = await prepared(await fresh());
      return { answer: await complete({ ...call, prepareId: 999_999_999 }), clickTransId: call.clickTransId, records: [1] };
    },
  },
  {
    code: -6,
    name: 'Complete of a click_trans_id that was never prepared',
    run: async () => {
      const attempt = clickAttempt();
      return { answer: await complete({ ...(await fresh()), ...attempt, prepareId: 1 }), clickTransId: attempt.clickTransId, records: [] };
    },
  },
  {
    code: -8,
    name: 'Prepare without sign_string',
    run: async () => {
      const attempt = clickAttempt();
      const { sign_string: _gone, ...form } = await clickForm('prepare', { ...(await fresh()), ...attempt });
      return { answer: await postClickForm('prepare', form), clickTransId: attempt.clickTransId, records: [] };
    },
  },
  {
    code: -8,
    name: 'Complete without merchant_prepare_id',
    run: async () => {
      const call = await prepared(await fresh());
      const { merchant_prepare_id: _gone, ...form } = await clickForm('complete', call);
      return { answer: await postClickForm('complete', form), clickTransId: call.clickTransId, records: [1] };
    },
  },
  {
    code: -8,
    name: 'Prepare signed for another service id',
    run: async () => {
      const attempt = clickAttempt();
      return { answer: await prepare({ ...(await fresh()), ...attempt, serviceId: '1' }), clickTransId: attempt.clickTransId, records: [] };
    },
  },
  {
    code: -8,
    name: 'Prepare with a click_trans_id that is not a number',
    run: async () => {
      const attempt = clickAttempt();
      return { answer: await prepare({ ...(await fresh()), ...attempt, clickTransId: `${attempt.clickTransId}x` }), clickTransId: attempt.clickTransId, records: [] };
    },
  },
  {
    code: -8,
    name: 'An empty form',
    run: async () => ({ answer: await postClickForm('prepare', ''), clickTransId: '0', records: [] }),
  },
  {
    code: -9,
    name: 'Complete with error -5017 from Click (Click’s Postman scenario 13)',
    run: async () => {
      const call = await prepared(await fresh());
      return { answer: await complete({ ...call, error: -5017 }), clickTransId: call.clickTransId, records: [-1] };
    },
  },
  {
    code: -9,
    name: 'Complete (error 0) of a cancelled transaction (Click’s Postman scenario 15)',
    run: async () => {
      const call = await prepared(await fresh());
      expect((await complete({ ...call, error: -5017 })).error).toBe(-9);
      return { answer: await complete(call), clickTransId: call.clickTransId, records: [-1] };
    },
  },
];

describe('Click error codes', () => {
  it('the table covers every documented code except -7', () => {
    const covered = new Set(ROWS.map((r) => r.code));
    const documented = Object.values(CLICK_ERRORS).map((e) => e.error);
    // -7 "Failed to update user" is never answered: a failure of ours is a 5xx, which Click retries (docs/payments-click.md).
    expect(documented.filter((c) => !covered.has(c))).toEqual([-7]);
  });

  it.each(ROWS.map((r) => [`${r.code}: ${r.name}`, r] as const))('%s', async (_label, row) => {
    const { answer, clickTransId, records } = await row.run();
    const documented = Object.values(CLICK_ERRORS).find((e) => e.error === row.code)!;
    expect(answer).toMatchObject({ error: row.code, error_note: documented.note });
    if (records) expect((await recorded(clickTransId)).map((t) => t.state)).toEqual(records);
  });
});

describe('what is not Click’s format', () => {
  it('a JSON body is 415, and a form-encoded body of garbage is -8', async () => {
    const res = await postClickForm('prepare', 'a=%ZZ&&&===', 'application/x-www-form-urlencoded');
    expect(res.error).toBe(-8);
    await expect(postClickForm('prepare', '{}', 'application/json')).rejects.toThrow(/415/);
  });
});
