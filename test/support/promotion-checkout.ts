import { eq, sql } from 'drizzle-orm';
import { type PromotionParams, promotionCodes, promotionRedemptions, promotions, promotionUsage } from '../../shared/db/schema';
import { api, type TestUser, withDb } from './users';

/** Promotions for the cart and checkout tests, written straight to the tables (the rules' own CRUD has its tests). */
export interface PromotionSetup {
  params: PromotionParams;
  code?: string;
  codeLimit?: number | null;
  sellerId?: string | null;
  usageLimit?: number | null;
  perCustomerLimit?: number | null;
  minSubtotal?: number | null;
  productIds?: string[];
  endsAt?: Date | null;
}

export async function createPromotion(setup: PromotionSetup): Promise<{ id: string; codeId: string | null; code: string | null }> {
  const id = crypto.randomUUID();
  const codeId = setup.code ? crypto.randomUUID() : null;
  await withDb(async (db) => {
    await db.insert(promotions).values({
      id,
      name: `${setup.params.kind} ${setup.code ?? 'automatic'}`,
      kind: setup.params.kind,
      activation: setup.code ? 'code' : 'automatic',
      sellerId: setup.sellerId ?? null,
      params: setup.params,
      targets: { productIds: setup.productIds ?? [], categoryIds: [], sellerIds: [], customerIds: [] },
      minSubtotal: setup.minSubtotal ?? null,
      startsAt: new Date(Date.now() - 3_600_000),
      endsAt: setup.endsAt ?? null,
      usageLimit: setup.usageLimit ?? null,
      perCustomerLimit: setup.perCustomerLimit ?? null,
    });
    if (setup.code && codeId) await db.insert(promotionCodes).values({ id: codeId, promotionId: id, code: setup.code, usageLimit: setup.codeLimit ?? null });
  });
  return { id, codeId, code: setup.code ?? null };
}

/** A code unique to this run (codes are unique across promotions). */
export const uniqueCode = (label: string) => `${label}${crypto.randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`;

export function enterCode(user: TestUser | null, code: string, cartId?: string) {
  return api('POST', '/cart/discounts', { token: user?.accessToken, body: { code }, headers: cartId ? { 'x-cart-id': cartId } : {} });
}

export async function usageOf(scope: string): Promise<number> {
  const [row] = await withDb((db) => db.select({ used: promotionUsage.used }).from(promotionUsage).where(eq(promotionUsage.scope, scope)));
  return row?.used ?? 0;
}

export function redemptionsOf(promotionId: string) {
  return withDb((db) =>
    db
      .select({ orderId: promotionRedemptions.orderId, discount: promotionRedemptions.discount, releasedAt: promotionRedemptions.releasedAt })
      .from(promotionRedemptions)
      .where(eq(promotionRedemptions.promotionId, promotionId))
      .orderBy(sql`${promotionRedemptions.createdAt}`),
  );
}
