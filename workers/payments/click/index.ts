import type { Context } from 'hono';
import type { AppEnv } from '../../../shared/context';
import { createRouter } from '../../../shared/openapi';
import { clickAnswer } from './protocol';
import * as routes from './routes';
import { completeClick, prepareClick } from './service';

/**
 * Click's SHOP-API endpoints, mounted at /api/v1/payments/click: Click posts
 * Prepare and Complete here (form-encoded) and reads a JSON answer in its own
 * format, always HTTP 200. A form that does not fit the documented fields is
 * error -8, never a problem document Click could not read.
 */
export const clickPayments = createRouter();

/** A form missing documented fields: -8 "Error in request from click", echoing what can be echoed. */
async function badRequest(c: Context<AppEnv>) {
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const echo = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
  const clickTransId = echo('click_trans_id');
  return c.json(
    clickAnswer('badRequest', {
      ...(clickTransId && /^\d+$/.test(clickTransId) ? { click_trans_id: clickTransId } : {}),
      ...(echo('merchant_trans_id') !== undefined ? { merchant_trans_id: echo('merchant_trans_id') } : {}),
    }),
    200,
  );
}

clickPayments.openapi(
  routes.prepare,
  async (c) => c.json(await prepareClick(c.get('deps'), await c.req.parseBody()), 200),
  (result, c) => (result.success ? undefined : badRequest(c)),
);

clickPayments.openapi(
  routes.complete,
  async (c) => c.json(await completeClick(c.get('deps'), await c.req.parseBody()), 200),
  (result, c) => (result.success ? undefined : badRequest(c)),
);
