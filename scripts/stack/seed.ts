import { and, eq, isNull } from 'drizzle-orm';
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
}

/** Demo logins printed by `npm run dev`. Local data only: never seed a shared database with these. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    email: process.env.SEED_ADMIN_EMAIL ?? 'admin@ultramarket.local',
    password: process.env.SEED_ADMIN_PASSWORD ?? 'demo-admin-pass',
    role: 'admin',
    name: 'Demo Admin',
  },
  { email: 'seller@ultramarket.local', password: 'demo-seller-pass', role: 'seller', name: 'Demo Seller' },
  { email: 'customer@ultramarket.local', password: 'demo-customer-pass', role: 'customer', name: 'Demo Customer' },
];

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
    for (const account of DEMO_ACCOUNTS) {
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
    return { created };
  } finally {
    await client.end();
  }
}
