import { z } from '@hono/zod-openapi';
import { sql, type SQL } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { promotionCodes, promotions, type Promotion as PromotionRow } from '../../shared/db/schema';
import { invalidate } from '../../shared/cache';
import { Conflict, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, paginate } from '../../shared/pagination';
import { assertManager, assertValidRule, funderForCreate } from './rules';
import type { CreatePromotionInput, ListPromotionsQuery, Promotion, UpdatePromotionInput } from './schemas';

/**
 * Promotion rules CRUD (docs/promotions.md): admins manage every promotion,
 * a seller only those it funds — another's is 404, as if it did not exist.
 * DELETE archives: orders that used a promotion keep pointing at it.
 */

type Db = Pick<Deps, 'db'>;

/** Rows the caller may see and change: an admin all, a seller those it funds. */
export function manageableBy(auth: Principal): SQL {
  assertManager(auth);
  return auth.role === 'admin' ? sql`true` : sql`${promotions.sellerId} = ${auth.userId}`;
}

// Spelled out: inside a one-table select drizzle leaves columns unqualified, and a bare "id" would be the code's.
const codeCount = sql<number>`(select count(*)::int from ${promotionCodes} c where c.promotion_id = "promotions"."id")`;

function toJson(row: PromotionRow & { codeCount: number }): Promotion {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    kind: row.kind,
    activation: row.activation,
    status: row.status,
    funding: row.sellerId ? 'seller' : 'platform',
    sellerId: row.sellerId,
    currency: row.currency,
    params: row.params as Promotion['params'],
    targets: row.targets,
    minSubtotal: row.minSubtotal,
    minQuantity: row.minQuantity,
    firstOrderOnly: row.firstOrderOnly,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt?.toISOString() ?? null,
    exclusive: row.exclusive,
    priority: row.priority,
    usageLimit: row.usageLimit,
    perCustomerLimit: row.perCustomerLimit,
    codeCount: Number(row.codeCount),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function readPromotion(deps: Db, id: string, visible: SQL): Promise<Promotion | undefined> {
  const [row] = await deps.db
    .select({ promotion: promotions, codeCount })
    .from(promotions)
    .where(sql`${promotions.id} = ${id} and ${visible}`);
  return row ? toJson({ ...row.promotion, codeCount: row.codeCount }) : undefined;
}

export async function getPromotion(deps: Deps, auth: Principal, id: string): Promise<Promotion> {
  const promotion = await readPromotion(deps, id, manageableBy(auth));
  if (!promotion) throw new NotFound('promotion', id);
  return promotion;
}

export async function listPromotions(deps: Deps, auth: Principal, query: ListPromotionsQuery) {
  const visible = manageableBy(auth);
  const after = decodeCursor(query.cursor, z.object({ id: z.uuid() }));
  const filters = [
    visible,
    query.status ? sql`${promotions.status} = ${query.status}` : sql`${promotions.status} <> 'archived'`,
    query.kind ? sql`${promotions.kind} = ${query.kind}` : undefined,
    query.activation ? sql`${promotions.activation} = ${query.activation}` : undefined,
    query.platform === 'true' ? sql`${promotions.sellerId} is null` : query.platform === 'false' ? sql`${promotions.sellerId} is not null` : undefined,
    query.sellerId ? sql`${promotions.sellerId} = ${query.sellerId}` : undefined,
    query.code ? sql`${promotions.id} in (select c.promotion_id from ${promotionCodes} c where c.code = ${query.code})` : undefined,
    after ? sql`${promotions.id} < ${after.id}` : undefined,
  ].filter((f): f is SQL => f !== undefined);
  const rows = await deps.db
    .select({ promotion: promotions, codeCount })
    .from(promotions)
    .where(sql.join(filters, sql` and `))
    .orderBy(sql`${promotions.id} desc`)
    .limit(query.limit + 1);
  const page = paginate(rows, query.limit, (r) => ({ id: r.promotion.id }));
  return { data: page.data.map((r) => toJson({ ...r.promotion, codeCount: r.codeCount })), nextCursor: page.nextCursor };
}

export async function createPromotion(deps: Deps, auth: Principal, input: CreatePromotionInput): Promise<Promotion> {
  const sellerId = funderForCreate(auth, input.sellerId);
  const { sellerId: _requested, startsAt, endsAt, ...fields } = input;
  const rule = { ...fields, sellerId, kind: input.params.kind, startsAt: startsAt ? new Date(startsAt) : new Date(), endsAt: endsAt ? new Date(endsAt) : null };
  await assertValidRule(deps, rule);
  const id = newId();
  const [row] = await deps.db
    .insert(promotions)
    .values({ ...rule, id, createdBy: auth.userId })
    .returning();
  if (!row) throw new Error('insert returned no row');
  await invalidate(deps, 'promotions');
  return toJson({ ...row, codeCount: 0 });
}

/** Only the fields sent change; the merged rule is validated as a whole. An archived promotion stays as it is (409). */
export async function updatePromotion(deps: Deps, auth: Principal, id: string, input: UpdatePromotionInput): Promise<Promotion> {
  const visible = manageableBy(auth);
  const updated = await deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ promotion: promotions, codeCount })
      .from(promotions)
      .where(sql`${promotions.id} = ${id} and ${visible}`)
      .for('update');
    if (!found) throw new NotFound('promotion', id);
    const current = found.promotion;
    if (current.status === 'archived') throw new Conflict('The promotion is archived; create a new one.', { promotionId: id });
    const { startsAt, endsAt, ...fields } = input;
    const merged = {
      ...current,
      ...fields,
      startsAt: startsAt ? new Date(startsAt) : current.startsAt,
      endsAt: endsAt === undefined ? current.endsAt : endsAt === null ? null : new Date(endsAt),
    };
    await assertValidRule({ db: tx as unknown as Deps['db'] }, merged);
    const { id: _id, createdAt: _created, createdBy: _by, ...changes } = merged;
    const [row] = await tx
      .update(promotions)
      .set({ ...changes, kind: merged.params.kind, updatedAt: sql`now()` })
      .where(sql`${promotions.id} = ${id}`)
      .returning();
    if (!row) throw new NotFound('promotion', id);
    return toJson({ ...row, codeCount: found.codeCount });
  });
  // Carts keep the automatic set in the versioned cache (workers/cart/discounts.ts); checkout always reads it live.
  await invalidate(deps, 'promotions');
  return updated;
}

/** Archives: it never applies again and leaves the lists (unless asked for with `?status=archived`); its codes stay taken. */
export async function archivePromotion(deps: Deps, auth: Principal, id: string): Promise<void> {
  const archived = await deps.db
    .update(promotions)
    .set({ status: 'archived', updatedAt: sql`now()` })
    .where(sql`${promotions.id} = ${id} and ${manageableBy(auth)}`)
    .returning({ id: promotions.id });
  if (!archived.length) throw new NotFound('promotion', id);
  await invalidate(deps, 'promotions');
}
