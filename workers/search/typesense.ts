/**
 * Typesense implementation of the search engine, on the official `typesense`
 * client. The client speaks HTTP through axios; inside Workers axios must use
 * its `fetch` adapter (the default one needs Node's http module), which the
 * client exposes as `axiosAdapter: 'fetch'`.
 *
 * This file is the engine; its parts live in `typesense/`: the collection
 * schema and document mapping, query → request plan, response → result (pure
 * functions, tested without a server), errors, and the client. They are
 * re-exported here, the one module the rest of the code imports.
 */
import { Errors, type Client } from 'typesense';
import type { ImportResponseFail } from 'typesense/lib/Typesense/Documents';
import type { MultiSearchRequestSchema } from 'typesense/lib/Typesense/Types';
import type { SearchDocument, SearchEngine, SearchQuery, SearchResult } from './engine';
import { createTypesenseClient, ensureCollection, type TypesenseOptions } from './typesense/client';
import { toTypesenseDocument, type TypesenseProductDocument } from './typesense/documents';
import { toSearchError, TypesenseImportRejected } from './typesense/errors';
import { buildSearchPlan } from './typesense/query';
import { mapSearchResults, type TypesenseResponse } from './typesense/results';

export * from './typesense/client';
export * from './typesense/documents';
export * from './typesense/errors';
export * from './typesense/query';
export * from './typesense/results';

export class TypesenseSearch implements SearchEngine {
  readonly name = 'typesense' as const;
  private readonly client: Client;

  constructor(
    private readonly options: TypesenseOptions,
    client?: Client,
  ) {
    this.client = client ?? createTypesenseClient(options);
  }

  /** Creates the configured collection if missing (the reindex script normally does this). */
  ensureCollection(): Promise<'created' | 'exists'> {
    return ensureCollection(this.client, this.options.collection);
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const plan = buildSearchPlan(query, this.options.collection);
    try {
      const searches = plan.searches as MultiSearchRequestSchema<TypesenseProductDocument, string>[];
      const response = await this.client.multiSearch.perform({ searches });
      return mapSearchResults(plan, response.results as unknown as TypesenseResponse[]);
    } catch (err) {
      throw toSearchError(err);
    }
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    if (!documents.length) return;
    const docs = documents.map(toTypesenseDocument);
    try {
      await this.client.collections<TypesenseProductDocument>(this.options.collection).documents().import(docs, { action: 'upsert' });
    } catch (err) {
      if (err instanceof Errors.ImportError) {
        const failures = err.importResults
          .filter((r): r is ImportResponseFail => !r.success)
          .map((r) => ({ id: r.id ?? (r.document as { id?: string } | undefined)?.id, code: r.code, error: r.error }));
        throw new TypesenseImportRejected(failures, docs.length);
      }
      throw toSearchError(err);
    }
  }

  async remove(productIds: string[]): Promise<void> {
    const documents = this.client.collections(this.options.collection);
    await Promise.all(
      productIds.map(async (id) => {
        try {
          await documents.documents(id).delete({ ignore_not_found: true });
        } catch (err) {
          // Already gone (or never indexed): nothing to remove.
          if (err instanceof Errors.ObjectNotFound) return;
          throw toSearchError(err);
        }
      }),
    );
  }
}
