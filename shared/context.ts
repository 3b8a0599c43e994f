import type { Redis } from '@upstash/redis';
import { createMiddleware } from 'hono/factory';
import { type Config, type Bindings, loadConfig } from './env';
import { createDatabase, type DatabaseHandle } from './db/client';
import { createLogger, type Logger } from './logger';
import { type PaymentGateway, type PaymentState, type ProviderName, PROVIDER_NAMES, paymentGatewayFor, providerOfPaymentId } from './payments';
import type { Receipt } from './payments/receipt';
import { createRedis } from './redis';

/**
 * The orders domain's "apply the provider's state" (DESIGN §7). The payments
 * domain calls it after a provider call or webhook and never imports orders:
 * the composition root (`workers/app.ts`) hands it in.
 */
export type ApplyPaymentState = (deps: Deps, payment: PaymentState, actor: string) => Promise<void>;

/**
 * The ledger's "bring this order's entries up to date" (workers/ledger): safe
 * to call any number of times; returns how many entries it added. Orders,
 * payments and returns call it through `Deps` without importing the ledger.
 */
export type PostLedger = (deps: Deps, orderId: string) => Promise<number>;

/** The orders domain's fiscal receipt data for an order (workers/orders/receipt.ts); undefined when there is no such order. */
export type ReceiptOf = (deps: Deps, orderId: string) => Promise<Receipt | undefined>;

/** A provider whose payments live in our own tables (Payme, Click, cash), built per request from its deps. */
export type GatewayFactory = (deps: Deps) => PaymentGateway;

/** What the composition root (or a test) wires into every request's dependencies. */
export interface DepsWiring {
  /** Stripe's gateway for a configuration; `paymentGatewayFor` unless a test picks another. */
  paymentGateway?: (config: Config) => PaymentGateway;
  /** The other providers' gateways (workers/payments), by name. */
  paymentProviders?: Partial<Record<Exclude<ProviderName, 'stripe'>, GatewayFactory>>;
  applyPaymentState?: ApplyPaymentState;
  postLedger?: PostLedger;
  receiptOf?: ReceiptOf;
}

/**
 * A request's dependencies. Built once per request by `dependencies()`, each
 * created only when first used: a route that never touches Postgres never
 * opens a socket to it.
 */
export class Deps {
  #db?: DatabaseHandle;
  #redis?: Redis;
  #gateway?: PaymentGateway;
  #gateways = new Map<ProviderName, PaymentGateway>();
  #deferred: Promise<unknown>[] = [];

  constructor(
    readonly config: Config,
    readonly env: Bindings,
    readonly logger: Logger,
    readonly wiring: DepsWiring = {},
  ) {}

  get database(): DatabaseHandle {
    this.#db ??= createDatabase(this.config);
    return this.#db;
  }

  get db() {
    return this.database.db;
  }

  get redis(): Redis {
    this.#redis ??= createRedis(this.config);
    return this.#redis;
  }

  /** Stripe's gateway (DESIGN §7: every provider call goes through a gateway). */
  get paymentGateway(): PaymentGateway {
    this.#gateway ??= (this.wiring.paymentGateway ?? paymentGatewayFor)(this.config);
    return this.#gateway;
  }

  /**
   * The gateway of a provider, named directly or by one of its payment ids
   * (`pi_…` is Stripe's, `payme_…`, `click_…`, `cash_…` the others'). A
   * provider this deployment has no implementation wired for is a
   * misconfiguration, reported by the call that needs it.
   */
  gatewayFor(providerOrPaymentId: string): PaymentGateway {
    const name = (PROVIDER_NAMES as readonly string[]).includes(providerOrPaymentId)
      ? (providerOrPaymentId as ProviderName)
      : providerOfPaymentId(providerOrPaymentId);
    if (name === 'stripe') return this.paymentGateway;
    let gateway = this.#gateways.get(name);
    if (!gateway) {
      const factory = this.wiring.paymentProviders?.[name];
      if (!factory) throw new Error(`The ${name} payment provider is not wired into Deps (see workers/wiring.ts)`);
      gateway = factory(this);
      this.#gateways.set(name, gateway);
    }
    return gateway;
  }

  /** The fiscal receipt data of an order (the orders domain's builder). */
  receiptOf(orderId: string): Promise<Receipt | undefined> {
    const build = this.wiring.receiptOf;
    if (!build) throw new Error('receiptOf is not wired into Deps (see workers/wiring.ts)');
    return build(this, orderId);
  }

  /** Brings the order a payment belongs to in line with the provider's state (the orders domain's handler). */
  applyPaymentState(payment: PaymentState, actor: string): Promise<void> {
    const apply = this.wiring.applyPaymentState;
    if (!apply) throw new Error('applyPaymentState is not wired into Deps (see workers/app.ts)');
    return apply(this, payment, actor);
  }

  /** Books an order's ledger entries from its facts (the ledger domain's handler); idempotent. */
  postLedger(orderId: string): Promise<number> {
    const post = this.wiring.postLedger;
    if (!post) throw new Error('postLedger is not wired into Deps (see workers/wiring.ts)');
    return post(this, orderId);
  }

  /** Round trips to Postgres made so far in this request. */
  get dbRoundTrips(): number {
    return this.#db?.roundTrips ?? 0;
  }

  /**
   * Work that must not delay the response (publishing events, cache writes).
   * It runs now, may still use this request's connections, and is awaited
   * before they close.
   */
  defer(task: () => Promise<unknown>): void {
    this.#deferred.push(
      task().catch((err: unknown) => this.logger.error('deferred task failed', { error: String(err) })),
    );
  }

  /** Closes what was opened once deferred work is done; called through `waitUntil`. */
  async dispose(): Promise<void> {
    await Promise.allSettled(this.#deferred);
    await this.#db?.close().catch(() => {});
  }
}

/** The authenticated caller, from a verified access token. */
export interface Principal {
  userId: string;
  role: 'customer' | 'seller' | 'admin';
  jti: string;
  sessionId: string;
  exp: number;
}

export interface Variables {
  requestId: string;
  logger: Logger;
  deps: Deps;
  /** Set by the auth middleware on authenticated routes. */
  auth?: Principal;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}

/**
 * Counts a request's Durable Object calls for the `X-Do-Calls` header
 * (EXPOSE_DB_METRICS): the Worker's view of a network call the local stack
 * cannot see, since the objects run inside workerd. `wrap` answers the
 * bindings with the CART and INVENTORY namespaces wrapped, so that every
 * method called on one of their stubs counts one call. Only `deps.env` is
 * wrapped: `c.env` keeps its identity, which loadConfig's per-isolate cache
 * is keyed on.
 */
class DurableObjectCalls {
  calls = 0;

  wrap(env: Bindings): Bindings {
    return { ...env, CART: this.#namespace(env.CART), INVENTORY: this.#namespace(env.INVENTORY) };
  }

  #namespace<N extends object>(namespace: N): N {
    return new Proxy(namespace, {
      get: (target, prop) => {
        const value: unknown = Reflect.get(target, prop);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (prop !== 'get' && prop !== 'getByName') return method.bind(target);
        return (...args: unknown[]) => this.#stub(Reflect.apply(method, target, args) as object);
      },
    });
  }

  #stub<S extends object>(stub: S): S {
    return new Proxy(stub, {
      get: (target, prop) => {
        const value: unknown = Reflect.get(target, prop);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        const method = value as (...args: unknown[]) => unknown;
        // Reflect.apply: an RPC method is a stub too, on which `.apply` would name a remote method.
        return (...args: unknown[]) => {
          this.calls++;
          return Reflect.apply(method, target, args);
        };
      },
    });
  }
}

/**
 * Validates the environment and builds dependencies whose log lines carry
 * `bound`; with EXPOSE_DB_METRICS, their bindings count Durable Object calls
 * into `doCalls`.
 */
function buildDeps(env: Bindings, bound: Record<string, unknown>, wiring?: DepsWiring, doCalls?: DurableObjectCalls): Deps {
  const config = loadConfig(env);
  const seen = doCalls && config.EXPOSE_DB_METRICS ? doCalls.wrap(env) : env;
  return new Deps(config, seen, createLogger(config.LOG_LEVEL, bound), wiring);
}

/**
 * Background work (queue consumers, cron jobs, Durable Object side work):
 * builds the dependencies, runs `task`, and closes them — after the deferred
 * work — whether it succeeded or threw.
 */
export async function runWithDeps<T>(
  env: Bindings,
  bound: Record<string, unknown>,
  task: (deps: Deps) => Promise<T>,
  wiring?: DepsWiring,
): Promise<T> {
  const deps = buildDeps(env, bound, wiring);
  try {
    return await task(deps);
  } finally {
    await deps.dispose();
  }
}

/**
 * Validates the environment and builds the request's dependencies; they are
 * closed through `waitUntil`, after the response.
 */
export const dependencies = (wiring?: DepsWiring) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const doCalls = new DurableObjectCalls();
    const deps = buildDeps(c.env, { requestId: c.get('requestId') }, wiring, doCalls);
    const config = deps.config;
    c.set('logger', deps.logger);
    c.set('deps', deps);
    try {
      await next();
    } finally {
      if (config.EXPOSE_DB_METRICS && deps.dbRoundTrips >= 0) {
        c.header('X-Db-Round-Trips', String(deps.dbRoundTrips));
      }
      if (config.EXPOSE_DB_METRICS) c.header('X-Do-Calls', String(doCalls.calls));
      c.executionCtx.waitUntil(deps.dispose());
    }
  });
