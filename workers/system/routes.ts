import { createRoute } from '@hono/zod-openapi';
import { commonProblems } from '../../shared/openapi';
import { HealthResponse, ReadinessResponse } from './schemas';

export const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['System'],
  summary: 'Liveness',
  description: 'Answers while the Worker runs. Touches no dependency.',
  responses: {
    200: { description: 'Alive', content: { 'application/json': { schema: HealthResponse } } },
    ...commonProblems,
  },
});

export const ready = createRoute({
  method: 'get',
  path: '/health/ready',
  tags: ['System'],
  summary: 'Readiness',
  description:
    'Checks Postgres, Redis, Durable Objects and R2, each with its latency. 503 (a problem with the same `checks`) when any is down.',
  responses: {
    200: { description: 'Every dependency is up', content: { 'application/json': { schema: ReadinessResponse } } },
    ...commonProblems,
  },
});
