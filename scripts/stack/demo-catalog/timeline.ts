/** The demo catalog's timeline ends here (fixed, so that ids are reproducible); products span the year before. */
export const CATALOG_EPOCH_END = Date.UTC(2026, 10, 1);
export const YEAR_MS = 365 * 24 * 3600 * 1000;
export const CATALOG_EPOCH_START = CATALOG_EPOCH_END - YEAR_MS;
