import { describe, expect, it } from 'vitest';
import { uzAddress } from '../../support/addresses';
import { ADDRESS, addToCart, openShop, placeOrder } from '../../support/checkout';
import { api, createUser } from '../../support/users';
import { ok } from './support';

describe('regions', () => {
  it('GET /shipping/regions lists Uzbekistan’s 14 regions with stable codes and uz/ru/en names, to anyone', async () => {
    const body = await ok<{ data: Array<{ code: string; country: string; names: Record<string, string> }> }>(await api('GET', '/shipping/regions'), 200);
    expect(body.data).toHaveLength(14);
    expect(body.data.map((r) => r.code).sort()).toEqual(
      ['UZ-AN', 'UZ-BU', 'UZ-FA', 'UZ-JI', 'UZ-NG', 'UZ-NW', 'UZ-QA', 'UZ-QR', 'UZ-SA', 'UZ-SI', 'UZ-SU', 'UZ-TK', 'UZ-TO', 'UZ-XO'].sort(),
    );
    expect(body.data.find((r) => r.code === 'UZ-TK')).toEqual({
      code: 'UZ-TK',
      country: 'UZ',
      names: { uz: 'Toshkent shahri', ru: 'город Ташкент', en: 'Tashkent City' },
    });
    for (const region of body.data) expect(Object.keys(region.names).sort()).toEqual(['en', 'ru', 'uz']);
  });

  it('a saved address keeps a UZ region code; one not on the list is a 400 on regionCode', async () => {
    const user = await createUser();
    const saved = await ok<{ id: string; regionCode: string | null }>(
      await api('POST', '/users/me/addresses', { token: user.accessToken, body: uzAddress({ regionCode: 'UZ-SA' }) }),
      201,
    );
    expect(saved.regionCode).toBe('UZ-SA');
    const read = await ok<{ regionCode: string | null }>(await api('GET', `/users/me/addresses/${saved.id}`, { token: user.accessToken }), 200);
    expect(read.regionCode).toBe('UZ-SA');

    const bad = await api('POST', '/users/me/addresses', { token: user.accessToken, body: uzAddress({ regionCode: 'UZ-XX' }) });
    const problem = await ok<{ code: string; errors: Array<{ path: string }> }>(bad, 400);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.map((e) => e.path)).toContain('regionCode');

    const updated = await api('PUT', `/users/me/addresses/${saved.id}`, { token: user.accessToken, body: uzAddress({ regionCode: 'Samarqand' }) });
    expect(updated.status).toBe(400);
  });

  it('outside UZ a region code is free text; without one an address is as before', async () => {
    const user = await createUser();
    const abroad = await ok<{ regionCode: string | null }>(
      await api('POST', '/users/me/addresses', { token: user.accessToken, body: uzAddress({ country: 'KZ', regionCode: 'Almaty oblysy' }) }),
      201,
    );
    expect(abroad.regionCode).toBe('Almaty oblysy');
    const plain = await ok<{ regionCode: string | null }>(await api('POST', '/users/me/addresses', { token: user.accessToken, body: uzAddress() }), 201);
    expect(plain.regionCode).toBeNull();
  });

  it('POST /orders with an inline UZ address whose region code is not on the list: 400, nothing placed', async () => {
    const shop = await openShop([1000], 5);
    const buyer = await createUser();
    await addToCart(buyer, shop.skus[0] ?? '', 1);
    const res = await placeOrder(buyer, crypto.randomUUID(), { shippingAddress: { ...ADDRESS, regionCode: 'UZ-ZZ' } });
    const problem = await ok<{ errors: Array<{ path: string }> }>(res, 400);
    expect(problem.errors.map((e) => e.path).join(' ')).toContain('regionCode');
    const orders = await ok<{ data: unknown[] }>(await api('GET', '/orders', { token: buyer.accessToken }), 200);
    expect(orders.data).toEqual([]);
  });
});
