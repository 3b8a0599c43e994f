import { createRouter } from '../../shared/openapi';

/** Development-only routes: answer 404 unless DEV_ROUTES is on. */
export const dev = createRouter();
