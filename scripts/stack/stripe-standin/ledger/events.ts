/**
 * The Events the ledger's operations produce, in order, as Stripe would send
 * them to webhook endpoints (and return from GET /v1/events/:id).
 */
import { newId, nowSeconds } from '../ids';
import { resourceMissing } from '../errors';
import { clone, type OperationContext, type OperationResult, type StripeEvent, type StripeEventType, type StripeObject } from './types';

export class EventLog {
  private readonly eventsById = new Map<string, StripeEvent>();
  private readonly eventLog: StripeEvent[] = [];
  private readonly apiVersion: string;

  constructor(apiVersion: string) {
    this.apiVersion = apiVersion;
  }

  emit(ctx: OperationContext, type: StripeEventType, object: StripeObject, previous?: Record<string, unknown>): void {
    const event: StripeEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: this.apiVersion,
      created: nowSeconds(),
      data: { object: clone(object), ...(previous ? { previous_attributes: clone(previous) } : {}) },
      livemode: false,
      pending_webhooks: 0,
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
      type,
    };
    this.eventsById.set(event.id, event);
    this.eventLog.push(event);
    ctx.events.push(event);
  }

  all(): StripeEvent[] {
    return [...this.eventLog];
  }

  get(id: string): StripeEvent | undefined {
    return this.eventsById.get(id);
  }

  retrieve(id: string): OperationResult {
    const event = this.eventsById.get(id);
    if (!event) throw resourceMissing('event', id, 'id', 404);
    return { status: 200, body: event };
  }
}
