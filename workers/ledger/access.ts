import type { Principal } from '../../shared/context';
import { Forbidden, NotFound } from '../../shared/errors';

/**
 * Whose ledger a caller reads: a seller only its own (naming another seller
 * is a 404, never revealing it exists); an admin the seller it names, or
 * every seller when it names none. Customers have no ledger.
 */
export function ledgerScope(auth: Principal, sellerId: string | undefined): string | undefined {
  if (auth.role === 'admin') return sellerId;
  if (auth.role !== 'seller') throw new Forbidden('Only sellers and admins have a ledger.');
  if (sellerId && sellerId !== auth.userId) throw new NotFound('seller', sellerId);
  return auth.userId;
}

export function assertAdmin(auth: Principal, what: string): void {
  if (auth.role !== 'admin') throw new Forbidden(`Only an admin ${what}.`);
}
