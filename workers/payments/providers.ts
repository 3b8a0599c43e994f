import type { DepsWiring } from '../../shared/context';
import { clickGateway } from './click/gateway';
import { cashGateway } from './cash';
import { paymeGateway } from './payme/gateway';

/**
 * The providers whose payments live in our own tables, by name
 * (docs/payments-uzbekistan.md). Stripe's gateway is built from the config
 * alone (shared/payments); these are built from a request's `Deps`.
 */
export const paymentProviders: NonNullable<DepsWiring['paymentProviders']> = {
  payme: (deps) => paymeGateway(deps),
  click: (deps) => clickGateway(deps),
  cash: (deps) => cashGateway(deps),
};
