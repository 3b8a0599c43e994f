import { principalOf } from '../../shared/auth/middleware';
import { createRouter } from '../../shared/openapi';
import { getBalance, listEntries } from './balance';
import { createPayout, listPayouts } from './payouts';
import { reconcile } from './reconcile';
import * as routes from './routes';
import { getSellerCommission, getSellerVat, setSellerCommission, setSellerVat } from './settings';
import { sellerSummary } from './summary';

export const ledger = createRouter();

ledger.openapi(routes.getBalance, async (c) => c.json(await getBalance(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
ledger.openapi(routes.listEntries, async (c) => c.json(await listEntries(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
ledger.openapi(routes.createPayout, async (c) =>
  c.json(await createPayout(c.get('deps'), principalOf(c), c.req.valid('json'), c.req.valid('header')['idempotency-key']), 201),
);
ledger.openapi(routes.listPayouts, async (c) => c.json(await listPayouts(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
ledger.openapi(routes.reconcile, async (c) => c.json(await reconcile(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
ledger.openapi(routes.sellerSummary, async (c) =>
  c.json(await sellerSummary(c.get('deps'), principalOf(c), c.req.valid('param').sellerId, c.req.valid('query')), 200),
);
ledger.openapi(routes.getSellerCommission, async (c) =>
  c.json(await getSellerCommission(c.get('deps'), principalOf(c), c.req.valid('param').sellerId), 200),
);
ledger.openapi(routes.setSellerCommission, async (c) =>
  c.json(await setSellerCommission(c.get('deps'), principalOf(c), c.req.valid('param').sellerId, c.req.valid('json').commissionBps), 200),
);
ledger.openapi(routes.getSellerVat, async (c) => c.json(await getSellerVat(c.get('deps'), principalOf(c), c.req.valid('param').sellerId), 200));
ledger.openapi(routes.setSellerVat, async (c) =>
  c.json(await setSellerVat(c.get('deps'), principalOf(c), c.req.valid('param').sellerId, c.req.valid('json').vatPayer), 200),
);
