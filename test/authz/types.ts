import type { TestUser } from '../support/users';
import type { Fixtures, Makers } from './fixtures';

/**
 * The callers of the authorization matrix. Resources are owned by `customer`
 * (customer A: orders, payments, addresses, cart lines) or by `seller`
 * (seller A: products, their stock, and the lines of A's orders that are its
 * products); the other actors are relative to those owners.
 */
export const ACTORS = ['anonymous', 'customer', 'otherCustomer', 'seller', 'otherSeller', 'admin', 'disabled'] as const;
export type Actor = (typeof ACTORS)[number];

/**
 * The exact status an actor gets. 401/403/404 are the authorisation answers
 * (their problem `code` is checked too); anything else means authorisation
 * passed and the fixture state decided the rest (200, 201, 204, 409, …).
 */
export type Outcome = 200 | 201 | 202 | 204 | 401 | 403 | 404 | 409;
export type Outcomes = Record<Actor, Outcome>;

/** What the runner sends: path parameters fill the `{name}` holes of the table key. */
export interface RequestSpec {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** A body sent exactly as given (as JSON), for signed payloads. */
  raw?: string;
  /** A multipart body (uploads). */
  form?: FormData;
  headers?: Record<string, string>;
}

export interface CaseContext {
  actor: Actor;
  /** The acting user (undefined for `anonymous`). */
  user: TestUser | undefined;
  fx: Fixtures;
  /** Fresh resources for cases that change or consume them. */
  make: Makers;
  /**
   * The case expects 401/403/404: a correct app changes nothing, so it may act
   * on a shared fixture instead of a fresh resource (a wrong app fails the case anyway).
   */
  denied: boolean;
}

export interface AccessEntry {
  /** Names the scenario when an operation has several (e.g. a public and a private file). */
  scenario?: string;
  /** Builds the request; called once per actor, so a factory that creates resources gives each case its own. */
  request: (c: CaseContext) => RequestSpec | Promise<RequestSpec>;
  expect: Outcomes;
  /**
   * `throwaway`: the actor is a new user of the same role (for routes that end
   * the caller's own sessions: logout, change-password). `disabled` and
   * `anonymous` are unchanged.
   */
  acting?: 'fixture' | 'throwaway';
  /** Why the outcomes are what they are, where the presets do not say it. */
  note?: string;
}

/** Keyed by `"METHOD /path/{param}"` exactly as in /openapi.json; several scenarios where one cannot show the rule. */
export type AccessTable = Record<string, AccessEntry | AccessEntry[]>;

export const scenariosOf = (entry: AccessEntry | AccessEntry[]): AccessEntry[] => (Array.isArray(entry) ? entry : [entry]);

// ---------------------------------------------------------------------------
// Presets: each expands to all seven outcomes, so an entry reads as one line.

const all = (o: Outcome): Outcomes => ({
  anonymous: o,
  customer: o,
  otherCustomer: o,
  seller: o,
  otherSeller: o,
  admin: o,
  disabled: o,
});

/** The route reads no credentials at all: every caller, even a revoked token, gets `ok`. */
export const open = (ok: Outcome): Outcomes => all(ok);

/** Public, but a token that is sent must be valid (optionalAuth): a revoked one is 401. */
export const publicRead = (ok: Outcome): Outcomes => ({ ...all(ok), disabled: 401 });

/** Any signed-in user acting on its own things (its profile, cart, list). */
export const signedIn = (ok: Outcome): Outcomes => ({ ...all(ok), anonymous: 401, disabled: 401 });

/** Only an admin: every other valid user is 403. */
export const adminOnly = (ok: Outcome): Outcomes => ({ ...all(403), admin: ok, anonymous: 401, disabled: 401 });

/** Sellers and admins (a seller sees only its own data); customers are 403. */
export const sellersAndAdmin = (ok: Outcome): Outcomes => ({
  ...signedIn(ok),
  customer: 403,
  otherCustomer: 403,
});

/** A resource of customer A (or of seller A, with `by: 'seller'`): its owner and an admin pass, everyone else gets 404. */
export const ownerOnly = (ok: Outcome, by: 'customer' | 'seller' = 'customer'): Outcomes => ({
  ...signedIn(404),
  [by]: ok,
  admin: ok,
});

/** A product (or SKU) of seller A: customers 403 (wrong role), the other seller 404, owner and admin `ok`. */
export const sellerOwned = (ok: Outcome): Outcomes => ({
  ...signedIn(404),
  customer: 403,
  otherCustomer: 403,
  seller: ok,
  admin: ok,
});

/** Starts from a preset and changes some actors. */
export const outcomes = (base: Outcomes, changes: Partial<Outcomes>): Outcomes => ({ ...base, ...changes });
