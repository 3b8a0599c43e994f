import { z } from '@hono/zod-openapi';
import { commonProblems, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { HealthResponse, ReadinessResponse } from './schemas';

export const health = defineRoute({
  method: 'get',
  path: '/health',
  auth: 'none',
  tags: ['System'],
  summary: 'Liveness',
  description: 'Answers while the Worker runs. Touches no dependency.',
  responses: {
    200: { description: 'Alive', content: { 'application/json': { schema: HealthResponse } } },
    ...commonProblems,
  },
});

/** Monitoring sends the configured READINESS_TOKEN in this header to read the per-dependency details. */
export const READINESS_TOKEN_HEADER = 'X-Readiness-Token';

export const ready = defineRoute({
  method: 'get',
  path: '/health/ready',
  auth: 'none',
  tags: ['System'],
  summary: 'Readiness',
  description:
    'Checks Postgres, Redis, Durable Objects and R2. Anyone gets the overall `status` (200 ready, 503 not). ' +
    `The per-dependency \`checks\` (latency, error text) are answered only to a caller with the \`${READINESS_TOKEN_HEADER}\` ` +
    'header matching the READINESS_TOKEN secret, or an admin bearer token; the 503 problem then carries them too. ' +
    'Rate-limited per client IP (READINESS_RATE_LIMIT_REQUESTS a minute).',
  request: {
    headers: z.object({
      [READINESS_TOKEN_HEADER.toLowerCase()]: z
        .string()
        .optional()
        .openapi({ description: 'The READINESS_TOKEN secret, for the per-dependency details', example: 'c0ffee…' }),
    }),
  },
  responses: {
    200: { description: 'Every dependency is up', content: { 'application/json': { schema: ReadinessResponse } } },
    ...problems(429),
    ...commonProblems,
  },
});
