import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { api, createUser } from '../../support/users';

interface Stats {
  from: string;
  to: string;
  currency: string;
  paidOrders: number;
}

const DAY = 86_400_000;

describe('GET /orders/stats: the default range', () => {
  it('without parameters covers the last 30 days up to now, and says so', async () => {
    const admin = await createUser('admin');
    const before = Date.now();
    const res = await api('GET', '/orders/stats', { token: admin.accessToken });
    expect(res.status, await res.clone().text()).toBe(200);
    const stats = await res.json<Stats>();
    const [from, to] = [Date.parse(stats.from), Date.parse(stats.to)];
    expect(to).toBeGreaterThanOrEqual(before);
    expect(to).toBeLessThanOrEqual(Date.now());
    expect(to - from).toBe(30 * DAY);
  });

  it('one end given: `from` runs to now, `to` starts 30 days before it', async () => {
    const admin = await createUser('admin');
    const from = '2026-01-10T00:00:00.000Z';
    const onlyFrom = await (await api('GET', `/orders/stats?from=${from}`, { token: admin.accessToken })).json<Stats>();
    expect(onlyFrom.from).toBe(from);
    expect(Date.parse(onlyFrom.to)).toBeGreaterThan(Date.parse(from));
    const to = '2026-03-01T00:00:00.000Z';
    const onlyTo = await (await api('GET', `/orders/stats?to=${to}`, { token: admin.accessToken })).json<Stats>();
    expect(onlyTo).toMatchObject({ from: '2026-01-30T00:00:00.000Z', to });
  });

  it('an empty or reversed range is a 400', async () => {
    const admin = await createUser('admin');
    const at = '2026-03-01T00:00:00.000Z';
    await expectProblem(await api('GET', `/orders/stats?from=${at}&to=${at}`, { token: admin.accessToken }), 400, 'VALIDATION_FAILED');
    await expectProblem(await api('GET', `/orders/stats?from=2026-04-01T00:00:00Z&to=${at}`, { token: admin.accessToken }), 400, 'VALIDATION_FAILED');
  });
});
