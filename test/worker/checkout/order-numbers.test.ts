import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { expectProblem } from '../../support/app';
import { buy, openShop, orderOf, payAndSettle } from '../../support/checkout';
import { api, createUser, withDb } from '../../support/users';
import { deliver, traceOf } from '../notifications/helpers';

const list = async (token: string, query: string) => {
  const res = await api('GET', `/orders?${query}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ data: Array<{ id: string; number: string }> }>()).data;
};

describe('order numbers', () => {
  it('every order gets a unique, increasing UM-<year>-<sequence> number, searchable by the people who may see it', async () => {
    const shop = await openShop([1500], 20);
    const [buyer, other] = [await createUser(), await createUser()];
    const first = await buy(buyer, [[shop.skus[0] as string, 1]]);
    const second = await buy(buyer, [[shop.skus[0] as string, 1]]);
    const year = new Date().getUTCFullYear();
    for (const placed of [first, second]) expect(placed.order.number).toMatch(new RegExp(`^UM-${year}-\\d{6,}$`));
    expect(first.order.number).not.toBe(second.order.number);
    const seq = (n: string) => Number(n.split('-')[2]);
    expect(seq(second.order.number)).toBeGreaterThan(seq(first.order.number));
    expect((await orderOf(buyer, first.order.id)).number).toBe(first.order.number);

    // The buyer and an admin find it by number (any case); someone else does not.
    expect((await list(buyer.accessToken, `number=${first.order.number}`)).map((o) => o.id)).toEqual([first.order.id]);
    expect((await list(shop.admin.accessToken, `number=${first.order.number.toLowerCase()}`)).map((o) => o.id)).toEqual([first.order.id]);
    expect(await list(other.accessToken, `number=${first.order.number}`)).toEqual([]);
    // The seller of its lines sees the same number.
    expect((await list(shop.seller.accessToken, `number=${second.order.number}`)).map((o) => o.number)).toEqual([second.order.number]);

    await expectProblem(await api('GET', '/orders?number=12345', { token: buyer.accessToken }), 400, 'VALIDATION_FAILED');
  });

  it('events name the order by its number, and the emails about it show the number', async () => {
    const shop = await openShop([41_000], 5);
    const buyer = await createUser('customer');
    const placed = await buy(buyer, [[shop.skus[0] as string, 1]]);
    await payAndSettle(buyer, placed);
    const number = placed.order.number;
    const events = await withDb(async (db) =>
      (
        await db.execute<{ id: string; type: string; payload: Record<string, unknown> }>(
          sql`select id, type, payload from outbox_events where payload->>'orderId' = ${placed.order.id} and type in ('order.placed', 'order.paid') order by created_at`,
        )
      ).rows,
    );
    expect(events.map((e) => e.type)).toEqual(['order.placed', 'order.paid']);
    for (const event of events) {
      expect(event.payload.number).toBe(number);
      expect((await deliver(event as never)).acked).toBe(true);
      const { inApp, outbox } = await traceOf(event.id);
      expect(inApp[0]?.body).toContain(number);
      expect(outbox[0]?.text).toContain(number);
      expect(outbox[0]?.text).not.toContain(placed.order.id);
    }
  });
});
