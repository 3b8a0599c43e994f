import { expect } from 'vitest';
import { signAccessToken } from '../../../shared/auth/tokens';
import { call, testEnv } from '../../support/app';
import { API } from '../../support/users';

/** An access token for a user written straight into the database (no password to sign in with). */
export async function tokenFor(userId: string, role: 'customer' | 'seller' | 'admin'): Promise<string> {
  return (await signAccessToken(testEnv.JWT_SECRET ?? '', { userId, role, sessionId: userId })).token;
}

/** GET through the real app with `X-Db-Round-Trips` exposed. */
export function get(token: string, path: string): Promise<Response> {
  return call(new Request(`${API}${path}`, { headers: { authorization: `Bearer ${token}` } }), { env: { EXPOSE_DB_METRICS: 'true' } });
}

/** The body of a 200 that cost exactly one database round trip. */
export async function okInOneQuery<T>(res: Response): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(res.headers.get('x-db-round-trips')).toBe('1');
  return JSON.parse(text) as T;
}

export interface Figures {
  orders: number;
  units: number;
  grossRevenue: number;
  refunded: number;
  netRevenue: number;
  averageOrderValue: number;
}

/** Figures from the four sums, the way the API derives the rest. */
export function figures(orders: number, units: number, grossRevenue: number, refunded: number): Figures {
  return { orders, units, grossRevenue, refunded, netRevenue: grossRevenue - refunded, averageOrderValue: orders ? Math.round(grossRevenue / orders) : 0 };
}
