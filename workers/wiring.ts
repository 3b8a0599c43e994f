import type { DepsWiring } from '../shared/context';
import { postLedger } from './ledger/public';
import { applyPaymentState } from './orders/public';
import { paymentProviders } from './payments/public';

/**
 * How domains reach each other without importing each other, handed to every
 * `Deps` the Worker builds (requests, cron, queue consumers): payments apply
 * a provider's state through the orders domain's handler (DESIGN §7); orders
 * and payments book ledger entries through the ledger's `postLedger`.
 */
export const WIRING: DepsWiring = { applyPaymentState, postLedger, paymentProviders };
