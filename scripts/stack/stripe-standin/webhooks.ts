/**
 * Webhook delivery with Stripe's signing scheme
 * (https://docs.stripe.com/webhooks#verify-manually):
 *
 *   Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>", keyed by the whole whsec_… secret>
 *
 * Each attempt is signed afresh (new timestamp), as Stripe does for retries. The
 * body is the event as pretty-printed JSON, like Stripe's, so a receiver that
 * verifies a re-serialised body instead of the raw bytes fails here too.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { StripeEvent } from './ledger';

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('hex')}`;
}

export function signatureHeader(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

export interface DeliveryMode {
  /** Wait this long before the first attempt of each event. */
  delayMs?: number;
  /** Deliver each event twice (two separately signed POSTs of the same event). */
  duplicate?: boolean;
  /** Buffer events and deliver them in random order on flush() (implies holding them). */
  shuffle?: boolean;
  /** Keep events until flush(). */
  hold?: boolean;
}

/** One POST to the webhook URL, for tests and debugging. */
export interface DeliveryAttempt {
  eventId: string;
  type: string;
  /** 1 for the first attempt of a copy, 2+ for its retries. */
  attempt: number;
  url: string;
  /** HTTP status, or undefined when the request failed (connection refused, timeout). */
  status?: number;
  error?: string;
  startedAt: number;
  durationMs: number;
}

export interface DispatcherOptions {
  secret: string;
  url: string | undefined;
  /** Waits before each retry; the number of entries is the number of retries. */
  retryDelaysMs: readonly number[];
  /** Per-attempt timeout; Stripe gives endpoints a few seconds. */
  timeoutMs: number;
  log: (line: string) => void;
}

const USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';

export class WebhookDispatcher {
  url: string | undefined;
  mode: DeliveryMode = {};
  private readonly secret: string;
  private readonly retryDelaysMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly log: (line: string) => void;
  private readonly payloads = new Map<string, string>();
  private readonly held: StripeEvent[] = [];
  private readonly attempts: DeliveryAttempt[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly closing = new AbortController();

  constructor(options: DispatcherOptions) {
    this.secret = options.secret;
    this.url = options.url;
    this.retryDelaysMs = options.retryDelaysMs;
    this.timeoutMs = options.timeoutMs;
    this.log = options.log;
  }

  deliveries(): DeliveryAttempt[] {
    return this.attempts.map((attempt) => ({ ...attempt }));
  }

  heldEvents(): StripeEvent[] {
    return [...this.held];
  }

  /**
   * Takes the events of one API request, after its response has been sent. With
   * no webhook URL (and nothing held), events are recorded but not delivered, and
   * say so with `pending_webhooks: 0`, as in an account without endpoints.
   */
  accept(events: StripeEvent[]): void {
    for (const event of events) {
      const holding = this.mode.hold === true || this.mode.shuffle === true;
      if (!holding && this.url === undefined) continue;
      event.pending_webhooks = 1;
      this.payloads.set(event.id, JSON.stringify(event, null, 2));
      if (holding) {
        this.held.push(event);
        continue;
      }
      const copies = this.mode.duplicate ? 2 : 1;
      for (let copy = 0; copy < copies; copy++) this.track(this.deliverLater(event, this.mode.delayMs ?? 0));
    }
  }

  /** Delivers the held events: in order (or shuffled), each first attempt awaited before the next. */
  async flush(options: { shuffle?: boolean; duplicate?: boolean } = {}): Promise<void> {
    const events = this.held.splice(0);
    if (events.length === 0) return;
    if (this.url === undefined) {
      this.held.unshift(...events);
      throw new Error('stripe-standin: flush() needs a webhook URL (setWebhookUrl) to deliver the held events to');
    }
    const duplicate = options.duplicate ?? this.mode.duplicate ?? false;
    const shuffle = options.shuffle ?? this.mode.shuffle ?? false;
    const queue = duplicate ? events.flatMap((event) => [event, event]) : events;
    if (shuffle) {
      for (let i = queue.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [queue[i], queue[j]] = [queue[j] as StripeEvent, queue[i] as StripeEvent];
      }
    }
    const chains: Promise<void>[] = [];
    for (const event of queue) {
      // The first attempt is awaited so the receiver sees this order; retries run in the background.
      let firstAttemptDone = () => {};
      const firstAttempt = new Promise<void>((resolve) => (firstAttemptDone = resolve));
      const chain = this.deliverWithRetries(event, firstAttemptDone);
      this.track(chain);
      chains.push(chain);
      await Promise.race([firstAttempt, chain]);
    }
    await Promise.all(chains);
  }

  /** One signed POST of an event already sent (or held), without retries: Stripe's "Resend". */
  async redeliver(event: StripeEvent): Promise<Response> {
    const url = this.url;
    if (url === undefined) throw new Error('stripe-standin: redeliver() needs a webhook URL (setWebhookUrl)');
    const payload = this.payloads.get(event.id) ?? JSON.stringify(event, null, 2);
    this.payloads.set(event.id, payload);
    return this.post(event, payload, url, 1, false);
  }

  /** Resolves once no delivery is waiting, in flight or retrying (held events do not count). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    this.closing.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Resolves true after `ms`, or false as soon as the dispatcher closes. */
  private sleep(ms: number): Promise<boolean> {
    const signal = this.closing.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      this.timers.add(timer);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async deliverLater(event: StripeEvent, delayMs: number): Promise<void> {
    // Never inside the API response: at the earliest on a later turn of the event loop.
    if (!(await this.sleep(delayMs))) return;
    await this.deliverWithRetries(event);
  }

  private async deliverWithRetries(event: StripeEvent, onFirstAttempt?: () => void): Promise<void> {
    const payload = this.payloads.get(event.id) ?? JSON.stringify(event, null, 2);
    for (let attempt = 1; ; attempt++) {
      const url = this.url;
      let ok = false;
      if (url !== undefined) {
        try {
          const response = await this.post(event, payload, url, attempt, true);
          ok = response.ok;
        } catch {
          ok = false; // recorded by post()
        }
      }
      if (attempt === 1) onFirstAttempt?.();
      if (ok) {
        event.pending_webhooks = 0;
        return;
      }
      const delay = this.retryDelaysMs[attempt - 1];
      if (delay === undefined) {
        this.log(`webhook ${event.type} ${event.id}: giving up after ${attempt} attempt(s)`);
        return;
      }
      if (!(await this.sleep(delay))) return;
    }
  }

  private async post(event: StripeEvent, payload: string, url: string, attempt: number, consumeBody: boolean): Promise<Response> {
    const startedAt = Date.now();
    const record: DeliveryAttempt = { eventId: event.id, type: event.type, attempt, url, startedAt, durationMs: 0 };
    this.attempts.push(record);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': USER_AGENT,
          accept: '*/*; q=0.5, application/xml',
          'cache-control': 'no-cache',
          'stripe-signature': signatureHeader(payload, this.secret),
        },
        body: payload,
        // Stripe treats redirects as failures rather than following them.
        redirect: 'manual',
        signal: AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.timeoutMs)]),
      });
      record.status = response.status;
      if (consumeBody) await response.arrayBuffer().catch(() => undefined);
      return response;
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      record.durationMs = Date.now() - startedAt;
    }
  }
}
