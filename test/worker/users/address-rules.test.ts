import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addresses } from '../../../shared/db/schema';
import { MAX_ADDRESSES } from '../../../workers/users/service';
import { expectProblem } from '../../support/app';
import { api, createUser, withDb } from '../../support/users';
import { addAddress, listAddresses, uzAddress } from '../../support/addresses';

const withoutCity = () => {
  const { city: _city, ...rest } = uzAddress();
  return rest;
};

describe('address validation', () => {
  it.each([
    ['a phone that is not E.164', uzAddress({ phone: '90 123 45 67' }), 'phone'],
    ['a phone without +', uzAddress({ phone: '998901234567' }), 'phone'],
    ['a three-letter country', uzAddress({ country: 'UZB' }), 'country'],
    ['a lower-case country', uzAddress({ country: 'uz' }), 'country'],
    ['a missing city', withoutCity(), 'city'],
    ['a blank street', uzAddress({ street: '   ' }), 'street'],
    ['a bad postal code', uzAddress({ postalCode: '1!' }), 'postalCode'],
    ['a too long landmark', uzAddress({ landmark: 'x'.repeat(201) }), 'landmark'],
  ])('POST and PUT reject %s with 400 naming the field', async (_label, body, field) => {
    const user = await createUser();
    const res = await api('POST', '/users/me/addresses', { token: user.accessToken, body });
    const problem = await expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.path)).toContain(field);
    expect(await listAddresses(user.accessToken)).toEqual([]);

    const existing = await addAddress(user.accessToken);
    const put = await api('PUT', `/users/me/addresses/${existing.id}`, { token: user.accessToken, body });
    expect((await expectProblem(put, 400, 'VALIDATION_FAILED')).errors?.map((e) => e.path)).toContain(field);
    expect(await listAddresses(user.accessToken)).toEqual([existing]);
  });

  it('rejects an unknown field, naming it', async () => {
    const user = await createUser();
    for (const extra of [{ userId: user.id }, { nickname: 'home' }]) {
      const res = await api('POST', '/users/me/addresses', { token: user.accessToken, body: uzAddress(extra) });
      const problem = await expectProblem(res, 400, 'VALIDATION_FAILED');
      const field = Object.keys(extra)[0] ?? '';
      // Zod reports unknown keys at the object, with the key in the message (see the report).
      const named = problem.errors?.some((e) => e.path === field || e.message.includes(`"${field}"`));
      expect(named, JSON.stringify(problem.errors)).toBe(true);
    }
    expect(await listAddresses(user.accessToken)).toEqual([]);
  });

  it('accepts an address outside Uzbekistan with only the required fields', async () => {
    const user = await createUser();
    const body = { recipientName: 'Ada', phone: '+442071234567', country: 'GB', city: 'London', street: 'Baker Street' };
    const res = await api('POST', '/users/me/addresses', { token: user.accessToken, body: { ...body, region: null } });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ ...body, region: null, district: null, mahalla: null, landmark: null, isDefault: true });
  });

  it('answers 400 for a non-uuid address id', async () => {
    const user = await createUser();
    await expectProblem(await api('GET', '/users/me/addresses/home', { token: user.accessToken }), 400, 'VALIDATION_FAILED');
    await expectProblem(await api('DELETE', '/users/me/addresses/1', { token: user.accessToken }), 400, 'VALIDATION_FAILED');
  });
});

describe("another user's address", () => {
  it('GET, PUT and DELETE answer 404 (not 403) and leave it unchanged', async () => {
    const owner = await createUser();
    const intruder = await createUser();
    await addAddress(intruder.accessToken);
    const mine = await addAddress(owner.accessToken);
    const path = `/users/me/addresses/${mine.id}`;

    await expectProblem(await api('GET', path, { token: intruder.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(
      await api('PUT', path, { token: intruder.accessToken, body: uzAddress({ city: 'Hijacked', isDefault: true }) }),
      404,
      'NOT_FOUND',
    );
    await expectProblem(await api('DELETE', path, { token: intruder.accessToken }), 404, 'NOT_FOUND');
    // Same answer as for an id that does not exist at all.
    const unknown = await expectProblem(
      await api('GET', `/users/me/addresses/${crypto.randomUUID()}`, { token: intruder.accessToken }),
      404,
      'NOT_FOUND',
    );
    expect(unknown.title).toBe('Not found');

    const after = await api('GET', path, { token: owner.accessToken });
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual(mine);
    const [row] = await withDb((db) => db.select().from(addresses).where(eq(addresses.id, mine.id)));
    expect(row?.userId).toBe(owner.id);
    expect(row?.city).toBe('Toshkent');
    // The intruder's own default did not move.
    expect((await listAddresses(intruder.accessToken)).filter((a) => a.isDefault)).toHaveLength(1);
  });

  it('an admin has no access to other users’ addresses through /me either', async () => {
    const owner = await createUser();
    const admin = await createUser('admin');
    const mine = await addAddress(owner.accessToken);
    await expectProblem(await api('GET', `/users/me/addresses/${mine.id}`, { token: admin.accessToken }), 404, 'NOT_FOUND');
  });
});

describe('address limit', () => {
  it(`allows ${MAX_ADDRESSES} addresses and answers 409 to one more`, async () => {
    expect(MAX_ADDRESSES).toBe(20);
    const user = await createUser();
    for (let i = 0; i < MAX_ADDRESSES; i++) await addAddress(user.accessToken, { house: String(i + 1) });
    const res = await api('POST', '/users/me/addresses', { token: user.accessToken, body: uzAddress({ house: '21' }) });
    await expectProblem(res, 409, 'CONFLICT');
    const list = await listAddresses(user.accessToken);
    expect(list).toHaveLength(MAX_ADDRESSES);
    expect(list.filter((a) => a.isDefault)).toHaveLength(1);

    // Deleting one makes room again.
    const last = list.at(-1);
    expect((await api('DELETE', `/users/me/addresses/${last?.id}`, { token: user.accessToken })).status).toBe(204);
    await addAddress(user.accessToken, { house: '22' });
  }, 60_000);
});
