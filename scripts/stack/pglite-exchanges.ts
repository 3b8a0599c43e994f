import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** The parts of pglite-socket's (unexported) per-server query queue this patch replaces. */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(err: unknown): void;
  onData(data: Uint8Array): void;
}
interface QueryQueue {
  db: PGlite;
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** Extended-protocol messages: Parse, Bind, Describe, Execute, Close, Flush. Sync ('S') or a simple Query ends an exchange. */
const EXTENDED = new Set([...'PBDECH'].map((c) => c.charCodeAt(0)));

/**
 * pglite-socket (0.2.17) serves every connection from one PGlite session and
 * runs their protocol messages one at a time. Inside a transaction it keeps to
 * one connection, but outside one it interleaves the messages of extended-
 * protocol exchanges (Parse, Bind, Execute … Sync) from different connections,
 * so one client's Bind can land on another client's unnamed statement:
 * "unnamed prepared statement does not exist", or a query that silently runs
 * the wrong statement under concurrency. This keeps each connection's exchange
 * together until its Sync, and no longer stalls the queue after a failed
 * message. Local tooling only: production talks to Neon or PostgreSQL.
 */
export function keepExchangesTogether(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let exchangeOwner: number | null = null;
  const clear = q.clearQueueForHandler.bind(q);

  q.clearQueueForHandler = (handlerId) => {
    clear(handlerId);
    if (exchangeOwner === handlerId) exchangeOwner = null;
    void q.processQueue();
  };

  q.processQueue = async () => {
    if (q.processing || q.queue.length === 0) return;
    q.processing = true;
    try {
      while (q.queue.length > 0) {
        const owner = q.db.isInTransaction() && q.lastHandlerId !== null ? q.lastHandlerId : exchangeOwner;
        const index = owner === null ? 0 : q.queue.findIndex((m) => m.handlerId === owner);
        // The owner's next message has not arrived yet; its enqueue will resume the queue.
        if (index === -1) break;
        const [item] = q.queue.splice(index, 1);
        if (!item) break;
        let bytes = 0;
        try {
          await q.db.runExclusive(() =>
            q.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (err) {
          exchangeOwner = null;
          item.reject(err);
          continue;
        }
        q.lastHandlerId = item.handlerId;
        exchangeOwner = EXTENDED.has(item.message[0] ?? 0) ? item.handlerId : null;
        item.resolve(bytes);
      }
    } finally {
      q.processing = false;
    }
  };
}
