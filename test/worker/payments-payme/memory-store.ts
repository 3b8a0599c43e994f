import type { Decision, PaymeOrder, PaymeStore, PaymeTransaction } from '../../../workers/payments/payme/merchant';
import type { PaymeDetail } from '../../../workers/payments/payme/detail';

/** A PaymeStore in memory: the protocol's state machine without a database. */
export class MemoryStore implements PaymeStore {
  orders = new Map<string, PaymeOrder>();
  transactions = new Map<string, PaymeTransaction>();
  #next = 1;

  async order(orderId: string) {
    return this.orders.get(orderId);
  }
  async transaction(externalId: string) {
    const t = this.transactions.get(externalId);
    return t && { ...t };
  }
  async pendingFor(orderId: string) {
    return [...this.transactions.values()].find((t) => t.orderId === orderId && t.state === 1);
  }
  async insert(t: Omit<PaymeTransaction, 'id'>) {
    if (this.transactions.has(t.externalId)) return 'exists' as const;
    if (await this.pendingFor(t.orderId)) return 'pending' as const;
    const row = { ...t, id: String(this.#next++) };
    this.transactions.set(t.externalId, row);
    return { ...row };
  }
  async move(externalId: string, decide: (t: PaymeTransaction, order: PaymeOrder | undefined) => Decision) {
    const t = this.transactions.get(externalId);
    if (!t) return undefined;
    const { change } = decide({ ...t }, this.orders.get(t.orderId));
    if (change) Object.assign(t, change);
    return { ...t };
  }
  async statement(from: number, to: number) {
    return [...this.transactions.values()].filter((t) => t.providerTime >= from && t.providerTime <= to).sort((a, b) => a.providerTime - b.providerTime);
  }
  async detail(): Promise<PaymeDetail> {
    return { receipt_type: 0, items: [] };
  }
}
