/**
 * `npm run admin:create`: creates the first admin of a deployment (or promotes
 * an existing account and resets its password).
 *
 *   DATABASE_URL=postgres://… ADMIN_EMAIL=ops@example.com ADMIN_PASSWORD='…' npm run admin:create
 *
 * The password must pass the same policy as the API's.
 */
import { PasswordSchema, passwordEqualsEmail } from '../shared/auth/password-policy';
import { upsertAccount } from './stack/seed';

const url = process.env.DATABASE_URL;
const email = process.env.ADMIN_EMAIL?.trim().toLowerCase();
const password = process.env.ADMIN_PASSWORD;
const name = process.env.ADMIN_NAME ?? 'Administrator';

if (!url || !email || !password) {
  console.error('Set DATABASE_URL, ADMIN_EMAIL and ADMIN_PASSWORD (and optionally ADMIN_NAME).');
  process.exit(1);
}
const policy = PasswordSchema.safeParse(password);
if (!policy.success || passwordEqualsEmail(password, email)) {
  console.error(`ADMIN_PASSWORD ${policy.success ? 'must not equal the email' : policy.error.issues[0]?.message}.`);
  process.exit(1);
}
const outcome = await upsertAccount(url, { email, password, name, role: 'admin' });
console.log(`admin ${email} ${outcome}`);
