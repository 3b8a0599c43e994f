import type { Context } from 'hono';
import { routePath } from 'hono/route';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { requestPoint, writePoint } from '../analytics';
import { createLogger, type LogLevel } from '../logger';

/** The matched route template (`/api/v1/orders/:id`), never the raw path: ids would explode cardinality. */
function routeTemplate(c: Context<AppEnv>): string {
  const template = routePath(c, -1);
  return template === '/*' || template === '*' ? 'unmatched' : template;
}

/** Client country and Cloudflare colo from `request.cf`; '' where there is none (local runs, tests). */
function whereFrom(c: Context<AppEnv>): { country: string; colo: string } {
  const cf = c.req.raw.cf as { country?: unknown; colo?: unknown } | undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return { country: text(cf?.country), colo: text(cf?.colo) };
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
    // Best-effort: writePoint swallows a failing binding so the request never fails for analytics.
    writePoint(
      c.env.ANALYTICS,
      requestPoint({ method: c.req.method, route, status, latencyMs, requestId: c.get('requestId'), ...whereFrom(c) }),
    );
  });
