import { accounts } from './table/accounts';
import { catalog } from './table/catalog';
import { commerce } from './table/commerce';
import { ledger } from './table/ledger';
import { platform } from './table/platform';
import { sellerOrdersTable } from './table/seller-orders';
import { shipping } from './table/shipping';
import { returns } from './table/returns';
import type { AccessTable } from './types';
import { cashTable } from './table/cash';
import { promotionsTable } from './table/promotions';
import { wishlistsTable } from './table/wishlists';
import { phoneAuth } from './table/phone-auth';
import { notificationPreferences } from './table/notification-preferences';
import { promotionCart } from './table/promotion-cart';
import { reviewsTable } from './table/reviews';

/**
 * THE authorization matrix: every operation in /openapi.json, keyed
 * `"METHOD /path/{param}"` exactly as the document spells it, with how to call
 * it and what each actor must get. test/worker/authz/matrix.test.ts fails for
 * an operation missing here and for an entry the document no longer has.
 * How to add a route: docs/authorization.md.
 */
const parts: AccessTable[] = [accounts, catalog, commerce, platform, sellerOrdersTable, shipping, returns, ledger];
parts.push(cashTable);
parts.push(promotionsTable);
parts.push(wishlistsTable);
parts.push(phoneAuth);
parts.push(notificationPreferences);
parts.push(promotionCart);
parts.push(reviewsTable);

function merge(tables: AccessTable[]): AccessTable {
  const merged: AccessTable = {};
  for (const table of tables) {
    for (const [key, entry] of Object.entries(table)) {
      if (key in merged) throw new Error(`access table: ${key} has two entries`);
      merged[key] = entry;
    }
  }
  return merged;
}

export const ACCESS_TABLE: AccessTable = merge(parts);
