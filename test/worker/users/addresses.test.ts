import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { api, createUser } from '../../support/users';
import { addAddress, type AddressBody, listAddresses, uzAddress } from '../../support/addresses';

const defaults = (list: AddressBody[]) => list.filter((a) => a.isDefault).map((a) => a.id);

describe('POST /users/me/addresses', () => {
  it('stores an Uzbek address; the first becomes the default', async () => {
    const user = await createUser();
    const res = await api('POST', '/users/me/addresses', { token: user.accessToken, body: uzAddress() });
    expect(res.status).toBe(201);
    const created = await res.json<AddressBody>();
    const { isDefault: _ignored, ...input } = uzAddress();
    expect(created).toMatchObject({ ...input, isDefault: true });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(Object.keys(created)).not.toContain('userId');
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);

    const fetched = await api('GET', `/users/me/addresses/${created.id}`, { token: user.accessToken });
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual(created);
  });

  it('the first is the default even when isDefault: false is sent', async () => {
    const user = await createUser();
    expect((await addAddress(user.accessToken, { isDefault: false })).isDefault).toBe(true);
  });

  it('a second is not the default; isDefault: true moves the default to the new one', async () => {
    const user = await createUser();
    const first = await addAddress(user.accessToken);
    const second = await addAddress(user.accessToken, { city: 'Samarqand', region: 'Samarqand viloyati' });
    expect(second.isDefault).toBe(false);
    expect(defaults(await listAddresses(user.accessToken))).toEqual([first.id]);

    const third = await addAddress(user.accessToken, { isDefault: true, city: 'Buxoro' });
    expect(third.isDefault).toBe(true);
    const list = await listAddresses(user.accessToken);
    expect(list).toHaveLength(3);
    expect(defaults(list)).toEqual([third.id]);
  });

  it('lists the default first', async () => {
    const user = await createUser();
    const a = await addAddress(user.accessToken, { city: 'A' });
    const b = await addAddress(user.accessToken, { city: 'B' });
    const c = await addAddress(user.accessToken, { city: 'C' });
    let list = await listAddresses(user.accessToken);
    expect(list[0]?.id).toBe(a.id);
    expect(list.map((x) => x.id).sort()).toEqual([a.id, b.id, c.id].sort());

    await api('PUT', `/users/me/addresses/${b.id}`, { token: user.accessToken, body: uzAddress({ city: 'B', isDefault: true }) });
    list = await listAddresses(user.accessToken);
    expect(list[0]?.id).toBe(b.id);
    expect(defaults(list)).toEqual([b.id]);
  });

  it('a new user has no addresses, and sees only its own', async () => {
    const owner = await createUser();
    await addAddress(owner.accessToken);
    const other = await createUser();
    expect(await listAddresses(other.accessToken)).toEqual([]);
  });
});

describe('PUT /users/me/addresses/:id', () => {
  it('isDefault: true moves the default', async () => {
    const user = await createUser();
    const first = await addAddress(user.accessToken);
    const second = await addAddress(user.accessToken);
    const res = await api('PUT', `/users/me/addresses/${second.id}`, { token: user.accessToken, body: uzAddress({ isDefault: true }) });
    expect(res.status).toBe(200);
    expect((await res.json<AddressBody>()).isDefault).toBe(true);
    const list = await listAddresses(user.accessToken);
    expect(defaults(list)).toEqual([second.id]);
    expect(list.find((a) => a.id === first.id)?.isDefault).toBe(false);
  });

  it('answers 409 to isDefault: false on the default, which stays the default', async () => {
    const user = await createUser();
    const first = await addAddress(user.accessToken);
    await addAddress(user.accessToken);
    const res = await api('PUT', `/users/me/addresses/${first.id}`, {
      token: user.accessToken,
      body: uzAddress({ isDefault: false, city: 'Changed' }),
    });
    await expectProblem(res, 409, 'CONFLICT');
    const list = await listAddresses(user.accessToken);
    expect(defaults(list)).toEqual([first.id]);
    expect(list.find((a) => a.id === first.id)?.city).toBe('Toshkent');
  });

  it('replaces the whole address: omitted optional fields become null, the default stays', async () => {
    const user = await createUser();
    const created = await addAddress(user.accessToken);
    const replacement = { recipientName: 'Jasur Aliyev', phone: '+998935551122', country: 'UZ', city: 'Namangan', street: 'Navoiy ko‘chasi' };
    const res = await api('PUT', `/users/me/addresses/${created.id}`, { token: user.accessToken, body: replacement });
    expect(res.status).toBe(200);
    const updated = await res.json<AddressBody>();
    expect(updated).toMatchObject({
      ...replacement,
      id: created.id,
      region: null,
      district: null,
      mahalla: null,
      house: null,
      apartment: null,
      postalCode: null,
      landmark: null,
      isDefault: true,
      createdAt: created.createdAt,
    });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
    expect(await (await api('GET', `/users/me/addresses/${created.id}`, { token: user.accessToken })).json()).toEqual(updated);
  });

  it('a non-default stays non-default when isDefault is omitted or false', async () => {
    const user = await createUser();
    const first = await addAddress(user.accessToken);
    const second = await addAddress(user.accessToken);
    for (const body of [uzAddress({ city: 'Xiva' }), uzAddress({ isDefault: false })]) {
      const res = await api('PUT', `/users/me/addresses/${second.id}`, { token: user.accessToken, body });
      expect(res.status).toBe(200);
      expect((await res.json<AddressBody>()).isDefault).toBe(false);
    }
    expect(defaults(await listAddresses(user.accessToken))).toEqual([first.id]);
  });
});

describe('DELETE /users/me/addresses/:id', () => {
  it('deleting the default promotes the most recently added remaining address', async () => {
    const user = await createUser();
    const oldest = await addAddress(user.accessToken, { city: 'Oldest' });
    const middle = await addAddress(user.accessToken, { city: 'Middle' });
    const newest = await addAddress(user.accessToken, { city: 'Newest' });
    // Make the middle one the default, then delete it: the newest (not the oldest) takes over.
    await api('PUT', `/users/me/addresses/${middle.id}`, { token: user.accessToken, body: uzAddress({ city: 'Middle', isDefault: true }) });
    const res = await api('DELETE', `/users/me/addresses/${middle.id}`, { token: user.accessToken });
    expect(res.status).toBe(204);
    let list = await listAddresses(user.accessToken);
    expect(list.map((a) => a.id)).toEqual([newest.id, oldest.id]);
    expect(defaults(list)).toEqual([newest.id]);

    await expectProblem(await api('GET', `/users/me/addresses/${middle.id}`, { token: user.accessToken }), 404, 'NOT_FOUND');
    expect((await api('DELETE', `/users/me/addresses/${newest.id}`, { token: user.accessToken })).status).toBe(204);
    list = await listAddresses(user.accessToken);
    expect(defaults(list)).toEqual([oldest.id]);
    expect((await api('DELETE', `/users/me/addresses/${oldest.id}`, { token: user.accessToken })).status).toBe(204);
    expect(await listAddresses(user.accessToken)).toEqual([]);
    // With none left, the next one is the default again.
    expect((await addAddress(user.accessToken)).isDefault).toBe(true);
  });

  it('deleting a non-default leaves the default alone; deleting twice answers 404', async () => {
    const user = await createUser();
    const first = await addAddress(user.accessToken);
    const second = await addAddress(user.accessToken);
    expect((await api('DELETE', `/users/me/addresses/${second.id}`, { token: user.accessToken })).status).toBe(204);
    expect(defaults(await listAddresses(user.accessToken))).toEqual([first.id]);
    await expectProblem(await api('DELETE', `/users/me/addresses/${second.id}`, { token: user.accessToken }), 404, 'NOT_FOUND');
  });
});
