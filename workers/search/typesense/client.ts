/**
 * Talking to a Typesense server: the client (on fetch) and collection creation.
 */
import { Client, Errors } from 'typesense';
import { productCollectionSchema } from './documents';
import { toSearchError } from './errors';

export interface TypesenseOptions {
  url: string;
  apiKey: string;
  collection: string;
}

/** A client for one Typesense endpoint, on fetch (Workers have no Node http). */
export function createTypesenseClient(options: Pick<TypesenseOptions, 'url' | 'apiKey'>, tuning: { timeoutSeconds?: number; numRetries?: number } = {}): Client {
  return new Client({
    nodes: [{ url: options.url.replace(/\/+$/, '') }],
    apiKey: options.apiKey,
    axiosAdapter: 'fetch',
    connectionTimeoutSeconds: tuning.timeoutSeconds ?? 5,
    numRetries: tuning.numRetries ?? 1,
    retryIntervalSeconds: 0.1,
    logLevel: 'silent',
  });
}

/** Creates the collection with the product schema unless it (or an alias of that name) exists. */
export async function ensureCollection(client: Client, name: string): Promise<'created' | 'exists'> {
  try {
    await client.collections(name).retrieve();
    return 'exists';
  } catch (err) {
    if (!(err instanceof Errors.ObjectNotFound)) throw toSearchError(err);
  }
  try {
    await client.collections().create(productCollectionSchema(name));
    return 'created';
  } catch (err) {
    if (err instanceof Errors.ObjectAlreadyExists) return 'exists';
    throw toSearchError(err);
  }
}
