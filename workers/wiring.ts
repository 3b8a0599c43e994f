import type { DepsWiring } from '../shared/context';
import { postLedger } from './ledger/public';
import { applyPaymentState, receiptOf } from './orders/public';
import { paymentProviders } from './payments/public';

/**
 * How domains reach each other without importing each other, handed to every
 * `Deps` the Worker builds (requests, cron, queue consumers): payments apply
 * a provider's state through the orders domain's handler (DESIGN §7); orders
 * and payments book ledger entries through the ledger's `postLedger`; payments
 * read an order's fiscal receipt data through the orders domain's `receiptOf`.
 */
export const WIRING: DepsWiring = { applyPaymentState, postLedger, paymentProviders, receiptOf };
