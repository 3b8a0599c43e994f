/**
 * The calling side of a local Payme: drives a merchant's Merchant API
 * endpoint exactly as Payme Business does (JSON-RPC 2.0 POSTs with Basic auth
 * `Paycom:<key>`), including what Payme's own sandbox checks
 * (https://developer.help.paycom.uz/pesochnitsa/): the documented call
 * sequence, repeats of a call whose answer was lost, cancellation on timeout,
 * refunds, and negative checks (wrong key, wrong amount, unknown account).
 * Pure `fetch`, so the Worker tests can use it with their own fetch.
 * Dev/test tooling only: never import it from Worker code.
 */

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface RpcError {
  code: number;
  message: { uz: string; ru: string; en: string } | string;
  data?: unknown;
}

export interface RpcReply {
  id: number | string | null;
  result?: Record<string, unknown>;
  error?: RpcError;
  /** The HTTP status (Payme expects 200 always). */
  status: number;
}

export interface PaymeClientOptions {
  endpoint: string;
  key: string;
  accountField?: string;
  fetch?: Fetch;
  /** Payme's clock (CreateTransaction's `time`); the tests move it. */
  now?: () => number;
}

/** A Payme transaction id: 24 hexadecimal characters, like Payme's own. */
export function paymeTransactionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface NegativeCheck {
  name: string;
  expected: string;
  got: number | null;
  ok: boolean;
}

export class PaymeClient {
  readonly accountField: string;
  #nextId = 1;

  constructor(readonly options: PaymeClientOptions) {
    this.accountField = options.accountField ?? 'order_id';
  }

  get now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** One JSON-RPC call; `key` overrides the merchant key (a wrong key must answer -32504). */
  async rpc(method: string, params: unknown, options: { key?: string | null; id?: number; raw?: string } = {}): Promise<RpcReply> {
    const key = options.key === undefined ? this.options.key : options.key;
    const id = options.id ?? this.#nextId++;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) headers.authorization = `Basic ${btoa(`Paycom:${key}`)}`;
    const body = options.raw ?? JSON.stringify({ jsonrpc: '2.0', id, method, params });
    const res = await (this.options.fetch ?? fetch)(this.options.endpoint, { method: 'POST', headers, body });
    const text = await res.text();
    let parsed: Partial<RpcReply>;
    try {
      parsed = JSON.parse(text) as Partial<RpcReply>;
    } catch {
      parsed = { error: { code: 0, message: `not JSON (HTTP ${res.status}): ${text.slice(0, 200)}` } };
    }
    return { id: parsed.id ?? null, result: parsed.result, error: parsed.error, status: res.status };
  }

  account(orderId: string): Record<string, string> {
    return { [this.accountField]: orderId };
  }

  checkPerform(orderId: string, amount: number) {
    return this.rpc('CheckPerformTransaction', { amount, account: this.account(orderId) });
  }

  create(orderId: string, amount: number, id = paymeTransactionId(), time = this.now) {
    return this.rpc('CreateTransaction', { id, time, amount, account: this.account(orderId) });
  }

  perform(id: string) {
    return this.rpc('PerformTransaction', { id });
  }

  /** Reasons: 1 receiver not found, 2 debit failed, 3 transaction failed, 4 timeout, 5 refund, 10 unknown. */
  cancel(id: string, reason: number) {
    return this.rpc('CancelTransaction', { id, reason });
  }

  check(id: string) {
    return this.rpc('CheckTransaction', { id });
  }

  statement(from: number, to: number) {
    return this.rpc('GetStatement', { from, to });
  }

  /** Payme's sequence for a payment: CheckPerformTransaction → CreateTransaction → PerformTransaction. Stops at the first error. */
  async pay(orderId: string, amount: number, id = paymeTransactionId()): Promise<{ id: string; replies: RpcReply[]; ok: boolean }> {
    const replies: RpcReply[] = [];
    for (const step of [() => this.checkPerform(orderId, amount), () => this.create(orderId, amount, id), () => this.perform(id)]) {
      const reply = await step();
      replies.push(reply);
      if (reply.error) return { id, replies, ok: false };
    }
    return { id, replies, ok: true };
  }

  /** A call whose answer was lost: Payme sends it again with the same id. Both answers are returned. */
  async repeated(method: string, params: unknown, times = 2): Promise<RpcReply[]> {
    const replies: RpcReply[] = [];
    for (let i = 0; i < times; i++) replies.push(await this.rpc(method, params));
    return replies;
  }

  /** Payme's timeout: 12 hours after creating a transaction it cancels it with reason 4. */
  timeoutCancel(id: string) {
    return this.cancel(id, 4);
  }

  /** A refund from the Payme Business cabinet: CancelTransaction of a performed transaction, reason 5. */
  refund(id: string) {
    return this.cancel(id, 5);
  }

  /** The sandbox's negative checks against an order that can be paid for `amount`. */
  async negativeChecks(orderId: string, amount: number): Promise<NegativeCheck[]> {
    const within = (code: number | null, lo: number, hi: number) => code !== null && code >= lo && code <= hi;
    const code = (r: RpcReply) => r.error?.code ?? null;
    const unknownOrder = '00000000-0000-4000-8000-000000000000';
    const checks: Array<[string, string, () => Promise<RpcReply>, (c: number | null) => boolean]> = [
      ['wrong key', '-32504', () => this.rpc('CheckPerformTransaction', { amount, account: this.account(orderId) }, { key: 'wrong-key' }), (c) => c === -32504],
      ['no credentials', '-32504', () => this.rpc('CheckPerformTransaction', { amount, account: this.account(orderId) }, { key: null }), (c) => c === -32504],
      ['wrong amount', '-31001', () => this.checkPerform(orderId, amount + 100), (c) => c === -31001],
      ['unknown account', '-31050…-31099', () => this.checkPerform(unknownOrder, amount), (c) => within(c, -31099, -31050)],
      ['create with wrong amount', '-31001', () => this.create(orderId, amount + 100), (c) => c === -31001],
      ['create for unknown account', '-31050…-31099', () => this.create(unknownOrder, amount), (c) => within(c, -31099, -31050)],
      ['perform unknown transaction', '-31003', () => this.perform(paymeTransactionId()), (c) => c === -31003],
      ['cancel unknown transaction', '-31003', () => this.cancel(paymeTransactionId(), 1), (c) => c === -31003],
      ['check unknown transaction', '-31003', () => this.check(paymeTransactionId()), (c) => c === -31003],
      ['unknown method', '-32601', () => this.rpc('ChargeEverything', {}), (c) => c === -32601],
      ['not JSON', '-32700', () => this.rpc('', null, { raw: '{"method":' }), (c) => c === -32700],
    ];
    const out: NegativeCheck[] = [];
    for (const [name, expected, run, ok] of checks) {
      const reply = await run();
      out.push({ name, expected, got: code(reply), ok: ok(code(reply)) && reply.status === 200 });
    }
    return out;
  }
}
