import { commonProblems } from '../../shared/openapi';
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

export const ready = defineRoute({
  method: 'get',
  path: '/health/ready',
  auth: 'none',
  tags: ['System'],
  summary: 'Readiness',
  description:
    'Checks Postgres, Redis, Durable Objects and R2, each with its latency. 503 (a problem with the same `checks`) when any is down.',
  responses: {
    200: { description: 'Every dependency is up', content: { 'application/json': { schema: ReadinessResponse } } },
    ...commonProblems,
  },
});
