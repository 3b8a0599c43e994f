import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../shared/auth/password';
import { migrateDatabase } from '../../scripts/stack/migrate';
import { startEmbeddedPostgres, type PostgresHandle } from '../../scripts/stack/postgres';

const run = promisify(execFile);

describe('npm run admin:create', () => {
  let postgres: PostgresHandle;
  beforeAll(async () => {
    postgres = await startEmbeddedPostgres();
    await migrateDatabase(postgres.url);
  });
  afterAll(() => postgres.close());

  const createAdmin = (env: Record<string, string>) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/create-admin.ts'], { env: { ...process.env, ...env } });

  async function userRow(email: string) {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      return (await client.query('select role, password_hash from users where email = $1', [email])).rows[0];
    } finally {
      await client.end();
    }
  }

  it('creates an admin, then promotes and resets an existing account', async () => {
    const env = { DATABASE_URL: postgres.url, ADMIN_EMAIL: ' Ops@Example.COM ', ADMIN_PASSWORD: 'first admin passphrase' };
    expect((await createAdmin(env)).stdout).toContain('admin ops@example.com created');
    const created = await userRow('ops@example.com');
    expect(created.role).toBe('admin');
    expect(await verifyPassword('first admin passphrase', created.password_hash)).toBe(true);

    expect((await createAdmin({ ...env, ADMIN_PASSWORD: 'second admin passphrase' })).stdout).toContain('updated');
    expect(await verifyPassword('second admin passphrase', (await userRow('ops@example.com')).password_hash)).toBe(true);
  }, 60_000);

  it('refuses a weak password and changes nothing', async () => {
    await expect(createAdmin({ DATABASE_URL: postgres.url, ADMIN_EMAIL: 'weak@example.com', ADMIN_PASSWORD: 'password1' })).rejects.toThrow(
      /too common/,
    );
    expect(await userRow('weak@example.com')).toBeUndefined();
  }, 60_000);
});
