import { AppError } from '../../shared/errors';
import { createRouter } from '../../shared/openapi';
import { health, ready } from './routes';
import { checkReadiness } from './service';

export const system = createRouter();

system.openapi(health, (c) => c.json({ status: 'ok' as const, service: 'ultramarket', time: new Date().toISOString() }, 200));

system.openapi(ready, async (c) => {
  const readiness = await checkReadiness(c.get('deps'));
  if (readiness.status !== 'ready') {
    const down = Object.entries(readiness.checks)
      .filter(([, check]) => check.status === 'down')
      .map(([name]) => name);
    throw new AppError('DEPENDENCY_UNAVAILABLE', `Not ready: ${down.join(', ')} down.`, {
      extensions: { dependency: down.join(','), checks: readiness.checks },
      headers: { 'Retry-After': '5' },
    });
  }
  return c.json(readiness, 200);
});
