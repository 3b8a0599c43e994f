import { describe, expect, inject, it } from 'vitest';
import { api, createUser } from '../../support/users';
import { addAddress, listAddresses, uzAddress } from '../../support/addresses';

// PGlite runs one transaction at a time, so these races only exist on a real server.
const realPostgres = inject('stack').STACK_MODE.startsWith('postgres');

describe.runIf(realPostgres)('addresses under concurrency (real Postgres)', () => {
  it('never exceeds the limit or ends with two defaults', async () => {
    const user = await createUser();
    for (let i = 0; i < 18; i++) await addAddress(user.accessToken);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => api('POST', '/users/me/addresses', { token: user.accessToken, body: uzAddress({ isDefault: true }) })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(statuses.filter((s) => s === 409)).toHaveLength(6);
    const list = await listAddresses(user.accessToken);
    expect(list).toHaveLength(20);
    expect(list.filter((a) => a.isDefault)).toHaveLength(1);
  });

  it('moves the default under concurrent updates without errors', async () => {
    const user = await createUser();
    const created = [];
    for (let i = 0; i < 6; i++) created.push(await addAddress(user.accessToken));
    const results = await Promise.all(
      created.map((a) => api('PUT', `/users/me/addresses/${a.id}`, { token: user.accessToken, body: uzAddress({ isDefault: true }) })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect((await listAddresses(user.accessToken)).filter((a) => a.isDefault)).toHaveLength(1);
  });
});
