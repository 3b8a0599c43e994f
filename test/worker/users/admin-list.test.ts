import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { api, createUser, type TestUser } from '../../support/users';
import { type AdminUserBody, fragment } from './helpers';

interface Page {
  data: AdminUserBody[];
  nextCursor: string | null;
}

let admin: TestUser;
beforeAll(async () => {
  admin = await createUser('admin');
});

async function listUsers(query: string): Promise<Page> {
  const res = await api('GET', `/users?${query}`, { token: admin.accessToken });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as Page;
}

describe('GET /users (admin)', () => {
  it('pages newest first with a cursor, without duplicates', async () => {
    const frag = fragment('page');
    const created: TestUser[] = [];
    for (let i = 0; i < 3; i++) created.push(await createUser('customer', `${frag}-${i}`));
    const newestFirst = created.map((u) => u.id).reverse();

    const first = await listUsers(`limit=2&email=${frag}`);
    expect(first.data).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(first.data.map((u) => u.id)).toEqual(newestFirst.slice(0, 2));

    const second = await listUsers(`limit=2&email=${frag}&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    expect(second.data.map((u) => u.id)).toEqual(newestFirst.slice(2));
    expect(second.nextCursor).toBeNull();
    // Older than everything on the first page.
    const lastOfFirst = first.data.at(-1) as AdminUserBody;
    for (const u of second.data) {
      expect(u.id < lastOfFirst.id).toBe(true);
      expect(Date.parse(u.createdAt)).toBeLessThanOrEqual(Date.parse(lastOfFirst.createdAt));
    }
    const all = [...first.data, ...second.data].map((u) => u.id);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(created.map((u) => u.id)));
  });

  it('a page exactly as large as the rest has no nextCursor', async () => {
    const frag = fragment('exact');
    await createUser('customer', `${frag}-a`);
    await createUser('customer', `${frag}-b`);
    const page = await listUsers(`limit=2&email=${frag}`);
    expect(page.data).toHaveLength(2);
    expect(page.nextCursor).toBeNull();
  });

  it('filters by role', async () => {
    const frag = fragment('role');
    const customer = await createUser('customer', `${frag}-c`);
    const seller = await createUser('seller', `${frag}-s`);
    const sellers = await listUsers(`role=seller&email=${frag}`);
    expect(sellers.data.map((u) => u.id)).toEqual([seller.id]);
    expect(sellers.data[0]?.role).toBe('seller');
    const customers = await listUsers(`role=customer&email=${frag}`);
    expect(customers.data.map((u) => u.id)).toEqual([customer.id]);
    expect((await listUsers(`role=admin&email=${frag}`)).data).toEqual([]);
    // Without the filter, both.
    expect((await listUsers(`email=${frag}`)).data.map((u) => u.id).sort()).toEqual([customer.id, seller.id].sort());
  });

  it('searches a case-insensitive email substring, with % and _ taken literally', async () => {
    const frag = fragment('srch');
    const underscore = await createUser('customer', `${frag}_x`);
    const letter = await createUser('customer', `${frag}ax`);

    const upper = await listUsers(`email=${encodeURIComponent(frag.toUpperCase())}`);
    expect(upper.data.map((u) => u.id).sort()).toEqual([underscore.id, letter.id].sort());
    // `_` would match any one character as a LIKE wildcard.
    const literalUnderscore = await listUsers(`email=${encodeURIComponent(`${frag}_x`)}`);
    expect(literalUnderscore.data.map((u) => u.id)).toEqual([underscore.id]);
    // `%` would match anything; no email contains a literal %.
    expect((await listUsers(`email=${encodeURIComponent(`${frag}%`)}`)).data).toEqual([]);
    expect((await listUsers(`email=${encodeURIComponent(`%${frag}`)}`)).data).toEqual([]);
    expect((await listUsers(`email=${encodeURIComponent(`${frag}\\`)}`)).data).toEqual([]);
  });

  it('rejects an invalid cursor and an out-of-range limit', async () => {
    const bad = async (query: string, path: string) => {
      const problem = await expectProblem(await api('GET', `/users?${query}`, { token: admin.accessToken }), 400, 'VALIDATION_FAILED');
      expect(problem.errors?.map((e) => e.path)).toContain(path);
    };
    await bad('cursor=not-a-cursor!!', 'cursor');
    await bad(`cursor=${encodeURIComponent(btoa(JSON.stringify({ id: 'nope' })))}`, 'cursor');
    await bad('limit=0', 'limit');
    await bad('limit=101', 'limit');
    await bad('limit=abc', 'limit');
    await bad('role=superuser', 'role');
    expect((await listUsers('limit=100')).data.length).toBeLessThanOrEqual(100);
    expect((await listUsers('limit=1')).data).toHaveLength(1);
  });
});

describe('GET /users/:id (admin)', () => {
  it('returns the documented fields and never the password hash', async () => {
    const user = await createUser('seller', 'get');
    const res = await api('GET', `/users/${user.id}`, { token: admin.accessToken });
    expect(res.status).toBe(200);
    const body = await res.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(
      ['createdAt', 'disabled', 'email', 'emailVerified', 'id', 'locale', 'name', 'phone', 'phoneOnly', 'phoneVerified', 'role', 'updatedAt'].sort(),
    );
    expect(body).toMatchObject({
      id: user.id,
      email: user.email,
      name: 'Test get',
      role: 'seller',
      disabled: false,
      phone: null,
      locale: null,
      emailVerified: false,
    });
    expect(new Date(body.createdAt as string).toISOString()).toBe(body.createdAt);
    expect(JSON.stringify(body)).not.toMatch(/password|pbkdf2/i);
  });

  it('answers 404 for an unknown uuid and 400 for a non-uuid id', async () => {
    const unknown = crypto.randomUUID();
    const problem = await expectProblem(await api('GET', `/users/${unknown}`, { token: admin.accessToken }), 404, 'NOT_FOUND');
    expect(problem.detail).toContain(unknown);
    const invalid = await expectProblem(await api('GET', '/users/not-a-uuid', { token: admin.accessToken }), 400, 'VALIDATION_FAILED');
    expect(invalid.errors?.map((e) => e.path)).toContain('id');
  });
});
