import { SELF } from 'cloudflare:test';
import { expect } from 'vitest';
import { loadConfig } from '../../../shared/env';
import { testEnv } from '../../support/app';
import { createCategory, createProduct, productInput } from '../../support/catalog';
import { ADDRESS, addToCart, setStock } from '../../support/checkout';
import { API, api, createUser, type TestUser } from '../../support/users';

/** The run's Click settings: the stack's Click sandbox (scripts/stack/click-sandbox.ts). */
export const clickConfig = () => {
  const config = loadConfig(testEnv);
  return {
    serviceId: config.CLICK_SERVICE_ID ?? '',
    merchantId: config.CLICK_MERCHANT_ID ?? '',
    merchantUserId: config.CLICK_MERCHANT_USER_ID ?? '',
    secretKey: config.CLICK_SECRET_KEY ?? '',
    checkoutBase: config.CLICK_CHECKOUT_BASE,
    apiBase: config.CLICK_API_BASE,
  };
};

export interface UzShop {
  admin: TestUser;
  seller: TestUser;
  skus: string[];
}

/** A seller with products priced in UZS (tiyin), one SKU each, `stock` units of each. */
export async function openUzShop(prices: number[], stock: number): Promise<UzShop> {
  const admin = await createUser('admin');
  const seller = await createUser('seller');
  const category = await createCategory(admin);
  const skus: string[] = [];
  for (const price of prices) {
    const sku = `CLK-${crypto.randomUUID().slice(0, 12)}`;
    await createProduct(seller, productInput(category.id, { variants: [{ sku, price, currency: 'UZS' }] }));
    skus.push(sku);
    await setStock(seller, sku, stock);
  }
  return { admin, seller, skus };
}

export interface ClickPlaced {
  order: { id: string; status: string; total: number; currency: string };
  payment: { provider: string; paymentIntentId: string; clientSecret: string | null; checkoutUrl: string | null };
}

/** Fills the cart and checks out paying with Click; fails unless 201. */
export async function placeClickOrder(user: TestUser, lines: Array<[sku: string, quantity: number]>): Promise<ClickPlaced> {
  for (const [sku, quantity] of lines) await addToCart(user, sku, quantity);
  const res = await api('POST', '/orders', {
    token: user.accessToken,
    body: { shippingAddress: ADDRESS, payment: { provider: 'click' } },
    headers: { 'idempotency-key': crypto.randomUUID() },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<ClickPlaced>();
}

/** What our endpoints answer Click. */
export interface ClickAnswer {
  click_trans_id?: number | string;
  merchant_trans_id?: string;
  merchant_prepare_id?: number | null;
  merchant_confirm_id?: number | null;
  error: number;
  error_note: string;
}

const md5 = async (text: string) =>
  [...new Uint8Array(await crypto.subtle.digest('MD5', new TextEncoder().encode(text)))].map((b) => b.toString(16).padStart(2, '0')).join('');

let next = 7_000_000 + Math.floor(Math.random() * 1_000_000);
/** A fresh Click transaction: its click_trans_id and click_paydoc_id (Click's payment id). */
export function clickAttempt() {
  next += 2;
  return { clickTransId: String(next), paydocId: String(next + 1) };
}

export interface ClickCall {
  orderId: string;
  /** Sum as Click writes it. */
  amount: string;
  clickTransId: string;
  paydocId: string;
  /** Complete only. */
  prepareId?: number | string;
  /** Click's status: 0, or negative when the charge failed. */
  error?: number;
  action?: string;
  serviceId?: string;
  secret?: string;
  /** Replace the computed signature. */
  sign?: string;
  signTime?: string;
}

/** The form Click posts, signed as https://docs.click.uz/en/click-api-request/ defines it. */
export async function clickForm(stage: 'prepare' | 'complete', call: ClickCall): Promise<Record<string, string>> {
  const serviceId = call.serviceId ?? clickConfig().serviceId;
  const secret = call.secret ?? clickConfig().secretKey;
  const action = call.action ?? (stage === 'prepare' ? '0' : '1');
  const signTime = call.signTime ?? '2026-12-03 15:00:00';
  const prepareId = stage === 'complete' ? String(call.prepareId ?? '') : '';
  const sign = await md5(call.clickTransId + serviceId + secret + call.orderId + prepareId + call.amount + action + signTime);
  return {
    click_trans_id: call.clickTransId,
    service_id: serviceId,
    click_paydoc_id: call.paydocId,
    merchant_trans_id: call.orderId,
    ...(stage === 'complete' ? { merchant_prepare_id: prepareId } : {}),
    amount: call.amount,
    action,
    error: String(call.error ?? 0),
    error_note: (call.error ?? 0) < 0 ? 'Insufficient funds' : 'Success',
    sign_time: signTime,
    sign_string: call.sign ?? sign,
  };
}

/** Posts a raw form to one of our Click endpoints; the answer must be HTTP 200 JSON. */
export async function postClickForm(stage: 'prepare' | 'complete', form: Record<string, string> | string, contentType = 'application/x-www-form-urlencoded') {
  const res = await SELF.fetch(`${API}/payments/click/${stage}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('application/json')) {
    throw new Error(`Click ${stage}: expected 200 JSON, got ${res.status} ${res.headers.get('content-type')}: ${text}`);
  }
  return JSON.parse(text) as ClickAnswer;
}

export async function prepare(call: ClickCall): Promise<ClickAnswer> {
  return postClickForm('prepare', await clickForm('prepare', call));
}

export async function complete(call: ClickCall): Promise<ClickAnswer> {
  return postClickForm('complete', await clickForm('complete', call));
}

/** tiyin → the sum Click writes ("150000.00"). */
export const sum = (tiyin: number) => `${Math.floor(tiyin / 100)}.${String(tiyin % 100).padStart(2, '0')}`;
