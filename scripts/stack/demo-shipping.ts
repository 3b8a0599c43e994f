/**
 * The demo store's shipping setup (docs/shipping.md): platform zones for three
 * groups of Uzbek regions, the platform's courier, post and pickup methods with
 * pickup points, and one demo seller's own courier. Amounts in the demo
 * catalog's currency (UZS, tiyin: round so'm figures, VAT included like the shelf prices).
 *
 * No zone covers the whole of UZ: an address without a `regionCode` (README's
 * checkout walkthrough) still gets the flat-rate fallback and needs no choice.
 *
 * Fixed ids, inserted with ON CONFLICT DO NOTHING: running it twice changes
 * nothing, and a zone, method or point an admin changed stays as changed.
 */
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../../shared/db/schema';
import type { LocalizedNames, RateRule } from '../../shared/db/schema/shipping';
import { retailUzs } from './demo-catalog/fiscal';
import { DEMO_SELLERS } from './seed';

/** The demo catalog's currency (scripts/stack/demo-catalog/products.ts). */
export const DEMO_SHIPPING_CURRENCY = 'UZS';

/** A rate first thought of in US cents, as a round so'm figure in tiyin (the catalog's conversion). */
const uzs = (cents: number) => retailUzs(cents / 100);

/** A fixed UUID (version 7 layout) for demo row `n`, so reseeding finds it. */
const demoId = (n: number) => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

export const DEMO_ZONES = [
  { id: demoId(0xd5_0001), name: 'Toshkent shahri', country: 'UZ', regionCodes: ['UZ-TK'] },
  { id: demoId(0xd5_0002), name: 'Toshkent viloyati va Samarqand', country: 'UZ', regionCodes: ['UZ-TO', 'UZ-SA'] },
  { id: demoId(0xd5_0003), name: 'Vodiy', country: 'UZ', regionCodes: ['UZ-AN', 'UZ-FA', 'UZ-NG'] },
] as const;
const [CITY, NEAR, VALLEY] = DEMO_ZONES;

interface DemoMethod {
  id: string;
  /** A demo seller's email; absent: the platform's. */
  seller?: string;
  kind: 'courier' | 'post' | 'pickup';
  names: LocalizedNames;
  minDays: number;
  maxDays: number;
  rates: Array<{ zoneId: string; rule: RateRule }>;
}

const postBands: RateRule = {
  type: 'weight',
  bands: [
    { upToGrams: 1000, amount: uzs(400) },
    { upToGrams: 5000, amount: uzs(900) },
    { upToGrams: 50000, amount: uzs(1900) },
  ],
};

export const DEMO_METHODS: DemoMethod[] = [
  {
    id: demoId(0xd5_0101),
    kind: 'courier',
    names: { uz: 'Kuryer (Toshkent)', ru: 'Курьер (Ташкент)', en: 'Courier (Tashkent)' },
    minDays: 1,
    maxDays: 2,
    rates: [{ zoneId: CITY.id, rule: { type: 'flat', amount: uzs(500), freeAbove: uzs(10000) } }],
  },
  {
    id: demoId(0xd5_0102),
    kind: 'post',
    names: { uz: 'O‘zbekiston pochtasi', ru: 'Почта Узбекистана', en: 'UzPost' },
    minDays: 3,
    maxDays: 7,
    rates: [
      { zoneId: CITY.id, rule: postBands },
      { zoneId: NEAR.id, rule: postBands },
      { zoneId: VALLEY.id, rule: { ...postBands, bands: postBands.bands.map((b) => ({ ...b, amount: b.amount + uzs(200) })) } },
    ],
  },
  {
    id: demoId(0xd5_0103),
    kind: 'pickup',
    names: { uz: 'Olib ketish punkti', ru: 'Пункт выдачи', en: 'Pickup point' },
    minDays: 2,
    maxDays: 4,
    rates: [
      { zoneId: CITY.id, rule: { type: 'flat', amount: uzs(200) } },
      { zoneId: NEAR.id, rule: { type: 'flat', amount: uzs(300) } },
    ],
  },
  {
    id: demoId(0xd5_0104),
    seller: DEMO_SELLERS[0]!.email,
    kind: 'courier',
    names: { uz: 'Ekspress kuryer', ru: 'Экспресс-курьер', en: 'Express courier' },
    minDays: 0,
    maxDays: 1,
    rates: [{ zoneId: CITY.id, rule: { type: 'flat', amount: uzs(300) } }],
  },
];

export const DEMO_PICKUP_POINTS = [
  { id: demoId(0xd5_0201), name: 'Chilonzor', address: 'Chilonzor tumani, Bunyodkor ko‘chasi 42', regionCode: 'UZ-TK', hours: 'Du–Sh 09:00–20:00' },
  { id: demoId(0xd5_0202), name: 'Yunusobod', address: 'Yunusobod tumani, Amir Temur ko‘chasi 107', regionCode: 'UZ-TK', hours: 'Du–Ya 10:00–21:00' },
  { id: demoId(0xd5_0203), name: 'Mirzo Ulug‘bek', address: 'Mirzo Ulug‘bek tumani, Buyuk Ipak Yo‘li 15', regionCode: 'UZ-TK', hours: 'Du–Ju 09:00–18:00' },
  { id: demoId(0xd5_0204), name: 'Samarqand Registon', address: 'Samarqand, Registon ko‘chasi 5', regionCode: 'UZ-SA', hours: 'Du–Sh 09:00–19:00' },
] as const;

/** Inserts the demo zones, methods, rates and pickup points that are missing. Needs the demo sellers (seedDemoData). */
export async function seedDemoShipping(url: string): Promise<{ created: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const db = drizzle({ client, schema });
    let created = 0;
    const count = (rows: unknown[]) => (created += rows.length);
    count(await db.insert(schema.shippingZones).values([...DEMO_ZONES].map((z) => ({ ...z, regionCodes: [...z.regionCodes] }))).onConflictDoNothing().returning({ id: schema.shippingZones.id }));
    const sellerIds = new Map<string, string>();
    for (const m of DEMO_METHODS.filter((m) => m.seller)) {
      const [row] = await db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, m.seller!));
      if (!row) throw new Error(`the demo seller ${m.seller} does not exist: seed the demo accounts first (seedDemoData)`);
      sellerIds.set(m.seller!, row.id);
    }
    count(
      await db
        .insert(schema.shippingMethods)
        .values(
          DEMO_METHODS.map((m) => ({
            id: m.id,
            sellerId: m.seller ? sellerIds.get(m.seller)! : null,
            kind: m.kind,
            names: m.names,
            currency: DEMO_SHIPPING_CURRENCY,
            minDays: m.minDays,
            maxDays: m.maxDays,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: schema.shippingMethods.id }),
    );
    count(
      await db
        .insert(schema.shippingRates)
        .values(DEMO_METHODS.flatMap((m) => m.rates.map((r) => ({ methodId: m.id, zoneId: r.zoneId, rule: r.rule }))).map((r, i) => ({ id: demoId(0xd5_0301 + i), ...r })))
        .onConflictDoNothing()
        .returning({ id: schema.shippingRates.id }),
    );
    count(
      await db
        .insert(schema.pickupPoints)
        .values(DEMO_PICKUP_POINTS.map((p) => ({ ...p, sellerId: null, country: 'UZ' })))
        .onConflictDoNothing()
        .returning({ id: schema.pickupPoints.id }),
    );
    return { created };
  } finally {
    await client.end();
  }
}
