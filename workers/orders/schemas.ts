import { z } from '@hono/zod-openapi';
import { ORDER_STATUSES, SELLER_ORDER_STATUSES, SHIPMENT_STATUSES } from '../../shared/db/schema';
import { PageQuerySchema } from '../../shared/pagination';
import { PROVIDER_NAMES } from '../../shared/payments';
import { ShippingAddressFields } from '../../shared/schemas/address';
import { ShippingChoiceInput } from '../shipping/public';

export const OrderStatus = z.enum(ORDER_STATUSES).openapi({ description: 'Order status', example: 'paid' });

export const ShippingAddressInput = ShippingAddressFields.openapi('ShippingAddressInput');

export const ExpectedTotal = z
  .strictObject({
    amount: z.number().int().min(0).openapi({ description: 'The total shown to the shopper, minor units', example: 12_500 }),
    currency: z.string().regex(/^[A-Z]{3}$/).openapi({ example: 'USD' }),
  })
  .openapi('ExpectedTotal', {
    description: 'The cart total the shopper saw; when the re-priced total differs, 409 PRICE_CHANGED and nothing is placed',
  });

const expectedTotal = {
  expectedTotal: ExpectedTotal.optional(),
  shipping: z
    .array(ShippingChoiceInput)
    .max(100)
    .refine((choices) => new Set(choices.map((c) => c.sellerId)).size === choices.length, { message: 'names a seller more than once' })
    .optional()
    .openapi({
      description:
        'The shipping method chosen for each seller group that has options (GET /shipping/options); groups without options ship at the flat rate. ' +
        'A missing or invalid choice: 409 SHIPPING_CHOICE_INVALID naming the seller, and nothing is placed.',
    }),
  payment: z
    .strictObject({
      provider: z.enum(PROVIDER_NAMES).openapi({ description: 'One of the providers this deployment offers (PAYMENT_PROVIDERS)', example: 'payme' }),
    })
    .optional()
    .openapi({
      description:
        'Who the buyer pays (docs/payments-uzbekistan.md): stripe, payme, click or cash on delivery. Without it, the first provider the deployment offers that can take the order. ' +
        'A provider the deployment does not offer, or one that cannot take the order (Payme and Click take UZS only, Stripe at most 99 999 999 minor units): 409 PAYMENT_PROVIDER_UNAVAILABLE.',
    }),
};

export const CreateOrderInput = z
  .union([
    z.strictObject({ shippingAddressId: z.uuid().openapi({ description: 'One of my saved addresses' }), ...expectedTotal }),
    z.strictObject({ shippingAddress: ShippingAddressInput, ...expectedTotal }),
  ])
  .openapi('CreateOrderInput', { description: 'A saved address id, or an address inline' });

export const OrderItem = z
  .object({
    id: z.uuid(),
    productId: z.uuid(),
    sellerId: z.uuid(),
    sku: z.string(),
    name: z.string(),
    quantity: z.number().int(),
    unitPrice: z.number().int(),
    lineTotal: z.number().int().openapi({ description: 'What the line costs after its discount: unitPrice × quantity − discount' }),
    discount: z.number().int().openapi({ description: "The promotions' discount on this line (0 without one)", example: 0 }),
    currency: z.string(),
  })
  .openapi('OrderItem');

export const OrderHistoryEntry = z
  .object({ from: OrderStatus.nullable(), to: OrderStatus, actor: z.string(), note: z.string().nullable(), at: z.iso.datetime() })
  .openapi('OrderHistoryEntry');

export const OrderNumber = z
  .string()
  .regex(/^UM-\d{4}-\d{6,}$/, 'must look like UM-2026-000123')
  .openapi({ description: 'The order number a person reads: UM-<year placed>-<sequence>, unique per deployment', example: 'UM-2026-000123' });

export const SellerOrderStatus = z
  .enum(SELLER_ORDER_STATUSES)
  .openapi({ description: "A seller order's status (docs/marketplace.md has the machine)", example: 'processing' });

export const Shipment = z
  .object({
    id: z.uuid(),
    sellerOrderId: z.uuid(),
    status: z.enum(SHIPMENT_STATUSES).openapi({ description: 'shipped, then delivered', example: 'shipped' }),
    carrier: z.string().openapi({ description: 'Who carries it (`unspecified` for a parcel recorded by PUT /orders/{id}/status)', example: 'UzPost' }),
    trackingNumber: z.string().nullable().openapi({ example: 'UZ123456789' }),
    trackingUrl: z.string().nullable().openapi({ example: 'https://track.example.uz/UZ123456789' }),
    shippedAt: z.iso.datetime(),
    deliveredAt: z.iso.datetime().nullable(),
    readyForPickupAt: z.iso.datetime().nullable().openapi({
      description: 'A parcel to a pickup point: when it was ready there for the buyer (POST /shipments/{id}/ready-for-pickup); null until then',
      example: '2026-11-29T09:30:00.000Z',
    }),
    items: z.array(z.object({ orderItemId: z.uuid(), quantity: z.number().int() })).openapi({ description: 'The lines and units in the parcel' }),
  })
  .openapi('Shipment');

export const SellerOrderSummary = z
  .object({
    id: z.uuid(),
    sellerId: z.uuid(),
    status: SellerOrderStatus,
    subtotal: z.number().int(),
    tax: z.number().int(),
    shipping: z.number().int(),
    total: z.number().int(),
    discount: z.number().int().openapi({ description: "The promotions' discount on this seller order's lines and shipping", example: 0 }),
    refundedAmount: z.number().int(),
    currency: z.string(),
  })
  .openapi('SellerOrderSummary', { description: "One seller's part of an order, as its buyer sees it" });

export const Order = z
  .object({
    id: z.uuid(),
    number: OrderNumber,
    userId: z.uuid(),
    status: OrderStatus,
    items: z.array(OrderItem),
    subtotal: z.number().int().openapi({ description: 'The lines after their discounts' }),
    tax: z.number().int(),
    shipping: z.number().int().openapi({ description: 'Shipping after a shipping discount' }),
    total: z.number().int(),
    discount: z.number().int().openapi({ description: "The promotions' discount on the order, lines and shipping (docs/promotions.md); a seller sees its own part", example: 0 }),
    refundedAmount: z.number().int(),
    currency: z.string(),
    shippingAddress: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: 'Where it goes; null for a seller until the order is paid' }),
    paymentIntentId: z.string().nullable().openapi({ description: 'null for a seller' }),
    paymentProvider: z.enum(PROVIDER_NAMES).openapi({ description: 'Who the buyer pays', example: 'payme' }),
    reservationExpiresAt: z.iso.datetime(),
    paidAt: z.iso.datetime().nullable(),
    cancelledAt: z.iso.datetime().nullable(),
    cancelReason: z.string().nullable(),
    history: z.array(OrderHistoryEntry).optional(),
    sellerOrders: z.array(SellerOrderSummary).optional().openapi({ description: 'One order: its buyer and an admin see each seller\'s part' }),
    shipments: z.array(Shipment).optional().openapi({ description: 'One order: its parcels with tracking (a seller: only its own)' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Order');

/** What the client needs next to get the order paid, per provider. */
export const PaymentNext = z
  .object({
    provider: z.enum(PROVIDER_NAMES).openapi({ example: 'payme' }),
    paymentIntentId: z.string().openapi({ description: "The payment's id: Stripe's PaymentIntent (`pi_…`), or `payme_…`, `click_…`, `cash_…`", example: 'pi_3Nq…' }),
    clientSecret: z.string().nullable().openapi({ description: 'Stripe: for Stripe.js confirmCardPayment; null for the others' }),
    checkoutUrl: z
      .string()
      .nullable()
      .openapi({ description: "Payme, Click: the provider's checkout page to send the buyer to; null for Stripe and cash", example: 'https://checkout.paycom.uz/bT0…' }),
  })
  .openapi('PaymentNext', { description: 'Stripe: confirm with the client secret. Payme, Click: send the buyer to checkoutUrl. Cash: nothing; the seller records the cash at delivery.' });

export const PlacedOrder = z
  .object({
    order: Order,
    payment: PaymentNext,
  })
  .openapi('PlacedOrder');

export const ListOrdersQuery = PageQuerySchema.extend({
  status: OrderStatus.optional(),
  from: z.iso.datetime().optional().openapi({ description: 'Created at or after' }),
  to: z.iso.datetime().optional().openapi({ description: 'Created before' }),
  number: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(OrderNumber)
    .optional()
    .openapi({ description: 'Find an order by its number (among those the caller may see; an admin: all)', example: 'UM-2026-000123' }),
});

export const SetStatusInput = z
  .strictObject({ status: OrderStatus, note: z.string().max(500).optional().openapi({ example: 'Tracking: UZ123456' }) })
  .openapi('SetOrderStatusInput');

export const StatsQuery = z.object({
  from: z.iso.datetime().optional().openapi({ description: 'Start (inclusive). Default: 30 days before `to`', example: '2026-11-01T00:00:00Z' }),
  to: z.iso.datetime().optional().openapi({ description: 'End (exclusive). Default: now', example: '2026-12-01T00:00:00Z' }),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .openapi({ description: 'Only orders in this ISO 4217 currency (money is never summed across currencies); default DEFAULT_CURRENCY', example: 'USD' }),
});

export const OrderStats = z
  .object({
    from: z.iso.datetime().openapi({ description: 'Start of the range counted (inclusive), echoed so a default range is visible' }),
    to: z.iso.datetime().openapi({ description: 'End of the range counted (exclusive)' }),
    currency: z.string(),
    countsByStatus: z.record(z.string(), z.number().int()),
    revenue: z.number().int().openapi({ description: 'Paid totals minus refunds, minor units' }),
    paidOrders: z.number().int(),
    averageOrderValue: z.number().int(),
    days: z.array(z.object({ day: z.string(), orders: z.number().int(), revenue: z.number().int() })),
  })
  .openapi('OrderStats');

export const OrderIdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const SellerOrderHistoryEntry = z
  .object({ from: SellerOrderStatus.nullable(), to: SellerOrderStatus, actor: z.string(), note: z.string().nullable(), at: z.iso.datetime() })
  .openapi('SellerOrderHistoryEntry');

export const SellerOrder = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    number: OrderNumber,
    sellerId: z.uuid(),
    buyerId: z.uuid(),
    status: SellerOrderStatus,
    currency: z.string(),
    subtotal: z.number().int().openapi({ description: 'Its lines, minor units' }),
    tax: z.number().int().openapi({ description: "Its share of the order's tax" }),
    shipping: z.number().int().openapi({ description: 'Its shipping' }),
    total: z.number().int(),
    discount: z.number().int().openapi({ description: "The promotions' discount on its lines and shipping", example: 0 }),
    platformDiscount: z.number().int().openapi({ description: 'The part of `discount` the platform funds (the ledger pays it to the seller)', example: 0 }),
    refundedAmount: z.number().int().openapi({ description: 'What of its total went back to the buyer' }),
    shippingChoice: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'The shipping method chosen at checkout, when there was one' }),
    shippingAddress: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'Where it goes, with the phone; null until paid' }),
    items: z.array(
      z.object({
        id: z.uuid(),
        productId: z.uuid(),
        sku: z.string(),
        name: z.string(),
        quantity: z.number().int(),
        unitPrice: z.number().int(),
        lineTotal: z.number().int().openapi({ description: 'After its discount' }),
        discount: z.number().int().openapi({ description: "The promotions' discount on the line", example: 0 }),
        currency: z.string(),
        shippedQuantity: z.number().int().openapi({ description: 'Units of the line in shipments so far' }),
      }),
    ),
    shipments: z.array(Shipment),
    history: z.array(SellerOrderHistoryEntry).optional().openapi({ description: 'One seller order only (not in lists)' }),
    paidAt: z.iso.datetime().nullable(),
    shippedAt: z.iso.datetime().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    cancelledAt: z.iso.datetime().nullable(),
    cancelReason: z.string().nullable().openapi({ example: 'cancelled_by_customer' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('SellerOrder');

export const ListSellerOrdersQuery = PageQuerySchema.extend({
  status: SellerOrderStatus.optional(),
  orderId: z.uuid().optional().openapi({ description: 'Only the seller orders of this order' }),
  sellerId: z.uuid().optional().openapi({ description: "Admin: only this seller's (ignored for a seller, who sees its own)" }),
  from: z.iso.datetime().optional().openapi({ description: 'Created at or after' }),
  to: z.iso.datetime().optional().openapi({ description: 'Created before' }),
});

export const SetSellerOrderStatusInput = z
  .strictObject({
    status: z.enum(['processing', 'delivered']).openapi({ description: 'processing (from paid), delivered (once fully shipped)', example: 'processing' }),
    note: z.string().max(500).optional().openapi({ description: 'Kept in the history (the buyer and an admin see it)', example: 'Packed' }),
  })
  .openapi('SetSellerOrderStatusInput');

export const CashCollectedInput = z
  .strictObject({
    amount: z
      .number()
      .int()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .openapi({ description: "The cash collected, in minor units (UZS: tiyin): must be the seller order's total, else 409 and nothing changes", example: 12_500_000 }),
    note: z.string().max(500).optional().openapi({ description: 'Kept in the history (the buyer and an admin see it)', example: 'Paid to the courier' }),
  })
  .openapi('CashCollectedInput');
export type CashCollectedInput = z.infer<typeof CashCollectedInput>;

export const CreateShipmentInput = z
  .strictObject({
    items: z
      .array(
        z.strictObject({
          orderItemId: z.uuid().openapi({ description: 'A line of this seller order' }),
          quantity: z.number().int().min(1).max(100_000).openapi({ description: 'Units of it in this parcel', example: 1 }),
        }),
      )
      .min(1)
      .max(200),
    carrier: z.string().trim().min(1).max(100).openapi({ example: 'UzPost' }),
    trackingNumber: z.string().trim().min(1).max(100).openapi({ example: 'UZ123456789' }),
    trackingUrl: z.url({ protocol: /^https?$/ }).max(2000).optional().openapi({ example: 'https://track.example.uz/UZ123456789' }),
  })
  .openapi('CreateShipmentInput');

export const SellerOrderIdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
export const ShipmentIdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
export const OrderSellerOrderParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
  sellerOrderId: z.uuid().openapi({ param: { name: 'sellerOrderId', in: 'path' } }),
});

export type CreateOrderInput = z.infer<typeof CreateOrderInput>;
export type SellerOrder = z.infer<typeof SellerOrder>;
export type ListSellerOrdersQuery = z.infer<typeof ListSellerOrdersQuery>;
export type CreateShipmentInput = z.infer<typeof CreateShipmentInput>;
export type Order = z.infer<typeof Order>;
export type ListOrdersQuery = z.infer<typeof ListOrdersQuery>;

/** Fiscal receipt data (shared/payments/receipt.ts; docs/vat-and-receipts.md). */
export const ReceiptLineSchema = z
  .object({
    kind: z.enum(['product', 'shipping']).openapi({ description: 'A product line, or a seller order’s shipping', example: 'product' }),
    title: z.string().openapi({ description: 'The product’s name as bought', example: 'Paxta choyshab' }),
    sku: z.string().nullable().openapi({ description: 'Null for shipping', example: 'UZ-BED-001' }),
    sellerId: z.uuid().nullable().openapi({ description: 'The seller whose line it is' }),
    quantity: z.number().int().openapi({ example: 2 }),
    unitPrice: z.number().int().openapi({ description: 'What the buyer pays per unit, minor units (VAT included when prices include tax)', example: 11_200_000 }),
    total: z.number().int().openapi({ description: 'quantity × unitPrice − discount: what the buyer pays for the line', example: 22_400_000 }),
    discount: z.number().int().openapi({ description: "The promotions' discount on the line (0 without one)", example: 0 }),
    mxik: z.string().nullable().openapi({ description: 'MXIK (IKPU) code at checkout; null when the product had none', example: '08517001001000000' }),
    packageCode: z.string().nullable().openapi({ description: 'Package code at checkout', example: '1501002' }),
    vatPercent: z.number().openapi({ description: 'VAT rate in percent: 12 for a VAT payer, 0 for a turnover-tax seller', example: 12 }),
    vat: z.number().int().openapi({ description: 'The VAT in the line (contained in `total` when prices include tax, else added to it)', example: 2_400_000 }),
  })
  .openapi('ReceiptLine');

export const ReceiptSchema = z
  .object({
    orderId: z.uuid(),
    number: z.string().openapi({ example: 'UM-2026-000123' }),
    currency: z.string().openapi({ example: 'UZS' }),
    pricesIncludeTax: z.boolean().openapi({ description: 'Whether the line totals include their VAT (as the deployment said at checkout)' }),
    lines: z.array(ReceiptLineSchema),
    total: z.number().int().openapi({
      description: 'What the buyer pays for these lines: the sum of their totals (plus their VAT when prices exclude tax); the order’s total for its buyer',
    }),
    vat: z.number().int().openapi({ description: 'The sum of the lines’ VAT; the order’s tax for its buyer' }),
    payments: z
      .array(
        z.object({
          provider: z.string().openapi({ example: 'payme' }),
          paymentId: z.string(),
          status: z.string(),
          amount: z.number().int(),
          amountReceived: z.number().int(),
          amountRefunded: z.number().int(),
        }),
      )
      .openapi({ description: 'The order’s payments (empty in a seller’s view)' }),
  })
  .openapi('Receipt');
