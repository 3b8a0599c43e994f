import type { Deps } from './context';

/**
 * The one layout of the Analytics Engine dataset (docs/analytics.md documents
 * it, and its SQL queries use these positions). Request data points and
 * business-event data points share the dataset, so every point has the same
 * columns; a column a kind does not use is '' or 0.
 *
 * Columns are append-only: data already written keeps its positions for the
 * dataset's retention, so a query must never find a column's meaning changed.
 * Add a field at the end of its list, never in the middle.
 */
export const BLOB_FIELDS = ['method', 'route', 'status', 'requestId', 'country', 'colo', 'kind', 'currency', 'orderId'] as const;
export const DOUBLE_FIELDS = ['latencyMs', 'statusCode', 'amount', 'orderTotal', 'refundedTotal'] as const;

export type BlobField = (typeof BLOB_FIELDS)[number];
export type DoubleField = (typeof DOUBLE_FIELDS)[number];

/** The data point kinds (blob `kind`): one per request, and the money-moving order events. */
export const ORDER_EVENT_KINDS = ['order.placed', 'order.paid', 'order.refunded', 'order.partially_refunded', 'order.cancelled'] as const;
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number];
export type DataPointKind = 'request' | OrderEventKind;

/** The SQL API column of a field: `column('latencyMs')` → `double1`. */
export function column(field: BlobField | DoubleField): string {
  const blob = BLOB_FIELDS.indexOf(field as BlobField);
  if (blob >= 0) return `blob${blob + 1}`;
  return `double${DOUBLE_FIELDS.indexOf(field as DoubleField) + 1}`;
}

/** Analytics Engine caps an index at 96 bytes; route templates and kinds are far shorter. */
const MAX_INDEX_BYTES = 96;

export function dataPoint(
  index: string,
  blobs: Partial<Record<BlobField, string>>,
  doubles: Partial<Record<DoubleField, number>>,
): AnalyticsEngineDataPoint {
  return {
    indexes: [index.slice(0, MAX_INDEX_BYTES)],
    blobs: BLOB_FIELDS.map((f) => blobs[f] ?? ''),
    doubles: DOUBLE_FIELDS.map((f) => doubles[f] ?? 0),
  };
}

/**
 * Writes a point, best-effort: analytics must never fail the request or the
 * change it describes. Returns whether the binding accepted it.
 */
export function writePoint(dataset: AnalyticsEngineDataset | undefined, point: AnalyticsEngineDataPoint): boolean {
  if (!dataset) return false;
  try {
    dataset.writeDataPoint(point);
    return true;
  } catch {
    return false;
  }
}

export interface RequestMeasure {
  method: string;
  route: string;
  status: number;
  latencyMs: number;
  requestId: string;
  /** ISO country of the client and the Cloudflare data centre; '' when unknown (local runs have no `cf`). */
  country: string;
  colo: string;
}

/** Indexed by route template so that sampling (if it ever happens) keeps every route represented. */
export const requestPoint = (m: RequestMeasure) =>
  dataPoint(
    m.route,
    { kind: 'request', method: m.method, route: m.route, status: String(m.status), requestId: m.requestId, country: m.country, colo: m.colo },
    { latencyMs: m.latencyMs, statusCode: m.status },
  );

export interface OrderEventMeasure {
  kind: OrderEventKind;
  orderId: string;
  currency: string;
  /**
   * The money this event moved, minor units: the total for placed and paid;
   * the amount refunded by this event for refunded, partially_refunded and
   * cancelled (0 when an unpaid order is cancelled).
   */
  amount: number;
  orderTotal: number;
  /** The order's refunded total after the event. */
  refundedTotal: number;
}

export const orderEventPoint = (m: OrderEventMeasure) =>
  dataPoint(
    m.kind,
    { kind: m.kind, currency: m.currency, orderId: m.orderId },
    { amount: m.amount, orderTotal: m.orderTotal, refundedTotal: m.refundedTotal },
  );

export const isOrderEventKind = (kind: string): kind is OrderEventKind => (ORDER_EVENT_KINDS as readonly string[]).includes(kind);

/** A business event's data point, written once the change has committed; a failure is logged, never thrown. */
export function recordOrderEvent(deps: Deps, m: OrderEventMeasure): void {
  if (!writePoint(deps.env.ANALYTICS, orderEventPoint(m)) && deps.env.ANALYTICS) {
    deps.logger.warn('analytics data point not written', { kind: m.kind, orderId: m.orderId });
  }
}
