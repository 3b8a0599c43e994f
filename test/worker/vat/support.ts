import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import type { Bindings } from '../../../shared/env';
import type { Receipt } from '../../../shared/payments/receipt';
import { createApp } from '../../../workers/app';
import { testEnv } from '../../support/app';
import { ADDRESS } from '../../support/checkout';
import { API, type TestUser } from '../../support/users';

/** Tax-inclusive prices, as a UZS deployment runs; a free-shipping threshold no test reaches, so the order pays the flat rate (split over its sellers). */
export const VAT_ON = { PRICES_INCLUDE_TAX: 'true', TAX_RATE_BPS: '1200', SHIPPING_FLAT_RATE: '500', FREE_SHIPPING_THRESHOLD: '1000000000' };
/** Today's model (tax on top), with the same shipping. */
export const VAT_OFF = { PRICES_INCLUDE_TAX: 'false', TAX_RATE_BPS: '1200', SHIPPING_FLAT_RATE: '500', FREE_SHIPPING_THRESHOLD: '1000000000' };

/** The real app with the deployment settings a test chooses (the flags of docs/vat-and-receipts.md). */
export async function callWith(env: Record<string, string>, method: string, path: string, user: TestUser | undefined, body?: unknown) {
  const headers: Record<string, string> = { 'idempotency-key': crypto.randomUUID() };
  if (user) headers.authorization = `Bearer ${user.accessToken}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const ctx = createExecutionContext();
  const res = await createApp().fetch(
    new Request(`${API}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
    { ...testEnv, ...env } as unknown as Bindings,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

export async function jsonOf<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

export interface Figures {
  subtotal: number;
  tax: number;
  shipping: number;
  total: number;
}

export interface PlacedOrder {
  order: Figures & { id: string };
}

/** Fills the buyer's cart and places the order under `env`; answers the cart as priced just before and the placed order. */
export async function buyWith(env: Record<string, string>, buyer: TestUser, lines: Array<[string, number]>) {
  for (const [sku, quantity] of lines) await jsonOf(await callWith(env, 'POST', '/cart/items', buyer, { sku, quantity }), 201);
  const cart = await jsonOf<Figures>(await callWith(env, 'GET', '/cart', buyer), 200);
  const placed = await jsonOf<PlacedOrder>(await callWith(env, 'POST', '/orders', buyer, { shippingAddress: ADDRESS }), 201);
  return { cart, placed };
}

export const receiptAs = (user: TestUser, orderId: string) => callWith({}, 'GET', `/orders/${orderId}/receipt`, user);

export const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The receipt's invariants: its lines add up to its total and VAT. */
export function expectAddsUp(receipt: Receipt): void {
  const goods = sum(receipt.lines.map((l) => l.total));
  const vat = sum(receipt.lines.map((l) => l.vat));
  expect(receipt.vat).toBe(vat);
  expect(receipt.total).toBe(receipt.pricesIncludeTax ? goods : goods + vat);
  for (const line of receipt.lines) expect(line.total).toBe(line.unitPrice * line.quantity - line.discount);
}
