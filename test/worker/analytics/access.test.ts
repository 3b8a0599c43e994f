import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { securityMatrix } from '../../support/security';
import { createUser, type TestUser } from '../../support/users';
import { get } from './helpers';

securityMatrix({ method: 'GET', path: '/analytics/overview', roles: ['admin', 'seller'] });
securityMatrix({ method: 'GET', path: '/analytics/sales', roles: ['admin', 'seller'] });
securityMatrix({ method: 'GET', path: '/analytics/top-products', roles: ['admin', 'seller'] });

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('analytics access and validation', () => {
  let admin: TestUser;
  let seller: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    [admin, seller, other] = await Promise.all([createUser('admin'), createUser('seller'), createUser('seller')]);
  }, 60_000);

  it("a seller cannot ask for another seller's figures (403), on every endpoint", async () => {
    for (const path of ['overview', 'sales', 'top-products']) {
      await expectProblem(await get(seller.accessToken, `/analytics/${path}?sellerId=${other.id}`), 403, 'FORBIDDEN');
    }
  });

  it('defaults to the last 30 days up to today (UTC) in the shop currency', async () => {
    const res = await get(admin.accessToken, '/analytics/overview');
    expect(res.status).toBe(200);
    const body = await res.json<{ from: string; to: string; currency: string }>();
    const today = Date.now();
    expect(body).toMatchObject({ to: isoDay(today), from: isoDay(today - 29 * DAY_MS), currency: 'USD' });
  });

  it.each([
    ['from after to', '/analytics/overview?from=2031-02-02&to=2031-02-01', 'from'],
    ['not a date', '/analytics/overview?from=2031-13-01&to=2031-12-31', 'from'],
    ['no such day', '/analytics/overview?from=2031-02-29&to=2031-03-01', 'from'],
    ['a datetime instead of a day', '/analytics/overview?from=2031-01-01T00:00:00Z', 'from'],
    ['a span over ten years', '/analytics/overview?from=2020-01-01&to=2031-01-01', 'from'],
    ['a lower-case currency', '/analytics/overview?currency=usd', 'currency'],
    ['a sellerId that is not an id', '/analytics/overview?sellerId=42', 'sellerId'],
    ['an unknown interval', '/analytics/sales?interval=hour', 'interval'],
    ['more than 366 daily buckets', '/analytics/sales?interval=day&from=2031-01-01&to=2032-01-02', 'interval'],
    ['more than 366 weekly buckets', '/analytics/sales?interval=week&from=2024-01-01&to=2031-12-31', 'interval'],
    ['an unknown ranking', '/analytics/top-products?by=price', 'by'],
    ['limit 0', '/analytics/top-products?limit=0', 'limit'],
    ['limit over 100', '/analytics/top-products?limit=101', 'limit'],
  ])('400 for %s', async (_label, path, field) => {
    const problem = await expectProblem(await get(admin.accessToken, path), 400, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.path)).toContain(field);
  });

  it('366 daily buckets (a leap year) and a month series of ten years are fine', async () => {
    expect((await get(admin.accessToken, '/analytics/sales?interval=day&from=2032-01-01&to=2032-12-31')).status).toBe(200);
    const res = await get(admin.accessToken, '/analytics/sales?interval=month&from=2021-01-01&to=2030-12-31');
    expect(res.status).toBe(200);
    expect((await res.json<{ buckets: unknown[] }>()).buckets).toHaveLength(120);
  });
});
