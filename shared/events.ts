/**
 * Every domain event type the API emits through the outbox and the
 * NOTIFICATIONS queue, with what its payload carries. Notifications and
 * outgoing webhooks both subscribe from this list.
 */
export const DOMAIN_EVENTS = {
  'user.registered': 'A new account: {userId, email, name}',
  'auth.verify_email': 'An email-verification link: {userId, tokenId} (the token is derived when the email is rendered, never stored)',
  'auth.password_reset_requested': 'A password-reset link: {userId, tokenId} (the token is derived when the email is rendered, never stored)',
  'auth.password_changed': 'A password was changed or reset: {userId, email, name}',
  'order.placed': 'An order awaits payment: {orderId, userId, total, currency}',
  'order.paid': 'An order was paid: {orderId, userId, status, total, currency}',
  'order.processing': 'An order is being prepared: {orderId, userId, status, total, currency}',
  'order.shipped': 'An order was shipped: {orderId, userId, status, total, currency}',
  'order.delivered': 'An order was delivered: {orderId, userId, status, total, currency}',
  'order.cancelled': 'An order was cancelled: {orderId, userId, status, total, currency}',
  'order.refunded': 'An order was refunded in full: {orderId, userId, status, total, currency}',
  'order.partially_refunded': 'Part of an order was refunded: {orderId, userId, status, total, currency}',
  'payment.failed': 'A payment attempt was declined; the order stays payable: {orderId, userId, paymentIntentId, amount, currency, reason}',
  'catalog.product_changed': 'A product was created, updated or deleted: {productId, change}',
} as const;

export type DomainEventType = keyof typeof DOMAIN_EVENTS;
export const DOMAIN_EVENT_TYPES = Object.keys(DOMAIN_EVENTS) as DomainEventType[];
