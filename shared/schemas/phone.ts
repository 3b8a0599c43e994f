import { z } from '@hono/zod-openapi';

export const PhoneSchema = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +998901234567')
  .openapi({ description: 'E.164 phone number', example: '+998901234567' });
