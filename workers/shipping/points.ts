import { z } from '@hono/zod-openapi';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { isForeignKeyViolation } from '../../shared/db/errors';
import { pickupPoints, type PickupPoint } from '../../shared/db/schema';
import { NotFound, ValidationFailed } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, paginate, type PageQuery } from '../../shared/pagination';
import { isRegionOf, REGION_MESSAGE } from '../../shared/regions';
import { ownerFilter, ownerForCreate, readableBy, writableBy } from './owners';
import type { CreatePointInput, Point, UpdatePointInput } from './schemas';

const toPoint = (row: PickupPoint): Point => ({
  id: row.id,
  sellerId: row.sellerId,
  name: row.name,
  address: row.address,
  country: row.country,
  regionCode: row.regionCode,
  hours: row.hours,
  active: row.active,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

function checkRegion(country: string, regionCode: string): void {
  if (!isRegionOf(country, regionCode)) throw new ValidationFailed([{ path: 'regionCode', message: REGION_MESSAGE }]);
}

function explain(err: unknown): never {
  if (isForeignKeyViolation(err)) throw new ValidationFailed([{ path: 'sellerId', message: 'no such seller' }]);
  throw err;
}

export async function listPoints(
  deps: Deps,
  auth: Principal | undefined,
  query: PageQuery & { sellerId?: string; platform?: 'true' | 'false'; country?: string; regionCode?: string },
) {
  const after = decodeCursor(query.cursor, z.object({ id: z.uuid() }));
  const rows = await deps.db
    .select()
    .from(pickupPoints)
    .where(
      and(
        readableBy(auth, pickupPoints.sellerId, pickupPoints.active),
        ownerFilter(pickupPoints.sellerId, query),
        query.country ? eq(pickupPoints.country, query.country) : undefined,
        query.regionCode ? eq(pickupPoints.regionCode, query.regionCode) : undefined,
        after ? lt(pickupPoints.id, after.id) : undefined,
      ),
    )
    .orderBy(desc(pickupPoints.id))
    .limit(query.limit + 1);
  const page = paginate(rows, query.limit, (r) => ({ id: r.id }));
  return { data: page.data.map(toPoint), nextCursor: page.nextCursor };
}

export async function getPoint(deps: Deps, auth: Principal | undefined, id: string): Promise<Point> {
  const [row] = await deps.db
    .select()
    .from(pickupPoints)
    .where(and(eq(pickupPoints.id, id), readableBy(auth, pickupPoints.sellerId, pickupPoints.active)));
  if (!row) throw new NotFound('pickup point', id);
  return toPoint(row);
}

export async function createPoint(deps: Deps, auth: Principal, input: CreatePointInput): Promise<Point> {
  const sellerId = ownerForCreate(auth, input.sellerId);
  checkRegion(input.country, input.regionCode);
  const { sellerId: _requested, ...fields } = input;
  const [row] = await deps.db
    .insert(pickupPoints)
    .values({ ...fields, id: newId(), sellerId })
    .returning()
    .catch(explain);
  if (!row) throw new Error('insert returned no row');
  return toPoint(row);
}

export async function updatePoint(deps: Deps, auth: Principal, id: string, input: UpdatePointInput): Promise<Point> {
  const mine = writableBy(auth, pickupPoints.sellerId);
  return deps.db.transaction(async (tx) => {
    const [current] = await tx.select().from(pickupPoints).where(and(eq(pickupPoints.id, id), mine)).for('update');
    if (!current) throw new NotFound('pickup point', id);
    checkRegion(input.country ?? current.country, input.regionCode ?? current.regionCode);
    const [row] = await tx
      .update(pickupPoints)
      .set({ ...input, updatedAt: sql`now()` })
      .where(eq(pickupPoints.id, id))
      .returning();
    if (!row) throw new NotFound('pickup point', id);
    return toPoint(row);
  });
}

/** Orders keep their own copy of the point they chose (seller_orders.shipping_choice), so a point can go. */
export async function deletePoint(deps: Deps, auth: Principal, id: string): Promise<void> {
  const removed = await deps.db
    .delete(pickupPoints)
    .where(and(eq(pickupPoints.id, id), writableBy(auth, pickupPoints.sellerId)))
    .returning({ id: pickupPoints.id });
  if (!removed.length) throw new NotFound('pickup point', id);
}
