import { describe, expect, it } from 'vitest';
import type { OrderStatus, SellerOrderStatus } from '../../../shared/db/schema';
import { deriveOrderStatus } from '../../../workers/orders/seller-orders';

/** [order status now, money given back, seller-order statuses] → the order's derived status (docs/marketplace.md). */
const CASES: Array<[OrderStatus, number, SellerOrderStatus[], OrderStatus]> = [
  // Unpaid orders keep their own status.
  ['pending_payment', 0, ['pending_payment', 'pending_payment'], 'pending_payment'],
  ['cancelled', 0, ['cancelled', 'cancelled'], 'cancelled'],
  // Fulfilment of the live seller orders.
  ['paid', 0, ['paid', 'paid'], 'paid'],
  ['paid', 0, ['processing', 'paid'], 'processing'],
  ['processing', 0, ['partially_shipped', 'processing'], 'partially_shipped'],
  ['processing', 0, ['shipped', 'paid'], 'partially_shipped'],
  ['partially_shipped', 0, ['shipped', 'shipped'], 'shipped'],
  ['shipped', 0, ['delivered', 'shipped'], 'shipped'],
  ['shipped', 0, ['delivered', 'partially_shipped'], 'partially_shipped'],
  ['shipped', 0, ['delivered', 'delivered'], 'delivered'],
  // All ended: cancelled only if every one was cancelled, else refunded.
  ['paid', 1000, ['cancelled', 'cancelled'], 'cancelled'],
  ['delivered', 5000, ['refunded', 'cancelled'], 'refunded'],
  ['delivered', 5000, ['refunded', 'refunded'], 'refunded'],
  // Money back on an order still alive.
  ['processing', 2500, ['cancelled', 'processing'], 'partially_refunded'],
  ['delivered', 100, ['delivered', 'delivered'], 'partially_refunded'],
  ['partially_refunded', 2500, ['cancelled', 'delivered'], 'partially_refunded'],
  // A cancelled seller order does not hold back the others' fulfilment (its refund aside).
  ['processing', 0, ['cancelled', 'shipped'], 'shipped'],
  // Orders placed before seller orders existed keep their own status.
  ['shipped', 0, [], 'shipped'],
];

describe("the order's status, derived from its seller orders", () => {
  it.each(CASES)('%s, refunded %i, seller orders %j → %s', (status, refundedAmount, sellerStatuses, expected) => {
    expect(deriveOrderStatus({ status, refundedAmount }, sellerStatuses)).toBe(expected);
  });
});
