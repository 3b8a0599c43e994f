import { SELF } from 'cloudflare:test';
import { desc, eq, sql } from 'drizzle-orm';
import { type EmailedTokenPurpose, emailedToken as deriveEmailedToken } from '../../shared/auth/emailed-tokens';
import { createDatabase } from '../../shared/db/client';
import { outboxEvents, users } from '../../shared/db/schema';
import { loadConfig } from '../../shared/env';
import { testEnv } from './app';

export const API = 'http://api.test/api/v1';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: 'customer' | 'seller' | 'admin';
  accessToken: string;
  refreshToken: string;
}

let counter = 0;
/** A unique email per call, so tests never collide on the shared database. */
export function uniqueEmail(label = 'user'): string {
  return `${label}-${Date.now().toString(36)}-${counter++}-${crypto.randomUUID().slice(0, 6)}@example.test`;
}

export async function api(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return SELF.fetch(`${API}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

/** Direct database access for arranging state and checking what a request left behind. */
export async function withDb<T>(fn: (db: ReturnType<typeof createDatabase>['db']) => Promise<T>): Promise<T> {
  const handle = createDatabase(loadConfig(testEnv));
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

export async function login(email: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await api('POST', '/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Registers a user through the API; other roles are granted in the database, then the user signs in again. */
export async function createUser(role: TestUser['role'] = 'customer', label: string = role): Promise<TestUser> {
  const email = uniqueEmail(label);
  const password = `pw-${crypto.randomUUID()}`;
  const res = await api('POST', '/auth/register', { body: { email, password, name: `Test ${label}` } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const body = await res.json<{ user: { id: string }; accessToken: string; refreshToken: string }>();
  if (role === 'customer') return { id: body.user.id, email, password, role, ...body };
  await withDb((db) => db.update(users).set({ role }).where(eq(users.id, body.user.id)));
  return { id: body.user.id, email, password, role, ...(await login(email, password)) };
}

const PURPOSE: Record<string, EmailedTokenPurpose> = {
  'auth.verify_email': 'verify_email',
  'auth.password_reset_requested': 'reset_password',
};

/**
 * The token the latest `type` email to this user carries, derived from the
 * event's token id as the notifications consumer does (the event never holds
 * the token). Forgot-password and resend-verification record their event
 * after answering, so this waits for it; `besides` waits for a newer one.
 */
export async function emailedToken(type: string, userId: string, options: { besides?: string } = {}): Promise<string> {
  const purpose = PURPOSE[type];
  if (!purpose) throw new Error(`${type} carries no token`);
  for (let attempt = 0; attempt < 200; attempt++) {
    const rows = await withDb((db) =>
      db
        .select({ payload: outboxEvents.payload })
        .from(outboxEvents)
        .where(sql`${outboxEvents.type} = ${type} and ${outboxEvents.payload}->>'userId' = ${userId}`)
        .orderBy(desc(outboxEvents.createdAt))
        .limit(1),
    );
    const tokenId = rows[0]?.payload.tokenId;
    if (typeof tokenId === 'string') {
      const token = await deriveEmailedToken(testEnv.JWT_SECRET ?? '', purpose, userId, tokenId);
      if (token !== options.besides) return token;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no ${type} event for ${userId}`);
}
