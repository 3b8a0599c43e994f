import type { Context } from 'hono';
import { routePath } from 'hono/route';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { createLogger, type LogLevel } from '../logger';

/** The matched route template (`/api/v1/orders/:id`), never the raw path: ids would explode cardinality. */
function routeTemplate(c: Context<AppEnv>): string {
  const template = routePath(c, -1);
  return template === '/*' || template === '*' ? 'unmatched' : template;
}

/**
 * One structured log line and one Analytics Engine data point per request,
 * written after the response is ready so neither delays it.
 */
export const observe = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    // Workers freeze timers during I/O-free work; Date-based latency is what the platform offers.
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    const route = routeTemplate(c);
    const status = c.res.status;
    const level = (c.env.LOG_LEVEL as LogLevel | undefined) ?? 'info';
    const logger = c.get('logger') ?? createLogger(level, { requestId: c.get('requestId') });
    const fields = { method: c.req.method, route, path: c.req.path, status, latencyMs };
    if (status >= 500) logger.error('request', fields);
    else logger.info('request', fields);
    try {
      c.env.ANALYTICS?.writeDataPoint({
        indexes: [route.slice(0, 96)],
        blobs: [c.req.method, route, String(status), c.get('requestId')],
        doubles: [latencyMs, status],
      });
    } catch {
      // Analytics is best-effort: a failing data point must never fail the request.
    }
  });
