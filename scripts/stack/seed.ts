import { and, eq, inArray, isNull } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { hashPassword } from '../../shared/auth/password';
import * as schema from '../../shared/db/schema';
import { newId } from '../../shared/ids';

export interface DemoAccount {
  email: string;
  password: string;
  role: 'customer' | 'seller' | 'admin';
  name: string;
  /** Sellers: the demo catalog's departments (root category slugs) whose products they sell. */
  departments?: string[];
  /** Sellers: false for a turnover-tax seller, whose lines carry 0% VAT (docs/vat-and-receipts.md); default a VAT payer. */
  vatPayer?: boolean;
}

/** The password of every demo seller. */
const SELLER_PASSWORD = 'demo-seller-pass';

/** Demo logins printed by `npm run dev`. Local data only: never seed a shared database with these. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    email: process.env.SEED_ADMIN_EMAIL ?? 'admin@ultramarket.local',
    password: process.env.SEED_ADMIN_PASSWORD ?? 'demo-admin-pass',
    role: 'admin',
    name: 'Demo Admin',
  },
  // The first seller also sells any department no other seller names.
  { email: 'seller@ultramarket.local', password: SELLER_PASSWORD, role: 'seller', name: 'Demo Seller', departments: ['electronics', 'books'] },
  { email: 'bazaar@ultramarket.local', password: SELLER_PASSWORD, role: 'seller', name: 'Chorsu Bazaar', departments: ['fashion', 'beauty'], vatPayer: false },
  { email: 'home@ultramarket.local', password: SELLER_PASSWORD, role: 'seller', name: 'Samarkand Home', departments: ['home-kitchen'] },
  { email: 'outdoors@ultramarket.local', password: SELLER_PASSWORD, role: 'seller', name: 'Silk Road Outdoors', departments: ['sports-outdoors'] },
  { email: 'customer@ultramarket.local', password: 'demo-customer-pass', role: 'customer', name: 'Demo Customer' },
];

/** The demo sellers, in DEMO_ACCOUNTS order: the demo catalog's products are spread over them by department. */
export const DEMO_SELLERS = DEMO_ACCOUNTS.filter((a) => a.role === 'seller');

/** Which demo seller sells the products of a department (root category slug): the first seller unless another names it. */
export const demoSellerOf = (department: string): DemoAccount => DEMO_SELLERS.find((s) => s.departments?.includes(department)) ?? DEMO_SELLERS[0]!;

/** Creates an account with a role, or gives an existing one that role and password. */
export async function upsertAccount(url: string, account: DemoAccount): Promise<'created' | 'updated'> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const db = drizzle({ client, schema });
    const email = account.email.trim().toLowerCase();
    const passwordHash = await hashPassword(account.password);
    const updated = await db
      .update(schema.users)
      .set({ role: account.role, passwordHash, disabled: false, updatedAt: new Date() })
      .where(and(eq(schema.users.email, email), isNull(schema.users.deletedAt)))
      .returning({ id: schema.users.id });
    if (updated.length) return 'updated';
    await db.insert(schema.users).values({
      id: newId(),
      email,
      name: account.name,
      role: account.role,
      passwordHash,
      emailVerifiedAt: new Date(),
    });
    return 'created';
  } finally {
    await client.end();
  }
}

/** Inserts the demo data that is missing; running it twice changes nothing. */
export async function seedDemoData(url: string): Promise<{ created: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const db = drizzle({ client, schema });
    let created = 0;
    // Hashing a password takes a while: only for the accounts that are missing.
    const existing = await db
      .select({ email: schema.users.email })
      .from(schema.users)
      .where(and(inArray(schema.users.email, DEMO_ACCOUNTS.map((a) => a.email)), isNull(schema.users.deletedAt)));
    const have = new Set(existing.map((r) => r.email));
    for (const account of DEMO_ACCOUNTS.filter((a) => !have.has(a.email))) {
      const rows = await db
        .insert(schema.users)
        .values({
          id: newId(),
          email: account.email,
          name: account.name,
          role: account.role,
          passwordHash: await hashPassword(account.password),
          emailVerifiedAt: new Date(),
        })
        .onConflictDoNothing()
        .returning({ id: schema.users.id });
      created += rows.length;
    }
    // The turnover-tax seller's VAT status; one an admin or the seller changed since stays as changed.
    const nonPayers = DEMO_ACCOUNTS.filter((a) => a.role === 'seller' && a.vatPayer === false).map((a) => a.email);
    if (nonPayers.length) {
      const sellers = await db
        .select({ id: schema.users.id })
        .from(schema.users)
        .where(and(inArray(schema.users.email, nonPayers), isNull(schema.users.deletedAt)));
      if (sellers.length) await db.insert(schema.sellerSettings).values(sellers.map((s) => ({ sellerId: s.id, vatPayer: false }))).onConflictDoNothing();
    }
    return { created };
  } finally {
    await client.end();
  }
}
