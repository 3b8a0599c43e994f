import { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { promotionCodes, promotions, type PromotionCode as PromotionCodeRow } from '../../shared/db/schema';
import { Conflict, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, paginate, type PageQuery } from '../../shared/pagination';
import type { AddCodesInput, GenerateCodesInput, PromotionCode } from './schemas';
import { manageableBy } from './service';

/**
 * A code promotion's codes: added by hand or generated in bulk (a campaign's
 * single-use codes). A code is unique across all promotions; a request whose
 * code is taken adds none of its codes (409 naming them).
 */

type Tx = Parameters<Parameters<Deps['db']['transaction']>[0]>[0];

/** No 0/O/1/I: codes are read aloud and typed from paper. 32 symbols, so a random byte & 31 is unbiased. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GENERATION_ROUNDS = 5;

export function randomCode(prefix: string, length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return prefix + Array.from(bytes, (b) => ALPHABET[b & 31]).join('');
}

const toJson = (row: PromotionCodeRow): PromotionCode => ({ ...row, createdAt: row.createdAt.toISOString() });

/** The caller's promotion, locked, that may take codes: 404 if not the caller's, 409 if automatic or archived. */
async function codePromotion(tx: Tx, auth: Principal, id: string): Promise<void> {
  const [promotion] = await tx
    .select({ activation: promotions.activation, status: promotions.status })
    .from(promotions)
    .where(sql`${promotions.id} = ${id} and ${manageableBy(auth)}`)
    .for('update');
  if (!promotion) throw new NotFound('promotion', id);
  if (promotion.activation !== 'code') throw new Conflict('An automatic promotion has no codes; create a code promotion.', { promotionId: id });
  if (promotion.status === 'archived') throw new Conflict('The promotion is archived.', { promotionId: id });
}

export async function addCodes(deps: Deps, auth: Principal, promotionId: string, input: AddCodesInput): Promise<{ data: PromotionCode[] }> {
  return deps.db.transaction(async (tx) => {
    await codePromotion(tx, auth, promotionId);
    const rows = await tx
      .insert(promotionCodes)
      .values(input.codes.map((c) => ({ id: newId(), promotionId, code: c.code, usageLimit: c.usageLimit })))
      .onConflictDoNothing()
      .returning();
    if (rows.length < input.codes.length) {
      const added = new Set(rows.map((r) => r.code));
      const taken = input.codes.map((c) => c.code).filter((code) => !added.has(code));
      throw new Conflict(`Code${taken.length > 1 ? 's' : ''} already taken: ${taken.join(', ')}.`, { taken });
    }
    return { data: rows.map(toJson) };
  });
}

/**
 * `count` new unique codes `prefix` + `length` random symbols. A collision with
 * an existing code is simply drawn again (a few rounds; with 32^6 and more
 * combinations they are rare), all in one transaction.
 */
export async function generateCodes(deps: Deps, auth: Principal, promotionId: string, input: GenerateCodesInput) {
  const batchId = newId();
  const prefix = input.prefix ?? '';
  return deps.db.transaction(async (tx) => {
    await codePromotion(tx, auth, promotionId);
    const made: string[] = [];
    for (let round = 0; round < GENERATION_ROUNDS && made.length < input.count; round++) {
      const fresh = new Set<string>();
      while (fresh.size < input.count - made.length) fresh.add(randomCode(prefix, input.length));
      const rows = await tx
        .insert(promotionCodes)
        .values([...fresh].map((code) => ({ id: newId(), promotionId, code, usageLimit: input.usageLimit, batchId })))
        .onConflictDoNothing()
        .returning({ code: promotionCodes.code });
      made.push(...rows.map((r) => r.code));
    }
    if (made.length < input.count) {
      // Only when the prefix's space is nearly used up: say so rather than make fewer than asked.
      throw new Conflict('Could not find enough unused codes with this prefix and length; use a longer length or another prefix.', { made: made.length });
    }
    return { batchId, count: made.length, codes: made };
  });
}

export async function listCodes(deps: Deps, auth: Principal, promotionId: string, query: PageQuery) {
  const after = decodeCursor(query.cursor, z.object({ id: z.uuid() }));
  // One statement: the promotion's visibility and the page (an empty page of a visible promotion is not a 404).
  const rows = await deps.db.execute<{ visible: boolean; codes: PromotionCodeRow[] | null }>(sql`
    select exists (select 1 from ${promotions} where ${promotions.id} = ${promotionId} and ${manageableBy(auth)}) as visible,
      (select json_agg(json_build_object('id', c.id, 'promotionId', c.promotion_id, 'code', c.code, 'usageLimit', c.usage_limit,
          'batchId', c.batch_id, 'createdAt', c.created_at) order by c.id desc)
        from (select * from ${promotionCodes} where promotion_id = ${promotionId} ${after ? sql`and id < ${after.id}` : sql``}
          order by id desc limit ${query.limit + 1}) c) as codes`);
  const row = rows.rows[0] ?? { visible: false, codes: null };
  if (!row.visible) throw new NotFound('promotion', promotionId);
  const codes = (row.codes ?? []).map((c) => ({ ...c, createdAt: new Date(c.createdAt) }));
  const page = paginate(codes, query.limit, (c) => ({ id: c.id }));
  return { data: page.data.map(toJson), nextCursor: page.nextCursor };
}
