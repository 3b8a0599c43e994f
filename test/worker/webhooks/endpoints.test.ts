import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookDeliveries, webhookEndpoints } from '../../../shared/db/schema';
import { newId } from '../../../shared/ids';
import { expectProblem } from '../../support/app';
import { securityMatrix } from '../../support/security';
import { api, createUser, type TestUser, withDb } from '../../support/users';
import { endpointRow, receiverUrl, registerEndpoint, retireEndpointsOf } from './helpers';

let admin: TestUser;
beforeAll(async () => {
  admin = await createUser('admin');
});
afterAll(() => retireEndpointsOf(admin.id));

const someId = '01930000-0000-7000-8000-0000000000aa';
securityMatrix({ method: 'POST', path: '/webhooks/endpoints', body: { url: 'https://hooks.example.com/x', eventTypes: ['order.paid'] }, roles: ['admin'] });
securityMatrix({ method: 'GET', path: '/webhooks/endpoints', roles: ['admin'] });
securityMatrix({ method: 'GET', path: `/webhooks/endpoints/${someId}`, roles: ['admin'] });
securityMatrix({ method: 'DELETE', path: `/webhooks/endpoints/${someId}`, roles: ['admin'] });
securityMatrix({ method: 'POST', path: `/webhooks/endpoints/${someId}/enable`, roles: ['admin'] });
securityMatrix({ method: 'GET', path: `/webhooks/endpoints/${someId}/deliveries`, roles: ['admin'] });
securityMatrix({ method: 'POST', path: `/webhooks/endpoints/${someId}/deliveries/${someId}/resend`, roles: ['admin'] });

describe('registering endpoints', () => {
  it('shows the secret once: in the 201, never in get or list', async () => {
    const url = 'https://hooks.example.com/ultramarket';
    const res = await api('POST', '/webhooks/endpoints', { token: admin.accessToken, body: { url, description: 'ERP', eventTypes: ['order.paid', 'order.refunded'] } });
    expect(res.status).toBe(201);
    const created = await res.json<Record<string, unknown>>();
    expect(created).toMatchObject({ url, description: 'ERP', eventTypes: ['order.paid', 'order.refunded'], status: 'enabled', consecutiveFailures: 0, disabledReason: null });
    expect(created.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    // Stored sealed (WEBHOOK_SECRET_KEY): the row never holds the secret itself.
    const stored = (await endpointRow(String(created.id))).secret;
    expect(stored).toMatch(/^sealed:v1:/);
    expect(stored).not.toContain(String(created.secret).slice(6));

    const one = await api('GET', `/webhooks/endpoints/${created.id}`, { token: admin.accessToken });
    expect(one.status).toBe(200);
    const shown = await one.json<Record<string, unknown>>();
    expect(shown).not.toHaveProperty('secret');
    const { secret: _secret, ...rest } = created;
    expect(shown).toEqual(rest);

    const list = await api('GET', '/webhooks/endpoints?limit=100', { token: admin.accessToken });
    const text = await list.text();
    expect(text).toContain(String(created.id));
    expect(text).not.toContain(String(created.secret));
    expect(text).not.toContain('"secret"');
  });

  it('each endpoint gets its own secret; "*" subscribes to everything', async () => {
    const a = await registerEndpoint(admin.accessToken, 'https://a.example.com/h', ['*']);
    const b = await registerEndpoint(admin.accessToken, 'https://b.example.com/h', ['*']);
    expect(a.secret).not.toBe(b.secret);
    expect(a.eventTypes).toEqual(['*']);
  });

  it.each([
    ['an auth.* type (one-time tokens never leave)', { url: 'https://x.example.com', eventTypes: ['auth.password_reset_requested'] }, 'eventTypes.0'],
    ['an unknown type', { url: 'https://x.example.com', eventTypes: ['order.exploded'] }, 'eventTypes.0'],
    ['no types', { url: 'https://x.example.com', eventTypes: [] }, 'eventTypes'],
    ['a repeated type', { url: 'https://x.example.com', eventTypes: ['order.paid', 'order.paid'] }, 'eventTypes'],
    ['"*" mixed with types', { url: 'https://x.example.com', eventTypes: ['*', 'order.paid'] }, 'eventTypes'],
    ['not a URL', { url: 'hooks.example.com', eventTypes: ['order.paid'] }, 'url'],
    ['another scheme', { url: 'ftp://hooks.example.com/x', eventTypes: ['order.paid'] }, 'url'],
    ['credentials in the URL', { url: 'https://user:pass@hooks.example.com/x', eventTypes: ['order.paid'] }, 'url'],
    ['a fragment', { url: 'https://hooks.example.com/x#frag', eventTypes: ['order.paid'] }, 'url'],
    ['an unknown field', { url: 'https://hooks.example.com/x', eventTypes: ['order.paid'], secret: 'whsec_mine' }, ''],
  ])('400 for %s, and nothing is stored', async (_label, body, path) => {
    const before = await withDb((db) => db.$count(webhookEndpoints));
    const problem = await expectProblem(await api('POST', '/webhooks/endpoints', { token: admin.accessToken, body }), 400, 'VALIDATION_FAILED');
    if (path) expect(problem.errors?.map((e) => e.path)).toContain(path);
    expect(await withDb((db) => db.$count(webhookEndpoints, eq(webhookEndpoints.url, body.url)))).toBe(0);
    expect(await withDb((db) => db.$count(webhookEndpoints))).toBeGreaterThanOrEqual(before);
  });

  it('accepts plain http only because this is the test environment (the local receiver)', async () => {
    const created = await registerEndpoint(admin.accessToken, receiverUrl('ok'));
    expect(created.url.startsWith('http://127.0.0.1:')).toBe(true);
  });
});

describe('listing, deleting, enabling', () => {
  it('lists newest first, paginated, filtered by status', async () => {
    const made: Array<{ id: string }> = [];
    for (let i = 0; i < 3; i++) made.push(await registerEndpoint(admin.accessToken, `https://page-${i}.example.com/h`));
    const first = await api('GET', '/webhooks/endpoints?limit=2', { token: admin.accessToken });
    const page1 = await first.json<{ data: Array<{ id: string }>; nextCursor: string | null }>();
    expect(page1.data).toHaveLength(2);
    expect(page1.data[0]?.id).toBe(made[2]?.id);
    expect(page1.data[1]?.id).toBe(made[1]?.id);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await (await api('GET', `/webhooks/endpoints?limit=2&cursor=${page1.nextCursor}`, { token: admin.accessToken })).json<{ data: Array<{ id: string }> }>();
    expect(page2.data[0]?.id).toBe(made[0]?.id);

    await withDb((db) => db.update(webhookEndpoints).set({ status: 'disabled', disabledReason: 'test' }).where(eq(webhookEndpoints.id, made[1]?.id ?? '')));
    const disabled = await (await api('GET', '/webhooks/endpoints?status=disabled&limit=100', { token: admin.accessToken })).json<{ data: Array<{ id: string; status: string }> }>();
    expect(disabled.data.map((e) => e.id)).toContain(made[1]?.id);
    expect(disabled.data.every((e) => e.status === 'disabled')).toBe(true);
    await expectProblem(await api('GET', '/webhooks/endpoints?cursor=garbage', { token: admin.accessToken }), 400, 'VALIDATION_FAILED');
  });

  it('DELETE soft-deletes: gone from the API, row kept with deleted_at', async () => {
    const e = await registerEndpoint(admin.accessToken, 'https://gone.example.com/h');
    expect((await api('DELETE', `/webhooks/endpoints/${e.id}`, { token: admin.accessToken })).status).toBe(204);
    expect((await endpointRow(e.id)).deletedAt).not.toBeNull();
    await expectProblem(await api('GET', `/webhooks/endpoints/${e.id}`, { token: admin.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await api('DELETE', `/webhooks/endpoints/${e.id}`, { token: admin.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await api('GET', `/webhooks/endpoints/${e.id}/deliveries`, { token: admin.accessToken }), 404, 'NOT_FOUND');
    const list = await (await api('GET', '/webhooks/endpoints?limit=100', { token: admin.accessToken })).text();
    expect(list).not.toContain(e.id);
  });

  it('404 for an unknown id, 400 for a malformed one', async () => {
    await expectProblem(await api('GET', `/webhooks/endpoints/${newId()}`, { token: admin.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await api('GET', '/webhooks/endpoints/not-a-uuid', { token: admin.accessToken }), 400, 'VALIDATION_FAILED');
  });

  it('enable clears the reason and the failure count; enabling an enabled endpoint changes nothing', async () => {
    const e = await registerEndpoint(admin.accessToken, 'https://flaky.example.com/h');
    await withDb((db) =>
      db.update(webhookEndpoints).set({ status: 'disabled', disabledReason: '5 deliveries in a row failed', disabledAt: new Date(), consecutiveFailures: 5 }).where(eq(webhookEndpoints.id, e.id)),
    );
    const res = await api('POST', `/webhooks/endpoints/${e.id}/enable`, { token: admin.accessToken });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'enabled', disabledReason: null, disabledAt: null, consecutiveFailures: 0 });
    const again = await api('POST', `/webhooks/endpoints/${e.id}/enable`, { token: admin.accessToken });
    expect(await again.json()).toMatchObject({ status: 'enabled' });
  });
});

describe('delivery log', () => {
  it('pages newest first and filters by status', async () => {
    const e = await registerEndpoint(admin.accessToken, 'https://log.example.com/h', ['payment.failed']);
    // Rows written directly: a log of five failed deliveries and one success.
    const ids = Array.from({ length: 6 }, () => newId());
    await withDb((db) =>
      db.insert(webhookDeliveries).values(
        ids.map((id, i) => ({ id, endpointId: e.id, eventId: newId(), eventType: 'payment.failed', payload: { n: i }, status: i === 2 ? ('succeeded' as const) : ('failed' as const), attempts: 13 })),
      ),
    );
    const failed = ids.filter((_, i) => i !== 2).reverse();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api('GET', `/webhooks/endpoints/${e.id}/deliveries?status=failed&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: admin.accessToken });
      expect(res.status).toBe(200);
      const page = await res.json<{ data: Array<{ id: string; status: string; endpointId: string }>; nextCursor: string | null }>();
      expect(page.data.every((d) => d.status === 'failed' && d.endpointId === e.id)).toBe(true);
      seen.push(...page.data.map((d) => d.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(failed);
    expect(pages).toBe(3);

    const all = await (await api('GET', `/webhooks/endpoints/${e.id}/deliveries?limit=100`, { token: admin.accessToken })).json<{ data: Array<{ id: string; payload: unknown }> }>();
    expect(all.data.map((d) => d.id)).toEqual(expect.arrayContaining(ids));
    expect(all.data.find((d) => d.id === ids[2])?.payload).toEqual({ n: 2 });
    await expectProblem(await api('GET', `/webhooks/endpoints/${e.id}/deliveries?status=lost`, { token: admin.accessToken }), 400, 'VALIDATION_FAILED');
  });
});
