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
  { email: 'admin@ultramarket.local', password: 'demo-admin-pass', role: 'admin', name: 'Demo Admin' },
  { email: 'seller@ultramarket.local', password: 'demo-seller-pass', role: 'seller', name: 'Demo Seller' },
  { email: 'customer@ultramarket.local', password: 'demo-customer-pass', role: 'customer', name: 'Demo Customer' },
];

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
