import { loadConfig } from '../../shared/env';
import { runWithDeps, type Deps } from '../../shared/context';
import { parseDomainEvent } from '../../shared/events';
import type { QueueEvent } from '../../shared/queue';
import { loadSearchDocuments } from './documents';
import { searchEngineFor } from './service';

/**
 * Queue consumer for `catalog.product_changed`: brings the search index in
 * line with the product as it is now (upsert when live and published, remove
 * otherwise). Reading the current state makes redelivery and reordering
 * harmless. Nothing to do when Postgres is the engine.
 */
export async function syncProductToIndex(message: QueueEvent, env: Deps['env']): Promise<void> {
  const config = loadConfig(env);
  if (!config.TYPESENSE_URL || !config.TYPESENSE_API_KEY) return;
  const parsed = parseDomainEvent(message);
  if (!('event' in parsed) || parsed.event.type !== 'catalog.product_changed') return;
  const { productId } = parsed.event.payload;
  await runWithDeps(env, { event: message.id }, async (deps) => {
    const engine = searchEngineFor(deps);
    const [doc] = await loadSearchDocuments(deps.db, [productId]);
    if (doc) await engine.upsert([doc]);
    else await engine.remove([productId]);
  });
}
