import { z } from '@hono/zod-openapi';
import { sql, type SQL } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { constraintName, isForeignKeyViolation } from '../../shared/db/errors';
import { type RateRule, shippingMethods, shippingRates } from '../../shared/db/schema';
import { NotFound, ValidationFailed } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { type Locale, nameIn } from '../../shared/locale';
import { decodeCursor, paginate, type PageQuery } from '../../shared/pagination';
import { ownerFilter, ownerForCreate, readableBy, writableBy } from './owners';
import type { CreateMethodInput, Method, RateInput, UpdateMethodInput } from './schemas';

/** Columns of the `m` alias the JSON reads use (a qualified column name is not valid once the table is aliased). */
const M_SELLER = sql`m.seller_id`;
const M_ACTIVE = sql`m.active`;

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A method as the API's JSON, with its rates, built by Postgres (one statement per read). */
const methodJson = sql`json_build_object('id', m.id, 'sellerId', m.seller_id, 'kind', m.kind, 'names', m.names, 'currency', m.currency,
  'minDays', m.min_days, 'maxDays', m.max_days, 'active', m.active,
  'rates', coalesce((select json_agg(jsonb_build_object('zoneId', r.zone_id) || r.rule order by r.zone_id) from ${shippingRates} r where r.method_id = m.id), '[]'::json),
  'createdAt', ${iso(sql`m.created_at`)}, 'updatedAt', ${iso(sql`m.updated_at`)})`;

/** The method with `name` in `locale` (else the default locale's); reads pass the reader's, writes the default. */
const named = (method: Omit<Method, 'name'>, locale: Locale, fallback: Locale): Method => ({ ...method, name: nameIn(method.names, locale, fallback) });

const ruleOf = (rate: RateInput): RateRule =>
  rate.type === 'flat'
    ? { type: 'flat', amount: rate.amount, freeAbove: rate.freeAbove ?? null }
    : { type: 'weight', bands: rate.bands, freeAbove: rate.freeAbove ?? null };

function explain(err: unknown): never {
  if (isForeignKeyViolation(err)) {
    const onZone = constraintName(err)?.includes('zone');
    throw new ValidationFailed([onZone ? { path: 'rates', message: 'names a zone that does not exist' } : { path: 'sellerId', message: 'no such seller' }]);
  }
  throw err;
}

export async function listMethods(
  deps: Deps,
  auth: Principal | undefined,
  query: PageQuery & { sellerId?: string; platform?: 'true' | 'false'; kind?: string },
  locale: Locale = deps.config.DEFAULT_LOCALE,
) {
  const after = decodeCursor(query.cursor, z.object({ id: z.uuid() }));
  const filters = [
    readableBy(auth, M_SELLER, M_ACTIVE),
    ownerFilter(M_SELLER, query),
    query.kind ? sql`m.kind = ${query.kind}` : undefined,
    after ? sql`m.id < ${after.id}` : undefined,
  ].filter((f): f is SQL => f !== undefined);
  const rows = await deps.db.execute<{ id: string; method: Omit<Method, 'name'> }>(sql`
    select m.id, ${methodJson} as method from ${shippingMethods} m
    where ${sql.join(filters, sql` and `)} order by m.id desc limit ${query.limit + 1}`);
  const page = paginate(rows.rows, query.limit, (r) => ({ id: r.id }));
  return { data: page.data.map((r) => named(r.method, locale, deps.config.DEFAULT_LOCALE)), nextCursor: page.nextCursor };
}

async function readMethod(deps: Deps | { db: Deps['db'] }, id: string, visible: SQL): Promise<Omit<Method, 'name'> | undefined> {
  const rows = await deps.db.execute<{ method: Omit<Method, 'name'> }>(sql`select ${methodJson} as method from ${shippingMethods} m where m.id = ${id} and ${visible}`);
  return rows.rows[0]?.method;
}

export async function getMethod(deps: Deps, auth: Principal | undefined, id: string, locale = deps.config.DEFAULT_LOCALE): Promise<Method> {
  const method = await readMethod(deps, id, readableBy(auth, M_SELLER, M_ACTIVE));
  if (!method) throw new NotFound('shipping method', id);
  return named(method, locale, deps.config.DEFAULT_LOCALE);
}

type Tx = Parameters<Parameters<Deps['db']['transaction']>[0]>[0];

async function replaceRates(tx: Tx, methodId: string, rates: RateInput[]): Promise<void> {
  await tx.delete(shippingRates).where(sql`${shippingRates.methodId} = ${methodId}`);
  if (rates.length) await tx.insert(shippingRates).values(rates.map((rate) => ({ id: newId(), methodId, zoneId: rate.zoneId, rule: ruleOf(rate) })));
}

export async function createMethod(deps: Deps, auth: Principal, input: CreateMethodInput): Promise<Method> {
  const sellerId = ownerForCreate(auth, input.sellerId);
  const id = newId();
  const { rates, sellerId: _requested, ...fields } = input;
  return deps.db
    .transaction(async (tx) => {
      await tx.insert(shippingMethods).values({ ...fields, id, sellerId });
      await replaceRates(tx, id, rates);
      const method = await readMethod({ db: tx as unknown as Deps['db'] }, id, sql`true`);
      if (!method) throw new Error('insert returned no row');
      return named(method, deps.config.DEFAULT_LOCALE, deps.config.DEFAULT_LOCALE);
    })
    .catch(explain);
}

/** Only the fields sent change; `rates`, when sent, replace all of the method's rates. */
export async function updateMethod(deps: Deps, auth: Principal, id: string, input: UpdateMethodInput): Promise<Method> {
  const mine = writableBy(auth, shippingMethods.sellerId);
  const { rates, ...fields } = input;
  return deps.db
    .transaction(async (tx) => {
      const [current] = await tx.select().from(shippingMethods).where(sql`${shippingMethods.id} = ${id} and ${mine}`).for('update');
      if (!current) throw new NotFound('shipping method', id);
      const minDays = fields.minDays ?? current.minDays;
      const maxDays = fields.maxDays ?? current.maxDays;
      if (maxDays < minDays) throw new ValidationFailed([{ path: 'maxDays', message: 'must be at least minDays' }]);
      await tx.update(shippingMethods).set({ ...fields, updatedAt: sql`now()` }).where(sql`${shippingMethods.id} = ${id}`);
      if (rates) await replaceRates(tx, id, rates);
      const method = await readMethod({ db: tx as unknown as Deps['db'] }, id, sql`true`);
      if (!method) throw new NotFound('shipping method', id);
      return named(method, deps.config.DEFAULT_LOCALE, deps.config.DEFAULT_LOCALE);
    })
    .catch(explain);
}

/** Orders keep their own copy of the method they chose (seller_orders.shipping_choice), so a method can go. */
export async function deleteMethod(deps: Deps, auth: Principal, id: string): Promise<void> {
  const removed = await deps.db
    .delete(shippingMethods)
    .where(sql`${shippingMethods.id} = ${id} and ${writableBy(auth, shippingMethods.sellerId)}`)
    .returning({ id: shippingMethods.id });
  if (!removed.length) throw new NotFound('shipping method', id);
}
