import type { DomainEventType } from '../../../shared/events';

/** Every domain event a user hears about: all of them but the catalog's internal one. */
export const NOTIFIED_EVENTS = [
  'user.registered',
  'auth.verify_email',
  'auth.password_reset_requested',
  'auth.password_changed',
  'order.placed',
  'order.paid',
  'order.processing',
  'order.shipped',
  'order.delivered',
  'order.cancelled',
  'order.refunded',
  'order.partially_refunded',
  'payment.failed',
  'seller_order.paid',
  'seller_order.shipped',
  'seller_order.delivered',
  'seller_order.cancelled',
  'seller_order.ready_for_pickup',
  'return.requested',
  'return.approved',
  'return.rejected',
  'return.refunded',
  'payout.created',
  'wishlist.price_dropped',
  'wishlist.back_in_stock',
] as const satisfies readonly DomainEventType[];

export type NotifiedEvent = (typeof NOTIFIED_EVENTS)[number];

export const LOCALES = ['en', 'uz', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

/** What a template may say, already formatted for the reader's locale (plain text: the layout escapes it). */
export interface TemplateVars {
  name: string;
  /** The order as a person reads it: its number (its id on events from before order numbers). */
  orderId: string;
  /** The order total (or the failed payment's amount), formatted; empty when unknown. */
  total: string;
  /** Why a payment failed, as the card network put it. */
  reason: string;
  /** The verify-email or reset-password link (or, without a web origin, the bare token). */
  link: string;
  /** The order's number (UM-2026-000123) where the event names one, else its id. */
  number: string;
  /** A parcel's carrier, tracking number and tracking link, as one line; empty when the event has none. */
  tracking: string;
  /** A wished product's name (wishlist events; optional so that the other events' vars need not name it). */
  product?: string;
  /** A wished variant's new price, formatted (wishlist price drops). */
  price?: string;
  /** Its price before the drop, formatted. */
  was?: string;
  /** A pickup point as one line: name, address and hours (ready-for-pickup; optional like the wishlist's). */
  pickupPoint?: string;
  /** The pickup point's name alone (for the SMS, which must stay short). */
  pickupPointName?: string;
  /** What the buyer names at the point: the parcel's tracking number or the order number. */
  pickupCode?: string;
}

/**
 * One notification in one language. `title`/`body` are the in-app row; the
 * email is `subject`, then `lines` as paragraphs and `action` as a button
 * (its link never goes into the in-app row: it carries a secret token).
 */
export interface Copy {
  title: string;
  body: string;
  subject: string;
  lines: string[];
  action?: { label: string; url: string };
}

export interface Catalog {
  greeting: (name: string) => string;
  signature: string;
  /** Shown when there is no web origin to build a link from: the token to paste. */
  codeHint: string;
  copy: Record<NotifiedEvent, (v: TemplateVars) => Copy>;
}
