import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../support/users';
import { day, type Known, seedKnownOrders, YEAR } from './fixtures';
import { type Figures, figures, get, okInOneQuery, tokenFor } from './helpers';

/*
 * The known orders (fixtures.ts), USD unless said, Q1 = YEAR-01-01..03-31:
 *   O1  c1 paid 01-02 10:00  A1×2 (2000) + B1×1 (3000), tax 600, ship 400 → total 6000
 *   O2  c1 paid 01-02 23:30  A2×1 (500)                                     → 500
 *   O3  c2 paid 01-10        A1×1 (1000), refunded 1000                     → 1000
 *   O12 c3 paid 01-09        A2×4 (2000), cancelled after payment, refunded 2000
 *   O4  c3 paid 02-15        A1×1 (1000) + B1×2 (6000), tax 1000, refunded 2000 → 8000
 *   O9  c0 paid 03-01 00:00  B1×1 (3000)                                     (c0 paid O8 the year before, A1 only)
 *   O10 c2 paid 03-31 23:59:59  A2×3 (1500)
 *   not counted: O5 unpaid, O6 cancelled unpaid, O7 EUR (B1 2500), O8 the year before, O11 04-01 00:00
 * Refund shares of lines: O3 A1 1000; O12 A2 2000; O4 A1 round(1000×2000/8000)=250, B1 round(6000×2000/8000)=1500.
 */
const Q1 = () => `from=${day('01-01')}&to=${day('03-31')}`;

interface Overview extends Figures {
  from: string;
  to: string;
  currency: string;
  sellerId: string | null;
  newCustomers: number | null;
  firstTimeBuyers: number;
}
interface Sales {
  interval: string;
  buckets: Array<Figures & { bucket: string }>;
}
interface Top {
  by: string;
  data: Array<{ productId: string; sellerId: string; name: string; orders: number; units: number; grossRevenue: number; refunded: number; netRevenue: number }>;
}

let known: Known;
let admin: string;
let sellerA: string;
let sellerB: string;

beforeAll(async () => {
  known = await seedKnownOrders();
  admin = (await createUser('admin')).accessToken;
  sellerA = await tokenFor(known.sellerA, 'seller');
  sellerB = await tokenFor(known.sellerB, 'seller');
}, 60_000);

describe('GET /analytics/overview', () => {
  it('marketplace: paid orders by payment day, gross and net of refunds, AOV, new customers — in one query', async () => {
    const body = await okInOneQuery<Overview>(await get(admin, `/analytics/overview?${Q1()}`));
    expect(body).toEqual({
      from: day('01-01'),
      to: day('03-31'),
      currency: 'USD',
      sellerId: null,
      // O1 O2 O3 O12 O4 O9 O10; AOV 22000/7 = 3142.86 → 3143
      ...figures(7, 16, 22_000, 5_000),
      newCustomers: 4, // c1 c2 c3 and the one without orders; not c0 (year before), not 04-01, not sellers
      firstTimeBuyers: 3, // c1 c2 c3; c0 had paid before
    });
    expect(body.averageOrderValue).toBe(3143);
  });

  it('another currency is reported on its own, never mixed in', async () => {
    const body = await okInOneQuery<Overview>(await get(admin, `/analytics/overview?${Q1()}&currency=EUR`));
    expect(body).toMatchObject({ currency: 'EUR', ...figures(1, 1, 2_500, 0), newCustomers: 4, firstTimeBuyers: 1 });
  });

  it('seller A sees only its lines: its line totals and its share of each refund', async () => {
    const body = await okInOneQuery<Overview>(await get(sellerA, `/analytics/overview?${Q1()}`));
    // O1 2000, O2 500, O3 1000 (−1000), O12 2000 (−2000), O4 1000 (−250), O10 1500
    expect(body).toEqual({ from: day('01-01'), to: day('03-31'), currency: 'USD', sellerId: known.sellerA, ...figures(6, 12, 8_000, 3_250), newCustomers: null, firstTimeBuyers: 3 });
  });

  it('seller B: first-time buyers are first-time with B (c0 bought only from A before)', async () => {
    const body = await okInOneQuery<Overview>(await get(sellerB, `/analytics/overview?${Q1()}`));
    expect(body).toMatchObject({ sellerId: known.sellerB, ...figures(3, 4, 12_000, 1_500), newCustomers: null, firstTimeBuyers: 3 });
  });

  it('an admin with ?sellerId= sees exactly what that seller sees', async () => {
    const asAdmin = await okInOneQuery<Overview>(await get(admin, `/analytics/overview?${Q1()}&sellerId=${known.sellerA}`));
    const asSeller = await okInOneQuery<Overview>(await get(sellerA, `/analytics/overview?${Q1()}`));
    expect(asAdmin).toEqual(asSeller);
  });

  it('a seller asking for its own id is fine', async () => {
    const body = await okInOneQuery<Overview>(await get(sellerA, `/analytics/overview?${Q1()}&sellerId=${known.sellerA}`));
    expect(body.grossRevenue).toBe(8_000);
  });

  it('range ends are whole UTC days, both inclusive (03-01 00:00 and 03-31 23:59:59 count; 04-01 00:00 does not)', async () => {
    const march = await okInOneQuery<Overview>(await get(admin, `/analytics/overview?from=${day('03-01')}&to=${day('03-31')}`));
    expect(march).toMatchObject(figures(2, 4, 4_500, 0)); // O9 + O10
    const april = await okInOneQuery<Overview>(await get(admin, `/analytics/overview?from=${day('04-01')}&to=${day('04-01')}`));
    expect(april).toMatchObject({ ...figures(1, 1, 700, 0), newCustomers: 1, firstTimeBuyers: 0 }); // O11; c1 paid before
  });

  it('an empty range answers zeros, not nulls', async () => {
    const body = await okInOneQuery<Overview>(await get(admin, `/analytics/overview?from=${day('06-01')}&to=${day('06-30')}`));
    expect(body).toMatchObject({ ...figures(0, 0, 0, 0), newCustomers: 0, firstTimeBuyers: 0 });
  });
});

/** Zero buckets for these starts, with the given ones filled in. */
function series(starts: string[], filled: Record<string, Figures>) {
  return starts.map((bucket) => ({ bucket, ...(filled[bucket] ?? figures(0, 0, 0, 0)) }));
}

describe('GET /analytics/sales', () => {
  it('by day: every day present, empty days as zeros, a late-evening payment on its UTC day', async () => {
    const body = await okInOneQuery<Sales>(await get(admin, `/analytics/sales?interval=day&from=${day('01-01')}&to=${day('01-04')}`));
    expect(body.interval).toBe('day');
    expect(body.buckets).toEqual(series([day('01-01'), day('01-02'), day('01-03'), day('01-04')], { [day('01-02')]: figures(2, 4, 6_500, 0) }));
  });

  it('by week: Monday buckets across the quarter, zero-filled', async () => {
    const body = await okInOneQuery<Sales>(await get(admin, `/analytics/sales?interval=week&${Q1()}`));
    const mondays = ['01-01', '01-08', '01-15', '01-22', '01-29', '02-05', '02-12', '02-19', '02-26', '03-05', '03-12', '03-19', '03-26'].map((d) => day(d));
    expect(body.buckets).toEqual(
      series(mondays, {
        [day('01-01')]: figures(2, 4, 6_500, 0), // O1 O2
        [day('01-08')]: figures(2, 5, 3_000, 3_000), // O12 O3
        [day('02-12')]: figures(1, 3, 8_000, 2_000), // O4
        [day('02-26')]: figures(1, 1, 3_000, 0), // O9 (Thursday 03-01 belongs to the week of 02-26)
        [day('03-26')]: figures(1, 3, 1_500, 0), // O10
      }),
    );
  });

  it('by month: the buckets add up to the overview', async () => {
    const body = await okInOneQuery<Sales>(await get(admin, `/analytics/sales?interval=month&${Q1()}`));
    expect(body.buckets).toEqual([
      { bucket: day('01-01'), ...figures(4, 9, 9_500, 3_000) },
      { bucket: day('02-01'), ...figures(1, 3, 8_000, 2_000) },
      { bucket: day('03-01'), ...figures(2, 4, 4_500, 0) },
    ]);
  });

  it('partial first and last buckets count only the days inside the range', async () => {
    const body = await okInOneQuery<Sales>(await get(admin, `/analytics/sales?interval=month&from=${day('01-10')}&to=${day('02-15')}`));
    expect(body.buckets).toEqual([
      { bucket: day('01-01'), ...figures(1, 1, 1_000, 1_000) }, // O3 only: O12 (01-09) is before the range
      { bucket: day('02-01'), ...figures(1, 3, 8_000, 2_000) }, // O4 on the last day
    ]);
  });

  it('seller A by month: only its lines', async () => {
    const body = await okInOneQuery<Sales & { sellerId: string }>(await get(sellerA, `/analytics/sales?interval=month&${Q1()}`));
    expect(body.sellerId).toBe(known.sellerA);
    expect(body.buckets).toEqual([
      { bucket: day('01-01'), ...figures(4, 8, 5_500, 3_000) }, // O1 2000, O2 500, O3 1000 (−1000), O12 2000 (−2000)
      { bucket: day('02-01'), ...figures(1, 1, 1_000, 250) }, // O4 A1
      { bucket: day('03-01'), ...figures(1, 3, 1_500, 0) }, // O10
    ]);
  });

  it('defaults to daily buckets', async () => {
    const body = await okInOneQuery<Sales>(await get(admin, `/analytics/sales?from=${day('01-01')}&to=${day('01-07')}`));
    expect(body.interval).toBe('day');
    expect(body.buckets).toHaveLength(7);
  });
});

describe('GET /analytics/top-products', () => {
  // pA1: O1 2×1000, O3 1000 (−1000), O4 1000 (−250) → 4 units, 4000 gross, 2750 net, 3 orders
  // pA2: O2 500, O10 3×500, O12 4×500 (−2000)        → 8 units, 4000 gross, 2000 net, 3 orders
  // pB1: O1 3000, O4 2×3000 (−1500), O9 3000         → 4 units, 12000 gross, 10500 net, 3 orders
  const product = (id: () => string, seller: () => string, name: string, units: number, gross: number, refunded: number) => () => ({
    productId: id(),
    sellerId: seller(),
    name,
    orders: 3,
    units,
    grossRevenue: gross,
    refunded,
    netRevenue: gross - refunded,
  });
  const pA1 = product(() => known.products.pA1, () => known.sellerA, 'Atlas scarf', 4, 4_000, 1_250);
  // The name on its most recent line inside the range (O10), not O11's after it.
  const pA2 = product(() => known.products.pA2, () => known.sellerA, 'Clay bowl, glazed', 8, 4_000, 2_000);
  const pB1 = product(() => known.products.pB1, () => known.sellerB, 'Suzani cushion', 4, 12_000, 1_500);

  it('by net revenue (the default)', async () => {
    const body = await okInOneQuery<Top>(await get(admin, `/analytics/top-products?${Q1()}`));
    expect(body.by).toBe('revenue');
    expect(body.data).toEqual([pB1(), pA1(), pA2()]);
  });

  it('by units, ties broken by net revenue; limit', async () => {
    const body = await okInOneQuery<Top>(await get(admin, `/analytics/top-products?${Q1()}&by=units`));
    expect(body.data).toEqual([pA2(), pB1(), pA1()]);
    const one = await okInOneQuery<Top>(await get(admin, `/analytics/top-products?${Q1()}&by=units&limit=1`));
    expect(one.data).toEqual([pA2()]);
  });

  it('a seller ranks only its own products', async () => {
    const body = await okInOneQuery<Top>(await get(sellerA, `/analytics/top-products?${Q1()}`));
    expect(body.data).toEqual([pA1(), pA2()]);
    const asAdmin = await okInOneQuery<Top>(await get(admin, `/analytics/top-products?${Q1()}&sellerId=${known.sellerB}`));
    expect(asAdmin.data).toEqual([pB1()]);
  });

  it('in another currency', async () => {
    const body = await okInOneQuery<Top>(await get(admin, `/analytics/top-products?${Q1()}&currency=EUR`));
    expect(body.data).toEqual([{ ...pB1(), orders: 1, units: 1, grossRevenue: 2_500, refunded: 0, netRevenue: 2_500 }]);
  });
});

it(`uses a year of its own (${YEAR}) so other suites' orders cannot change these figures`, () => {
  expect(YEAR).toBeGreaterThan(2100);
});
