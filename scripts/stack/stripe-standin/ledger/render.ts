/**
 * Rendering objects for a response: a copy, with the `expand[]` paths replaced by
 * the objects they name (only the paths the stand-in supports).
 */
import { paramError } from '../errors';
import type { LedgerState } from './state';
import { type OperationResult, type StripeObject, clone, listOf } from './types';

function expandable(state: LedgerState, object: StripeObject, field: string): unknown {
  const value = (object as unknown as Record<string, unknown>)[field];
  if (typeof value !== 'string') return value;
  if (object.object === 'payment_intent' && field === 'latest_charge') return clone(state.charges.get(value)) ?? value;
  if (object.object === 'payment_intent' && field === 'payment_method') return clone(state.paymentMethods.get(value)?.object) ?? value;
  if (object.object === 'charge' && field === 'payment_intent') return clone(state.paymentIntents.get(value)) ?? value;
  if (object.object === 'refund' && field === 'charge') return clone(state.charges.get(value)) ?? value;
  if (object.object === 'refund' && field === 'payment_intent') return clone(state.paymentIntents.get(value)) ?? value;
  return undefined;
}

const EXPANDABLE: Record<StripeObject['object'], readonly string[]> = {
  payment_intent: ['latest_charge', 'payment_method'],
  charge: ['payment_intent'],
  refund: ['charge', 'payment_intent'],
};

/** Rejects unsupported expand[] paths; called before a handler changes anything. */
export function checkExpand(kind: StripeObject['object'], expand: string[]): void {
  const allowed = EXPANDABLE[kind];
  const bad = expand.find((path) => !allowed.includes(path));
  if (bad !== undefined) {
    throw paramError(`This property cannot be expanded (${bad}). (The local Stripe stand-in can expand: ${listOf(allowed)}.)`, { param: 'expand' });
  }
}

export function render(state: LedgerState, object: StripeObject, expand: string[]): OperationResult {
  checkExpand(object.object, expand);
  const body = clone(object) as unknown as Record<string, unknown>;
  for (const path of expand) body[path] = expandable(state, object, path);
  return { status: 200, body };
}
