import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../shared/db/client';
import { webhookDeliveries, webhookEndpoints } from '../../shared/db/schema';
import { eventCreatedAt, SIGNATURE_HEADER, signatureHeader, type WebhookEvent } from './signing';

/** A receiver gets this long to answer; then the attempt counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * How long a claimed attempt keeps others off the delivery. Longer than the
 * timeout, so the cron safety net only re-sends attempts whose worker died.
 */
const CLAIM_LEASE = sql`now() + interval '2 minutes'`;

export interface ClaimedDelivery {
  id: string;
  eventId: string;
  eventType: string;
  payload: Record<string, unknown>;
  attempts: number;
  createdAt: Date;
  endpointId: string;
  url: string;
  secret: string;
  endpointStatus: 'enabled' | 'disabled';
  endpointDeletedAt: Date | null;
}

/**
 * Takes attempt number `attempt` of a pending delivery: only one message can,
 * since the row must still show `attempt - 1` tries. Null when the delivery is
 * finished or that attempt was already taken (a duplicate message).
 */
export async function claimAttempt(db: Database, deliveryId: string, attempt: number): Promise<ClaimedDelivery | null> {
  const [row] = await db
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, nextAttemptAt: CLAIM_LEASE, updatedAt: sql`now()` })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        eq(webhookDeliveries.status, 'pending'),
        eq(webhookDeliveries.attempts, attempt - 1),
        eq(webhookEndpoints.id, webhookDeliveries.endpointId),
      ),
    )
    .returning({
      id: webhookDeliveries.id,
      eventId: webhookDeliveries.eventId,
      eventType: webhookDeliveries.eventType,
      payload: webhookDeliveries.payload,
      attempts: webhookDeliveries.attempts,
      createdAt: webhookDeliveries.createdAt,
      endpointId: webhookEndpoints.id,
      url: webhookEndpoints.url,
      secret: webhookEndpoints.secret,
      endpointStatus: webhookEndpoints.status,
      endpointDeletedAt: webhookEndpoints.deletedAt,
    });
  return row ?? null;
}

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  ms: number;
  /** No retry could succeed (the destination is refused): the delivery fails now. */
  final?: boolean;
}

/** The body and headers of one attempt: a fresh timestamp each time, so the receiver's tolerance window works on retries. */
export async function buildRequest(delivery: ClaimedDelivery, now = Date.now()): Promise<{ body: string; headers: Record<string, string> }> {
  const event: WebhookEvent = {
    id: delivery.eventId,
    type: delivery.eventType,
    createdAt: eventCreatedAt(delivery.eventId, delivery.createdAt),
    data: delivery.payload,
  };
  const body = JSON.stringify(event);
  const timestamp = Math.floor(now / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'UltraMarket-Webhooks/1.0',
      [SIGNATURE_HEADER]: await signatureHeader(delivery.secret, timestamp, body),
      'UltraMarket-Event-Id': delivery.eventId,
      'UltraMarket-Event-Type': delivery.eventType,
      'UltraMarket-Delivery-Id': delivery.id,
      'UltraMarket-Delivery-Attempt': String(delivery.attempts),
      'UltraMarket-Timestamp': String(timestamp),
    },
  };
}

/** At most this much of a failed response's body is kept (in the delivery log and the logs). */
export const RESPONSE_SNIPPET_CHARS = 120;

/**
 * A short, printable excerpt of a receiver's error body: control characters
 * and runs of whitespace become one space (no forged log lines, no terminal
 * escapes), and only the first RESPONSE_SNIPPET_CHARS characters are kept. A
 * receiver's error page is its own content; we keep enough to debug with.
 */
export function responseSnippet(body: string): string {
  const flat = body
    .slice(0, RESPONSE_SNIPPET_CHARS * 4)
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\s]+/gu, ' ')
    .trim();
  return flat.length > RESPONSE_SNIPPET_CHARS ? `${flat.slice(0, RESPONSE_SNIPPET_CHARS)}…` : flat;
}

/** The first `maxBytes` of a body (a receiver's multi-megabyte error page is never read whole). */
async function readPrefix(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body that breaks off still leaves what arrived.
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes.slice(0, maxBytes));
}

/**
 * POSTs once. Redirects are not followed (the registered URL is the one the
 * admin vouched for); only a 2xx counts as delivered.
 */
export async function postOnce(url: string, request: { body: string; headers: Record<string, string> }): Promise<AttemptOutcome> {
  const started = Date.now();
  try {
    const res = await fetch(url, { method: 'POST', ...request, redirect: 'manual', signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
    const ok = res.status >= 200 && res.status < 300;
    const excerpt = ok ? '' : responseSnippet(await readPrefix(res, RESPONSE_SNIPPET_CHARS * 4));
    await res.body?.cancel().catch(() => undefined);
    return { ok, statusCode: res.status, error: ok ? null : `HTTP ${res.status}${excerpt ? `: ${excerpt}` : ''}`, ms: Date.now() - started };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const error = timedOut ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : `request failed: ${err instanceof Error ? err.message : String(err)}`;
    return { ok: false, statusCode: null, error, ms: Date.now() - started };
  }
}

const outcomeColumns = (o: AttemptOutcome) => ({ lastStatusCode: o.statusCode, lastError: o.error, lastResponseMs: o.ms, updatedAt: sql`now()` });

export async function recordSuccess(db: Database, delivery: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ ...outcomeColumns(outcome), status: 'succeeded', nextAttemptAt: null, deliveredAt: sql`now()` })
    .where(eq(webhookDeliveries.id, delivery.id));
  await db
    .update(webhookEndpoints)
    .set({ consecutiveFailures: 0, updatedAt: sql`now()` })
    .where(and(eq(webhookEndpoints.id, delivery.endpointId), sql`${webhookEndpoints.consecutiveFailures} > 0`));
}

export async function recordRetry(db: Database, delivery: ClaimedDelivery, outcome: AttemptOutcome, delaySeconds: number): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ ...outcomeColumns(outcome), nextAttemptAt: sql`now() + make_interval(secs => ${delaySeconds})` })
    .where(eq(webhookDeliveries.id, delivery.id));
}

/**
 * The delivery ran out of retries: it is failed, and the endpoint's run of
 * failures grows; at `disableAfter` in a row the endpoint is disabled with
 * the reason (one statement, so concurrent deliveries count correctly).
 */
export async function recordExhausted(db: Database, delivery: ClaimedDelivery, outcome: AttemptOutcome, disableAfter: number): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ ...outcomeColumns(outcome), status: 'failed', nextAttemptAt: null })
    .where(eq(webhookDeliveries.id, delivery.id));
  const failures = sql`${webhookEndpoints.consecutiveFailures} + 1`;
  const disables = sql`(${failures} >= ${disableAfter} and ${webhookEndpoints.status} = 'enabled')`;
  const reason = `${disableAfter} deliveries in a row failed; last: ${outcome.error ?? 'unknown error'}`;
  await db
    .update(webhookEndpoints)
    .set({
      consecutiveFailures: failures,
      status: sql`case when ${disables} then 'disabled'::webhook_endpoint_status else ${webhookEndpoints.status} end`,
      disabledReason: sql`case when ${disables} then ${reason} else ${webhookEndpoints.disabledReason} end`,
      disabledAt: sql`case when ${disables} then now() else ${webhookEndpoints.disabledAt} end`,
      updatedAt: sql`now()`,
    })
    .where(eq(webhookEndpoints.id, delivery.endpointId));
}

/** The endpoint was disabled or deleted since the delivery was queued: nothing is sent, and the attempt is not counted. */
export async function recordDropped(db: Database, delivery: ClaimedDelivery): Promise<void> {
  const why = delivery.endpointDeletedAt ? 'endpoint deleted' : 'endpoint disabled';
  await db
    .update(webhookDeliveries)
    .set({ status: 'failed', attempts: sql`${webhookDeliveries.attempts} - 1`, nextAttemptAt: null, lastError: `not sent: ${why}`, updatedAt: sql`now()` })
    .where(eq(webhookDeliveries.id, delivery.id));
}
