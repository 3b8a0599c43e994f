import { loadConfig } from '../../shared/env';
import { createLogger } from '../../shared/logger';
import { Deps } from '../../shared/context';
import type { QueueEvent } from '../queue';
import { loadSearchDocuments } from './documents';
import { searchEngineFor } from './service';

/**
 * Queue consumer for `catalog.product_changed`: brings the search index in
 * line with the product as it is now (upsert when live and published, remove
 * otherwise). Reading the current state makes redelivery and reordering
 * harmless. Nothing to do when Postgres is the engine.
 */
export async function syncProductToIndex(event: QueueEvent, env: Deps['env']): Promise<void> {
  const config = loadConfig(env);
  if (!config.TYPESENSE_URL || !config.TYPESENSE_API_KEY) return;
  const productId = String(event.payload.productId ?? '');
  if (!productId) return;
  const deps = new Deps(config, env, createLogger(config.LOG_LEVEL, { event: event.id }));
  try {
    const engine = searchEngineFor(deps);
    const [doc] = await loadSearchDocuments(deps.db, [productId]);
    if (doc) await engine.upsert([doc]);
    else await engine.remove([productId]);
  } finally {
    await deps.dispose();
  }
}

