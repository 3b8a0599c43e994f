import { createRouter } from '../../shared/openapi';

export const notifications = createRouter();
