/**
 * The local stack's model of the distance between the Worker and the hosted
 * services it calls. Locally every service is on the same machine, so every
 * call is free; in production each one crosses a network (a Cloudflare colo in
 * Tashkent to a Neon region in Europe). Each stand-in (the Neon WebSocket proxy
 * and HTTP SQL endpoint, the Upstash endpoint, the Stripe, Payme and Click
 * stand-ins) passes every message through `network.cross(kind)`, which counts
 * it and holds it for the kind's one-way delay. The bench sets the delays from
 * a latency profile (`--latency postgres=45,redis=45`) and reads the counters
 * to report network calls per request by kind.
 *
 * Dev tooling only: the stack runs in one Node process (dev, tests, bench), so
 * one module-level instance serves every stand-in.
 */
export const SERVICE_KINDS = ['postgres', 'redis', 'stripe', 'payme', 'click', 'email'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export type Counts = Record<ServiceKind, number>;

const zero = (): Counts => Object.fromEntries(SERVICE_KINDS.map((k) => [k, 0])) as Counts;

export class Network {
  #delays: Counts = zero();
  #calls: Counts = zero();

  /** Sets the one-way delay of a kind, in milliseconds (0: none). */
  setDelay(kind: ServiceKind, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`delay of ${kind} must be a non-negative number of ms, got ${ms}`);
    this.#delays[kind] = ms;
  }

  delayOf(kind: ServiceKind): number {
    return this.#delays[kind];
  }

  /** Counts one call (a request, or a client message on a socket) of `kind`; no delay. */
  count(kind: ServiceKind): void {
    this.#calls[kind]++;
  }

  /** Waits the kind's one-way delay (resolves at once when it is 0). */
  wait(kind: ServiceKind): Promise<void> {
    const ms = this.#delays[kind];
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }

  /** Counts one call of `kind` and waits its one-way delay. */
  cross(kind: ServiceKind): Promise<void> {
    this.count(kind);
    return this.wait(kind);
  }

  /** The calls counted so far, by kind (a copy). */
  snapshot(): Counts {
    return { ...this.#calls };
  }

  /** Calls by kind between two snapshots. */
  static diff(after: Counts, before: Counts): Counts {
    return Object.fromEntries(SERVICE_KINDS.map((k) => [k, after[k] - before[k]])) as Counts;
  }
}

/** The stack's one instance (dev tooling runs the whole stack in one process). */
export const network = new Network();
