import { type SQL, sql, type SQLWrapper } from 'drizzle-orm';
import type { Principal } from '../../shared/context';
import { Forbidden, ValidationFailed } from '../../shared/errors';

/**
 * Methods and pickup points belong to the platform (seller_id null, managed
 * by admins) or to one seller (managed by that seller and admins). Another
 * seller's are never revealed to a seller: 404, as if they did not exist.
 */

/** Who a new method or point belongs to: a seller's own, or for an admin the platform's unless it names a seller. */
export function ownerForCreate(auth: Principal, requested: string | null | undefined): string | null {
  if (auth.role === 'admin') return requested ?? null;
  if (auth.role !== 'seller') throw new Forbidden('Only sellers and admins manage shipping.');
  if (requested != null && requested !== auth.userId) throw new ValidationFailed([{ path: 'sellerId', message: 'a seller manages only its own' }]);
  return auth.userId;
}

/** Rows the caller may change: an admin all, a seller its own. */
export function writableBy(auth: Principal, sellerId: SQLWrapper): SQL {
  if (auth.role === 'admin') return sql`true`;
  if (auth.role !== 'seller') throw new Forbidden('Only sellers and admins manage shipping.');
  return sql`${sellerId} = ${auth.userId}`;
}

/** Rows the caller may read: active ones to anyone, inactive ones to their seller and admins. */
export function readableBy(auth: Principal | undefined, sellerId: SQLWrapper, active: SQLWrapper): SQL {
  if (auth?.role === 'admin') return sql`true`;
  if (auth?.role === 'seller') return sql`(${active} or ${sellerId} = ${auth.userId})`;
  return sql`${active}`;
}

/** `?sellerId=` / `?platform=` filters of the lists. */
export function ownerFilter(sellerId: SQLWrapper, query: { sellerId?: string; platform?: 'true' | 'false' }): SQL | undefined {
  if (query.platform === 'true') return sql`${sellerId} is null`;
  if (query.platform === 'false') return query.sellerId ? sql`${sellerId} = ${query.sellerId}` : sql`${sellerId} is not null`;
  return query.sellerId ? sql`${sellerId} = ${query.sellerId}` : undefined;
}
