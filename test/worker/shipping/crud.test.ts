import { beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, type TestUser } from '../../support/users';
import { createMethod, createPoint, createZone, type MethodBody, methodBody, ok, type PointBody, pointBody, TEST_COUNTRY, uniqueRegion, type ZoneBody } from './support';

let admin: TestUser;
let seller: TestUser;
let otherSeller: TestUser;
let customer: TestUser;
let zone: ZoneBody;

beforeAll(async () => {
  admin = await createUser('admin');
  seller = await createUser('seller');
  otherSeller = await createUser('seller');
  customer = await createUser('customer');
  zone = await createZone(admin, TEST_COUNTRY, [uniqueRegion()]);
});

describe('zones', () => {
  it('an admin creates, reads, replaces and deletes a zone; UZ region codes are checked against the list', async () => {
    const uz = await createZone(admin, 'UZ', ['UZ-TO', 'UZ-TK', 'UZ-TK']);
    expect(uz).toMatchObject({ country: 'UZ', regionCodes: ['UZ-TK', 'UZ-TO'] });
    expect(await ok<ZoneBody>(await api('GET', `/shipping/zones/${uz.id}`), 200)).toMatchObject({ id: uz.id });
    const bad = await api('POST', '/shipping/zones', { token: admin.accessToken, body: { name: 'Bad', country: 'UZ', regionCodes: ['UZ-XX'] } });
    expect((await ok<{ errors: Array<{ path: string }> }>(bad, 400)).errors[0]?.path).toBe('regionCodes.0');

    const replaced = await ok<ZoneBody>(
      await api('PUT', `/shipping/zones/${uz.id}`, { token: admin.accessToken, body: { name: 'All of Uzbekistan', country: 'UZ', regionCodes: [] } }),
      200,
    );
    expect(replaced).toMatchObject({ name: 'All of Uzbekistan', regionCodes: [] });
    await ok(await api('DELETE', `/shipping/zones/${uz.id}`, { token: admin.accessToken }), 204);
    await ok(await api('GET', `/shipping/zones/${uz.id}`), 404);
  });

  it('sellers and customers may not manage zones (403); a zone a method still prices is kept (409)', async () => {
    for (const user of [seller, customer]) {
      const res = await api('POST', '/shipping/zones', { token: user.accessToken, body: { name: 'Mine', country: TEST_COUNTRY, regionCodes: [] } });
      expect(res.status).toBe(403);
    }
    const priced = await createZone(admin, TEST_COUNTRY, [uniqueRegion()]);
    await createMethod(seller, methodBody(priced.id));
    const res = await api('DELETE', `/shipping/zones/${priced.id}`, { token: admin.accessToken });
    expect((await ok<{ code: string }>(res, 409)).code).toBe('CONFLICT');
  });

  it('lists zones newest first with cursor pagination, filtered by country', async () => {
    const country = 'XQ';
    const made = [await createZone(admin, country, ['a']), await createZone(admin, country, ['b']), await createZone(admin, country, ['c'])];
    const first = await ok<{ data: ZoneBody[]; nextCursor: string | null }>(await api('GET', `/shipping/zones?country=${country}&limit=2`), 200);
    expect(first.data.map((z) => z.id)).toEqual([made[2]?.id, made[1]?.id]);
    const second = await ok<{ data: ZoneBody[]; nextCursor: string | null }>(
      await api('GET', `/shipping/zones?country=${country}&limit=2&cursor=${first.nextCursor}`),
      200,
    );
    expect(second.data.map((z) => z.id)).toEqual([made[0]?.id]);
    expect(second.nextCursor).toBeNull();
  });
});

describe('methods', () => {
  it('a seller creates its own method; an admin the platform’s; a customer may not (403)', async () => {
    const own = await createMethod(seller, methodBody(zone.id, { rates: [{ zoneId: zone.id, type: 'weight', bands: [{ upToGrams: 1000, amount: 300 }], freeAbove: 5000 }] }));
    expect(own).toMatchObject({ sellerId: seller.id, kind: 'courier', active: true, rates: [{ zoneId: zone.id, type: 'weight', bands: [{ upToGrams: 1000, amount: 300 }], freeAbove: 5000 }] });
    const platform = await createMethod(admin, methodBody(zone.id, { kind: 'post' }));
    expect(platform.sellerId).toBeNull();
    const forSeller = await createMethod(admin, methodBody(zone.id, { sellerId: otherSeller.id }));
    expect(forSeller.sellerId).toBe(otherSeller.id);
    const refused = await api('POST', '/shipping/methods', { token: customer.accessToken, body: methodBody(zone.id) });
    expect(refused.status).toBe(403);
    const posing = await api('POST', '/shipping/methods', { token: seller.accessToken, body: methodBody(zone.id, { sellerId: otherSeller.id }) });
    expect(posing.status).toBe(400);
  });

  it('validates: bands ascending, one rate per zone, maxDays ≥ minDays, a zone that exists', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ rates: [{ zoneId: zone.id, type: 'weight', bands: [{ upToGrams: 1000, amount: 1 }, { upToGrams: 1000, amount: 2 }] }] }, 'rates.0.bands.1.upToGrams'],
      [{ rates: [{ zoneId: zone.id, type: 'flat', amount: 1 }, { zoneId: zone.id, type: 'flat', amount: 2 }] }, 'rates.1.zoneId'],
      [{ minDays: 5, maxDays: 2 }, 'maxDays'],
      [{ rates: [{ zoneId: zone.id, type: 'flat', amount: -1 }] }, 'rates.0.amount'],
      [{ rates: [{ zoneId: '01930000-0000-7000-8000-0000000000ee', type: 'flat', amount: 1 }] }, 'rates'],
      [{ kind: 'drone' }, 'kind'],
    ];
    for (const [overrides, path] of cases) {
      const res = await api('POST', '/shipping/methods', { token: seller.accessToken, body: methodBody(zone.id, overrides) });
      const problem = await ok<{ errors: Array<{ path: string }> }>(res, 400);
      expect(problem.errors.map((e) => e.path), JSON.stringify(overrides)).toContain(path);
    }
  });

  it('a seller changes and deletes only its own methods: another seller’s is 404, an admin may change any', async () => {
    const method = await createMethod(seller, methodBody(zone.id));
    const other = await api('PATCH', `/shipping/methods/${method.id}`, { token: otherSeller.accessToken, body: { minDays: 2 } });
    expect((await ok<{ code: string }>(other, 404)).code).toBe('NOT_FOUND');
    expect((await api('DELETE', `/shipping/methods/${method.id}`, { token: otherSeller.accessToken })).status).toBe(404);
    expect((await api('PATCH', `/shipping/methods/${method.id}`, { token: customer.accessToken, body: { minDays: 2 } })).status).toBe(403);

    const changed = await ok<MethodBody>(
      await api('PATCH', `/shipping/methods/${method.id}`, { token: seller.accessToken, body: { maxDays: 9, rates: [{ zoneId: zone.id, type: 'flat', amount: 55 }] } }),
      200,
    );
    expect(changed).toMatchObject({ rates: [{ zoneId: zone.id, type: 'flat', amount: 55 }] });
    const bad = await api('PATCH', `/shipping/methods/${method.id}`, { token: seller.accessToken, body: { minDays: 10 } });
    expect(bad.status).toBe(400);
    const byAdmin = await ok<MethodBody>(await api('PATCH', `/shipping/methods/${method.id}`, { token: admin.accessToken, body: { active: false } }), 200);
    expect(byAdmin.active).toBe(false);
    await ok(await api('DELETE', `/shipping/methods/${method.id}`, { token: seller.accessToken }), 204);
    await ok(await api('GET', `/shipping/methods/${method.id}`, { token: seller.accessToken }), 404);
  });

  it('an inactive method is seen by its seller and admins only; lists show active ones to anyone', async () => {
    const hidden = await createMethod(seller, methodBody(zone.id, { active: false }));
    const shown = await createMethod(seller, methodBody(zone.id));
    await ok(await api('GET', `/shipping/methods/${hidden.id}`), 404);
    await ok(await api('GET', `/shipping/methods/${hidden.id}`, { token: otherSeller.accessToken }), 404);
    await ok(await api('GET', `/shipping/methods/${hidden.id}`, { token: seller.accessToken }), 200);
    await ok(await api('GET', `/shipping/methods/${hidden.id}`, { token: admin.accessToken }), 200);

    const ids = async (token?: string) =>
      (await ok<{ data: MethodBody[] }>(await api('GET', `/shipping/methods?sellerId=${seller.id}&limit=100`, { token }), 200)).data.map((m) => m.id);
    expect(await ids()).toContain(shown.id);
    expect(await ids()).not.toContain(hidden.id);
    expect(await ids(otherSeller.accessToken)).not.toContain(hidden.id);
    expect(await ids(seller.accessToken)).toContain(hidden.id);
    const platformOnly = await ok<{ data: MethodBody[] }>(await api('GET', '/shipping/methods?platform=true&limit=100'), 200);
    expect(platformOnly.data.every((m) => m.sellerId === null)).toBe(true);
  });
});

describe('pickup points', () => {
  it('a seller manages its own points; another seller gets 404; UZ regions are checked', async () => {
    const point = await createPoint(seller, pointBody('UZ', 'UZ-TK'));
    expect(point).toMatchObject({ sellerId: seller.id, regionCode: 'UZ-TK', active: true });
    const bad = await api('POST', '/shipping/pickup-points', { token: seller.accessToken, body: pointBody('UZ', 'Tashkent') });
    expect((await ok<{ errors: Array<{ path: string }> }>(bad, 400)).errors[0]?.path).toBe('regionCode');
    expect((await api('PATCH', `/shipping/pickup-points/${point.id}`, { token: otherSeller.accessToken, body: { hours: '24/7' } })).status).toBe(404);
    expect((await api('DELETE', `/shipping/pickup-points/${point.id}`, { token: otherSeller.accessToken })).status).toBe(404);
    expect((await api('PATCH', `/shipping/pickup-points/${point.id}`, { token: seller.accessToken, body: { regionCode: 'UZ-99' } })).status).toBe(400);
    const changed = await ok<PointBody>(await api('PATCH', `/shipping/pickup-points/${point.id}`, { token: seller.accessToken, body: { regionCode: 'UZ-SA', active: false } }), 200);
    expect(changed).toMatchObject({ regionCode: 'UZ-SA', active: false });
    await ok(await api('GET', `/shipping/pickup-points/${point.id}`, { token: customer.accessToken }), 404);
    await ok(await api('GET', `/shipping/pickup-points/${point.id}`, { token: seller.accessToken }), 200);
    await ok(await api('DELETE', `/shipping/pickup-points/${point.id}`, { token: admin.accessToken }), 204);
  });

  it('an admin creates the platform’s points; buyers list the active ones of a region', async () => {
    const region = uniqueRegion();
    const open = await createPoint(admin, pointBody(TEST_COUNTRY, region));
    await createPoint(admin, pointBody(TEST_COUNTRY, region, { active: false }));
    expect(open.sellerId).toBeNull();
    const list = await ok<{ data: PointBody[] }>(await api('GET', `/shipping/pickup-points?country=${TEST_COUNTRY}&regionCode=${region}`, { token: customer.accessToken }), 200);
    expect(list.data.map((p) => p.id)).toEqual([open.id]);
    const all = await ok<{ data: PointBody[] }>(await api('GET', `/shipping/pickup-points?country=${TEST_COUNTRY}&regionCode=${region}`, { token: admin.accessToken }), 200);
    expect(all.data).toHaveLength(2);
  });
});
