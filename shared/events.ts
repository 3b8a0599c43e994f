import { z } from 'zod';

/**
 * Every domain event the API emits through the outbox and the NOTIFICATIONS
 * queue: one zod schema per type. Producers write them with `recordEvents` /
 * `outboxInsert` (shared/outbox.ts); consumers (notifications, outgoing
 * webhooks, search sync) read them with `parseDomainEvent`. Outgoing webhook
 * receivers get these payloads as they are, so a field is only ever added.
 */
const Id = z.uuid();
const Money = z.number().int();
const Currency = z.string().length(3);

const Account = { userId: Id, email: z.string(), name: z.string() };
/** An emailed link's token is derived from its id when the email is rendered, never stored (shared/auth/emailed-tokens.ts). */
const EmailedToken = { userId: Id, tokenId: Id };
/** The order number a person reads (UM-<year>-<sequence>); absent only on events recorded before numbers existed. */
const OrderNumber = z.string().optional();
const OrderChange = <S extends string>(status: S) =>
  z.object({ orderId: Id, number: OrderNumber, userId: Id, status: z.literal(status), total: Money, currency: Currency });

/** A seller order's event: the order, its number, the seller order, its seller and the buyer (`userId`). */
const SellerOrderChange = {
  orderId: Id,
  number: z.string(),
  sellerOrderId: Id,
  sellerId: Id,
  userId: Id,
  total: Money,
  currency: Currency,
};

/** Who and what a return event concerns: the buyer is `userId`, the seller `sellerId`. */
const ReturnChange = z.object({ orderId: Id, number: z.string(), returnId: Id, sellerOrderId: Id, sellerId: Id, userId: Id });

/** A wishlist item's event: its owner (`userId`) and what they wished. */
const WishedItem = { userId: Id, itemId: Id, sku: z.string(), productId: Id, productName: z.string() };

const described = <T extends z.ZodObject>(schema: T, summary: string) => schema.describe(summary);

export const DomainEventSchemas = {
  'user.registered': described(z.object(Account), 'A new account'),
  'auth.verify_email': described(z.object(EmailedToken), 'An email-verification link'),
  'auth.password_reset_requested': described(z.object(EmailedToken), 'A password-reset link'),
  'auth.password_changed': described(z.object(Account), 'A password was changed or reset'),
  'order.placed': described(z.object({ orderId: Id, number: OrderNumber, userId: Id, total: Money, currency: Currency }), 'An order awaits payment'),
  'order.paid': described(OrderChange('paid'), 'An order was paid'),
  'order.processing': described(OrderChange('processing'), 'An order is being prepared'),
  'order.shipped': described(OrderChange('shipped'), 'An order was shipped'),
  'order.delivered': described(OrderChange('delivered'), 'An order was delivered'),
  'order.cancelled': described(OrderChange('cancelled'), 'An order was cancelled'),
  'order.refunded': described(OrderChange('refunded'), 'An order was refunded in full'),
  'order.partially_refunded': described(OrderChange('partially_refunded'), 'Part of an order was refunded'),
  'payment.failed': described(
    z.object({
      orderId: Id,
      userId: Id,
      paymentIntentId: z.string().min(1),
      amount: Money.nullable(),
      currency: Currency.nullable(),
      reason: z.string(),
    }),
    'A payment attempt was declined; the order stays payable',
  ),
  'return.requested': described(ReturnChange.extend({ reason: z.string() }), 'A buyer asked to return lines of a delivered seller order'),
  'return.approved': described(ReturnChange, 'The seller (or an admin) accepted a return'),
  'return.rejected': described(ReturnChange.extend({ reason: z.string() }), 'The seller (or an admin) refused a return'),
  'return.refunded': described(ReturnChange.extend({ amount: Money, currency: Currency }), 'A received return was refunded'),
  'catalog.product_changed': described(
    z.object({ productId: Id, change: z.enum(['created', 'updated', 'deleted']) }),
    'A product was created, updated or deleted',
  ),
  'seller_order.paid': described(z.object(SellerOrderChange), "A seller's part of an order was paid: the seller has something to send"),
  'seller_order.shipped': described(
    z.object({
      ...SellerOrderChange,
      shipmentId: Id,
      carrier: z.string(),
      trackingNumber: z.string().nullable(),
      trackingUrl: z.string().nullable(),
      /** Whether every unit of the seller order has now been sent. */
      complete: z.boolean(),
    }),
    'A parcel of a seller order left, with its tracking',
  ),
  'seller_order.delivered': described(z.object(SellerOrderChange), 'Every parcel of a seller order arrived'),
  'seller_order.ready_for_pickup': described(
    z.object({
      ...SellerOrderChange,
      shipmentId: Id,
      /** The point the buyer chose at checkout, as it was then. */
      pickupPoint: z.object({ id: Id, name: z.string(), address: z.string(), hours: z.string() }),
      /** What the buyer names at the point: the parcel's tracking number, or the order number when it has none. */
      pickupCode: z.string(),
    }),
    'A parcel of a seller order is ready for the buyer at its pickup point',
  ),
  'seller_order.cancelled': described(
    z.object({ ...SellerOrderChange, refunded: Money }),
    "A seller's part of an order was cancelled before it shipped (refunded when it was paid)",
  ),
  'payout.created': described(
    z.object({ payoutId: Id, sellerId: Id, userId: Id.describe('The seller, as the notification recipient'), amount: Money, currency: Currency, reference: z.string() }),
    'The platform paid a seller out of its available balance',
  ),
  'inventory.stock_changed': described(
    z.object({ sku: z.string().min(1), inStock: z.boolean() }),
    'A wished SKU went into or out of stock, as its stock mirror saw it (internal: wishlists look at their items of it)',
  ),
  'wishlist.price_dropped': described(
    z.object({ ...WishedItem, price: Money, previousPrice: Money, currency: Currency }),
    "A wished variant's price fell below the lowest price its owner was told (or the price when added)",
  ),
  'wishlist.back_in_stock': described(z.object(WishedItem), 'A wished variant that was out of stock can be bought again'),
} as const;

export type DomainEventType = keyof typeof DomainEventSchemas;
export const DOMAIN_EVENT_TYPES = Object.keys(DomainEventSchemas) as DomainEventType[];
export type EventPayload<T extends DomainEventType> = z.infer<(typeof DomainEventSchemas)[T]>;

/** An event as a producer hands it to the outbox: its type and a payload that type's schema accepts. */
export type NewDomainEvent = { [T in DomainEventType]: { type: T; payload: EventPayload<T> } }[DomainEventType];
/** An event as the outbox holds it and the queue carries it. */
export type DomainEvent = NewDomainEvent & { id: string };

/** Each type with what its payload carries, e.g. "A new account: {userId, email, name}" (for documentation). */
export const DOMAIN_EVENTS = Object.fromEntries(
  DOMAIN_EVENT_TYPES.map((type) => {
    const schema = DomainEventSchemas[type];
    return [type, `${schema.description}: {${Object.keys(schema.shape).join(', ')}}`];
  }),
) as Record<DomainEventType, string>;

export const isDomainEventType = (type: string): type is DomainEventType => Object.hasOwn(DomainEventSchemas, type);

/**
 * A queue message read as a domain event of a known type, its payload parsed
 * by that type's schema; otherwise why it is not one.
 */
export function parseDomainEvent(message: { id: string; type: string; payload: unknown }): { event: DomainEvent } | { error: string } {
  if (!isDomainEventType(message.type)) return { error: `unknown event type ${message.type}` };
  const parsed = DomainEventSchemas[message.type].safeParse(message.payload);
  if (!parsed.success) return { error: z.prettifyError(parsed.error) };
  return { event: { id: message.id, type: message.type, payload: parsed.data } as DomainEvent };
}
