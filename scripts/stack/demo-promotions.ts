/**
 * The demo store's promotions (docs/promotions.md): two automatic ones (a
 * platform tier "spend 500 000 so'm, get 50 000 off" and the first demo
 * seller's 5% on its own products) and codes: WELCOME10 (10% off, at most
 * 100 000 so'm, once per customer), FREESHIP (free shipping from 200 000
 * so'm) and a campaign of single-use codes AUTUMN-01 … AUTUMN-05 (20 000 so'm
 * off each). Amounts in tiyin (UZS), like the demo catalog.
 *
 * Fixed ids, inserted with ON CONFLICT DO NOTHING: running it twice changes
 * nothing, and a promotion an admin changed stays as changed.
 */
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../../shared/db/schema';
import { DEMO_SELLERS } from './seed';

const demoId = (n: number) => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const som = (amount: number) => amount * 100;
const everyone = { productIds: [], categoryIds: [], sellerIds: [], customerIds: [] };
const STARTS = new Date('2026-01-01T00:00:00+05:00');

type NewPromotion = typeof schema.promotions.$inferInsert;

export const DEMO_PROMOTIONS: Array<Omit<NewPromotion, 'sellerId'> & { bySeller?: boolean; codes?: Array<{ code: string; usageLimit: number | null }> }> = [
  {
    id: demoId(0xd6_0001),
    name: 'Spend 500 000, get 50 000 off',
    kind: 'tiered',
    activation: 'automatic',
    currency: 'UZS',
    params: { kind: 'tiered', tiers: [{ minSubtotal: som(500_000), amount: som(50_000) }] },
    targets: everyone,
    startsAt: STARTS,
  },
  {
    id: demoId(0xd6_0002),
    name: '5% off our own goods',
    kind: 'percentage',
    activation: 'automatic',
    bySeller: true,
    params: { kind: 'percentage', percent: 5 },
    targets: everyone,
    startsAt: STARTS,
  },
  {
    id: demoId(0xd6_0003),
    name: 'Welcome: 10% off your order',
    kind: 'percentage',
    activation: 'code',
    currency: 'UZS',
    params: { kind: 'percentage', percent: 10, maxDiscount: som(100_000) },
    targets: everyone,
    perCustomerLimit: 1,
    startsAt: STARTS,
    codes: [{ code: 'WELCOME10', usageLimit: null }],
  },
  {
    id: demoId(0xd6_0004),
    name: 'Free delivery from 200 000',
    kind: 'free_shipping',
    activation: 'code',
    params: { kind: 'free_shipping' },
    targets: everyone,
    minSubtotal: som(200_000),
    startsAt: STARTS,
    codes: [{ code: 'FREESHIP', usageLimit: null }],
  },
  {
    id: demoId(0xd6_0005),
    name: 'Autumn campaign: 20 000 off',
    kind: 'fixed_amount',
    activation: 'code',
    currency: 'UZS',
    params: { kind: 'fixed_amount', amount: som(20_000) },
    targets: everyone,
    minSubtotal: som(100_000),
    startsAt: STARTS,
    codes: Array.from({ length: 5 }, (_, i) => ({ code: `AUTUMN-${String(i + 1).padStart(2, '0')}`, usageLimit: 1 })),
  },
];

/** Inserts the demo promotions and codes that are missing. Needs the demo sellers (seedDemoData). */
export async function seedDemoPromotions(url: string): Promise<{ created: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const db = drizzle({ client, schema });
    const sellerEmail = DEMO_SELLERS[0]?.email ?? '';
    const [seller] = await db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, sellerEmail));
    if (!seller) throw new Error(`the demo seller ${sellerEmail} does not exist: seed the demo accounts first (seedDemoData)`);
    let created = 0;
    for (const [i, { codes, bySeller, ...promotion }] of DEMO_PROMOTIONS.entries()) {
      const rows = await db
        .insert(schema.promotions)
        .values({ ...promotion, sellerId: bySeller ? seller.id : null })
        .onConflictDoNothing()
        .returning({ id: schema.promotions.id });
      created += rows.length;
      if (!codes?.length) continue;
      const added = await db
        .insert(schema.promotionCodes)
        .values(codes.map((c, k) => ({ id: demoId(0xd6_0100 + i * 0x10 + k), promotionId: promotion.id as string, ...c })))
        .onConflictDoNothing()
        .returning({ id: schema.promotionCodes.id });
      created += added.length;
    }
    return { created };
  } finally {
    await client.end();
  }
}
