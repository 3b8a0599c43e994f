import { beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../../shared/db/schema';
import { newId } from '../../../shared/ids';
import { call, expectProblem } from '../../support/app';
import { securityMatrix } from '../../support/security';
import { api, withDb } from '../../support/users';
import { deliver, type QuietUser, quietUser, recordedEvent } from './helpers';

interface Page {
  data: Array<{ id: string; type: string; title: string; readAt: string | null }>;
  nextCursor: string | null;
}

/** Five notifications for `user`, oldest first (ids are time-ordered), written directly. */
async function seed(user: QuietUser, count = 5): Promise<string[]> {
  const ids = Array.from({ length: count }, () => newId());
  await withDb((db) =>
    db.insert(notifications).values(ids.map((id, i) => ({ id, userId: user.id, eventId: newId(), type: 'order.shipped', title: `n${i}`, body: 'b' }))),
  );
  return ids;
}

const list = async (user: QuietUser, query = '') => {
  const res = await api('GET', `/notifications${query}`, { token: user.accessToken });
  expect(res.status).toBe(200);
  return res.json<Page>();
};

describe('GET /notifications', () => {
  it('lists only my notifications, newest first, a page at a time', async () => {
    const me = await quietUser();
    const other = await quietUser();
    const ids = await seed(me);
    await seed(other, 2);
    const first = await list(me, '?limit=2');
    expect(first.data.map((n) => n.id)).toEqual([ids[4], ids[3]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(me, `?limit=2&cursor=${first.nextCursor}`);
    const third = await list(me, `?limit=2&cursor=${second.nextCursor}`);
    expect([...second.data, ...third.data].map((n) => n.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(third.nextCursor).toBeNull();
  });

  it('shows what the consumer wrote: the title in my language, the event data', async () => {
    const me = await quietUser({ locale: 'uz' });
    const event = await recordedEvent('order.shipped', me);
    await deliver(event);
    const page = await list(me);
    expect(page.data).toEqual([
      expect.objectContaining({ type: 'order.shipped', title: 'Buyurtma jo‘natildi', readAt: null, data: expect.objectContaining({ orderId: event.payload.orderId }) }),
    ]);
  });

  it('unread=true leaves out what I have read', async () => {
    const me = await quietUser();
    const ids = await seed(me, 3);
    expect((await api('POST', `/notifications/${ids[1]}/read`, { token: me.accessToken })).status).toBe(200);
    expect((await list(me, '?unread=true')).data.map((n) => n.id)).toEqual([ids[2], ids[0]]);
    expect((await list(me, '?unread=false')).data).toHaveLength(3);
  });

  it('rejects a bad limit, cursor or filter with 400', async () => {
    const me = await quietUser();
    for (const query of ['?limit=0', '?limit=101', '?cursor=%%%', '?cursor=bm90LWpzb24', '?unread=yes']) {
      await expectProblem(await api('GET', `/notifications${query}`, { token: me.accessToken }), 400, 'VALIDATION_FAILED');
    }
  });
});

describe('POST /notifications/:id/read and /read-all', () => {
  it('marks one read; reading again keeps the first time', async () => {
    const me = await quietUser();
    const [id] = await seed(me, 1);
    const res = await api('POST', `/notifications/${id}/read`, { token: me.accessToken });
    expect(res.status).toBe(200);
    const read = await res.json<{ id: string; readAt: string }>();
    expect(read).toMatchObject({ id, readAt: expect.any(String) });
    const again = await (await api('POST', `/notifications/${id}/read`, { token: me.accessToken })).json<{ readAt: string }>();
    expect(again.readAt).toBe(read.readAt);
  });

  it('answers 404 for someone else’s notification, and leaves it unread', async () => {
    const me = await quietUser();
    const other = await quietUser();
    const [theirs] = await seed(other, 1);
    await expectProblem(await api('POST', `/notifications/${theirs}/read`, { token: me.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await api('POST', `/notifications/${newId()}/read`, { token: me.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await api('POST', '/notifications/nope/read', { token: me.accessToken }), 400, 'VALIDATION_FAILED');
    expect((await list(other, '?unread=true')).data.map((n) => n.id)).toEqual([theirs]);
  });

  it('read-all marks all of mine and says how many, touching nobody else’s', async () => {
    const me = await quietUser();
    const other = await quietUser();
    const ids = await seed(me, 3);
    await seed(other, 2);
    await api('POST', `/notifications/${ids[0]}/read`, { token: me.accessToken });
    const res = await api('POST', '/notifications/read-all', { token: me.accessToken });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ updated: 2 });
    expect((await list(me, '?unread=true')).data).toEqual([]);
    expect((await list(other, '?unread=true')).data).toHaveLength(2);
    expect(await (await api('POST', '/notifications/read-all', { token: me.accessToken })).json()).toEqual({ updated: 0 });
  });
});

describe('GET /notifications/failed', () => {
  it('pages through failed emails for an admin', async () => {
    const admin = await quietUser({ role: 'admin' });
    const user = await quietUser();
    for (let i = 0; i < 3; i++) await deliver(await recordedEvent('order.cancelled', user), { queue: 'ultramarket-notifications-dlq-dev' });
    // Other tests add failed emails too: page (two at a time) until all three of this user's were seen.
    const mine: Array<{ id: string; to: string; failedAt: string }> = [];
    let cursor: string | null = '';
    while (cursor !== null && mine.length < 3) {
      const res = await api('GET', `/notifications/failed?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: admin.accessToken });
      expect(res.status).toBe(200);
      const page = await res.json<{ data: Array<{ id: string; to: string; failedAt: string }>; nextCursor: string | null }>();
      expect(page.data.length).toBeLessThanOrEqual(2);
      mine.push(...page.data.filter((f) => f.to === user.email));
      cursor = page.nextCursor;
    }
    expect(mine).toHaveLength(3);
    expect(mine.map((f) => f.id)).toEqual([...mine.map((f) => f.id)].sort().reverse());
    expect(mine[0]).toMatchObject({ failedAt: expect.any(String) });
  });
});

describe('GET /dev/outbox', () => {
  let me: QuietUser;
  beforeAll(async () => {
    me = await quietUser();
    for (const type of ['order.placed', 'order.paid', 'order.shipped'] as const) await deliver(await recordedEvent(type, me));
  });

  it('does not exist unless DEV_ROUTES is on', async () => {
    await expectProblem(await api('GET', '/dev/outbox'), 404, 'NOT_FOUND');
    await expectProblem(await api('GET', '/dev/anything-else'), 404, 'NOT_FOUND');
    await expectProblem(await call('/api/v1/dev/outbox?limit=0', { env: { DEV_ROUTES: 'false' } }), 404, 'NOT_FOUND');
  });

  it('lists rendered emails, newest first, filtered by recipient, a page at a time', async () => {
    const dev = { env: { DEV_ROUTES: 'true' } };
    const res = await call(`/api/v1/dev/outbox?to=${encodeURIComponent(me.email.toUpperCase())}&limit=2`, dev);
    expect(res.status).toBe(200);
    const first = await res.json<{ data: Array<{ to: string; subject: string; text: string; html: string }>; nextCursor: string }>();
    expect(first.data.map((e) => e.subject)).toEqual(['Your order has shipped', 'Your order is paid']);
    expect(first.data[0]).toMatchObject({ to: me.email, text: expect.stringContaining('on its way'), html: expect.stringContaining('<html') });
    const second = await (await call(`/api/v1/dev/outbox?to=${encodeURIComponent(me.email)}&limit=2&cursor=${first.nextCursor}`, dev)).json<{
      data: Array<{ subject: string }>;
      nextCursor: string | null;
    }>();
    expect(second).toEqual({ data: [expect.objectContaining({ subject: 'We received your order' })], nextCursor: null });
    await expectProblem(await call('/api/v1/dev/outbox?limit=0', dev), 400, 'VALIDATION_FAILED');
  });
});

const someId = '01930000-0000-7000-8000-000000000001';
securityMatrix({ method: 'GET', path: '/notifications' });
securityMatrix({ method: 'POST', path: `/notifications/${someId}/read` });
securityMatrix({ method: 'POST', path: '/notifications/read-all' });
securityMatrix({ method: 'GET', path: '/notifications/failed', roles: ['admin'] });
securityMatrix({ method: 'POST', path: `/notifications/failed/${someId}/retry`, roles: ['admin'] });
