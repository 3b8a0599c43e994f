import type { Deps } from './context';
import { redisKey } from './redis';

/**
 * The categories a signed-in user recently looked at, most recent first: products records a
 * view, recommendations reads them. A small Redis list, rebuilt by browsing, so it lives here
 * rather than in either domain (products must not depend on recommendations).
 */

/** How many recently viewed categories are kept (and a user's recommendations draw on). */
export const VIEWED_CATEGORIES = 10;

const viewsKey = (deps: Deps, userId: string) => redisKey(deps.config, 'views', userId);

/** Remembers the category of a product a signed-in user looked at (best effort, after the response). */
export function recordProductView(deps: Deps, userId: string, categoryId: string): void {
  deps.defer(async () => {
    const key = viewsKey(deps, userId);
    const pipeline = deps.redis.pipeline();
    pipeline.lrem(key, 0, categoryId);
    pipeline.lpush(key, categoryId);
    pipeline.ltrim(key, 0, VIEWED_CATEGORIES - 1);
    pipeline.expire(key, 30 * 24 * 3600);
    await pipeline.exec();
  });
}

/** The user's recently viewed categories; none when Redis is unavailable. */
export function viewedCategories(deps: Deps, userId: string): Promise<string[]> {
  return deps.redis.lrange<string>(viewsKey(deps, userId), 0, VIEWED_CATEGORIES - 1).catch(() => []);
}
