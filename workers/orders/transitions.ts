import type { OrderStatus } from '../../shared/db/schema';

/**
 * The order status machine (DESIGN §4). Payment events move
 * pending_payment → paid; people move the fulfilment steps; cancelling is
 * possible until the order ships; refunds come from Stripe.
 */
export const TRANSITIONS: Record<OrderStatus, OrderStatus[]> = {
  pending_payment: ['paid', 'cancelled'],
  paid: ['processing', 'cancelled', 'refunded', 'partially_refunded'],
  processing: ['shipped', 'cancelled', 'refunded', 'partially_refunded'],
  shipped: ['delivered', 'refunded', 'partially_refunded'],
  delivered: ['refunded', 'partially_refunded'],
  partially_refunded: ['processing', 'shipped', 'delivered', 'refunded', 'partially_refunded'],
  partially_shipped: ['shipped', 'delivered', 'refunded', 'partially_refunded'],
  cancelled: [],
  refunded: [],
};

/** The steps a seller may take on orders containing its products. */
export const FULFILMENT_STEPS: OrderStatus[] = ['processing', 'shipped', 'delivered'];

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}
