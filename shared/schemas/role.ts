import { z } from '@hono/zod-openapi';

/** A user's role on the wire (profiles, admin user management). */
export const RoleSchema = z.enum(['customer', 'seller', 'admin']).openapi({ description: 'Role', example: 'customer' });
