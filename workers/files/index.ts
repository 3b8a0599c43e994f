import { createRouter } from '../../shared/openapi';

export const files = createRouter();
