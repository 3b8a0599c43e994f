import type { DepsWiring } from '../../shared/context';
import { cashGateway } from './cash';
import { localGateway } from './local-gateway';

/**
 * The providers whose payments live in our own tables, by name
 * (docs/payments-uzbekistan.md). Stripe's gateway is built from the config
 * alone (shared/payments); these are built from a request's `Deps`.
 */
export const paymentProviders: NonNullable<DepsWiring['paymentProviders']> = {
  payme: (deps) => localGateway(deps, 'payme'),
  click: (deps) => localGateway(deps, 'click'),
  cash: (deps) => cashGateway(deps),
};
