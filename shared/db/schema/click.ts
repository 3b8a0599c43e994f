import { pgSequence } from 'drizzle-orm/pg-core';

/**
 * Click's SHOP-API wants our id of a prepared transaction as an integer
 * (`merchant_prepare_id`, https://docs.click.uz/en/click-api-request/): each
 * Click transaction draws one from here and keeps it in its details.
 */
export const clickPrepareIds = pgSequence('click_prepare_id_seq', { startWith: 1000, increment: 1 });
