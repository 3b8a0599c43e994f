import { z } from '@hono/zod-openapi';

export const HealthResponse = z
  .object({
    status: z.literal('ok').openapi({ description: 'Always ok while the Worker answers', example: 'ok' }),
    service: z.string().openapi({ description: 'Service name', example: 'ultramarket' }),
    time: z.iso.datetime().openapi({ description: 'Server time (UTC)', example: '2026-11-28T10:00:00.000Z' }),
  })
  .openapi('Health');

export const DependencyCheck = z
  .object({
    status: z.enum(['up', 'down']).openapi({ description: 'Whether the dependency answered', example: 'up' }),
    latencyMs: z.number().openapi({ description: 'Time the check took', example: 3.2 }),
    error: z.string().optional().openapi({ description: 'Why it is down (never secrets)', example: 'timed out' }),
  })
  .openapi('DependencyCheck');

export const ReadinessResponse = z
  .object({
    status: z.enum(['ready', 'unavailable']).openapi({ description: 'ready when every check is up', example: 'ready' }),
    checks: z.record(z.string(), DependencyCheck).optional().openapi({
      description: 'One entry per dependency: postgres, redis, durableObjects, r2. Only with the readiness token or an admin token.',
      example: { postgres: { status: 'up', latencyMs: 4.1 }, redis: { status: 'up', latencyMs: 1.3 } },
    }),
  })
  .openapi('Readiness');

export type ReadinessResponse = z.infer<typeof ReadinessResponse>;
export type DependencyCheck = z.infer<typeof DependencyCheck>;
/** What the checks found, before the route decides how much of it the caller sees. */
export interface ReadinessReport {
  status: ReadinessResponse['status'];
  checks: Record<string, DependencyCheck>;
}
