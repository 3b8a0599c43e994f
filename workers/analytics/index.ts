import { createRouter } from '../../shared/openapi';

export const analytics = createRouter();
