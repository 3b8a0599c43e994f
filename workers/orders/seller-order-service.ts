import type { Deps, Principal } from '../../shared/context';
import { collectCash } from './cash';
import { deliverShipment, movableSellerOrder, setSellerOrderStatus, shipSellerOrder } from './fulfilment';
import { markReadyForPickup } from './pickup';
import { getSellerOrder, listSellerOrders } from './seller-order-queries';
import type { CashCollectedInput, CreateShipmentInput, ListSellerOrdersQuery, SellerOrder } from './schemas';

/**
 * The verbs of `/seller-orders` and `/shipments`: each checks who may act
 * (its seller or an admin; anyone else 404) and answers the seller order as
 * the caller sees it.
 */
export const listMySellerOrders = (deps: Deps, auth: Principal, query: ListSellerOrdersQuery) => listSellerOrders(deps, auth, query);

export const readSellerOrder = (deps: Deps, auth: Principal, id: string) => getSellerOrder(deps, auth, id);

export async function moveSellerOrderStatus(deps: Deps, auth: Principal, id: string, status: 'processing' | 'delivered', note?: string): Promise<SellerOrder> {
  await setSellerOrderStatus(deps, auth, id, status, note);
  return getSellerOrder(deps, auth, id);
}

export async function createShipment(deps: Deps, auth: Principal, id: string, input: CreateShipmentInput): Promise<SellerOrder> {
  const so = await movableSellerOrder(deps, auth, id);
  await shipSellerOrder(deps, auth, so, { ...input, trackingUrl: input.trackingUrl ?? null });
  return getSellerOrder(deps, auth, id);
}

export async function markShipmentDelivered(deps: Deps, auth: Principal, shipmentId: string): Promise<SellerOrder> {
  const so = await deliverShipment(deps, auth, shipmentId);
  return getSellerOrder(deps, auth, so.id);
}

export async function markShipmentReadyForPickup(deps: Deps, auth: Principal, shipmentId: string): Promise<SellerOrder> {
  const so = await markReadyForPickup(deps, auth, shipmentId);
  return getSellerOrder(deps, auth, so.id);
}

export async function recordCashCollected(deps: Deps, auth: Principal, id: string, input: CashCollectedInput): Promise<SellerOrder> {
  await collectCash(deps, auth, id, input);
  return getSellerOrder(deps, auth, id);
}
