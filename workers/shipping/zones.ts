import { z } from '@hono/zod-openapi';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { isForeignKeyViolation } from '../../shared/db/errors';
import { shippingZones, type ShippingZone } from '../../shared/db/schema';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, paginate, type PageQuery } from '../../shared/pagination';
import { isRegionOf, REGION_MESSAGE } from '../../shared/regions';
import type { Zone, ZoneInput } from './schemas';

function assertAdmin(auth: Principal): void {
  if (auth.role !== 'admin') throw new Forbidden('Only an admin manages shipping zones.');
}

const toZone = (row: ShippingZone): Zone => ({
  id: row.id,
  name: row.name,
  country: row.country,
  regionCodes: row.regionCodes,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

function checkRegions(input: ZoneInput): string[] {
  const codes = [...new Set(input.regionCodes)].sort();
  const bad = codes.findIndex((code) => !isRegionOf(input.country, code));
  if (bad >= 0) throw new ValidationFailed([{ path: `regionCodes.${bad}`, message: REGION_MESSAGE }]);
  return codes;
}

export async function listZones(deps: Deps, query: PageQuery & { country?: string }) {
  const after = decodeCursor(query.cursor, z.object({ id: z.uuid() }));
  const rows = await deps.db
    .select()
    .from(shippingZones)
    .where(and(query.country ? eq(shippingZones.country, query.country) : undefined, after ? lt(shippingZones.id, after.id) : undefined))
    .orderBy(desc(shippingZones.id))
    .limit(query.limit + 1);
  const page = paginate(rows, query.limit, (r) => ({ id: r.id }));
  return { data: page.data.map(toZone), nextCursor: page.nextCursor };
}

export async function getZone(deps: Deps, id: string): Promise<Zone> {
  const [row] = await deps.db.select().from(shippingZones).where(eq(shippingZones.id, id));
  if (!row) throw new NotFound('shipping zone', id);
  return toZone(row);
}

export async function createZone(deps: Deps, auth: Principal, input: ZoneInput): Promise<Zone> {
  assertAdmin(auth);
  const [row] = await deps.db
    .insert(shippingZones)
    .values({ id: newId(), name: input.name, country: input.country, regionCodes: checkRegions(input) })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return toZone(row);
}

export async function updateZone(deps: Deps, auth: Principal, id: string, input: ZoneInput): Promise<Zone> {
  assertAdmin(auth);
  const [row] = await deps.db
    .update(shippingZones)
    .set({ name: input.name, country: input.country, regionCodes: checkRegions(input), updatedAt: sql`now()` })
    .where(eq(shippingZones.id, id))
    .returning();
  if (!row) throw new NotFound('shipping zone', id);
  return toZone(row);
}

/** A zone that methods still price is kept: 409 until their rates for it are removed. */
export async function deleteZone(deps: Deps, auth: Principal, id: string): Promise<void> {
  assertAdmin(auth);
  try {
    const removed = await deps.db.delete(shippingZones).where(eq(shippingZones.id, id)).returning({ id: shippingZones.id });
    if (!removed.length) throw new NotFound('shipping zone', id);
  } catch (err) {
    if (isForeignKeyViolation(err)) throw new Conflict('Shipping methods still have rates in this zone; remove them first.', { zoneId: id });
    throw err;
  }
}
