import { SELF } from 'cloudflare:test';
import { changedTables, type Fingerprinter, settle } from './fingerprint';
import type { Rng } from './generate';
import { RAW_MARKER } from './hostile';
import { baseDraft, type Draft, MUTATORS, type MutationContext, preview, type Role } from './mutate';
import { type createOracle, type Operation, routeOf } from './spec';

const ORIGIN = 'http://api.test';

export interface Failure {
  operation: string;
  index: number;
  kind: string;
  role: Role;
  request: string;
  status: number;
  response: string;
  failures: string[];
}

export interface Stats {
  requests: number;
  unsendable: number;
  dbChecks: number;
  byStatus: Record<string, number>;
  byKind: Record<string, number>;
  /** Where the time went: in the Worker, and in database fingerprints. */
  fetchMs: number;
  fingerprintMs: number;
}

/** A payment provider's own error answer (HTTP 200): JSON-RPC `"error":{…}` or Click's `"error":-N`. */
const PROVIDER_REFUSAL = /"error"\s*:\s*(\{|-[1-9])/;

export const newStats = (): Stats => ({ requests: 0, unsendable: 0, dbChecks: 0, byStatus: {}, byKind: {}, fetchMs: 0, fingerprintMs: 0 });

/** The signature part of a JWT changed, so it no longer verifies. */
const tamper = (token: string) => `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;

/** The Request a draft describes; throws when fetch itself refuses it (a client could not send it either). */
export function toRequest(operation: Operation, draft: Draft, token: string | undefined): Request {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const p = draft.path[name];
    return p?.raw ? p.value : encodeURIComponent(p?.value ?? '');
  });
  const query = draft.query.length ? `?${new URLSearchParams(draft.query).toString()}` : '';
  const headers = new Headers();
  for (const [name, value] of Object.entries(draft.headers)) headers.set(name, value);
  const auth = draft.auth === 'TAMPER' ? (token ? `Bearer ${tamper(token)}` : 'Bearer x.y.z') : (draft.auth ?? (token ? `Bearer ${token}` : undefined));
  if (auth !== undefined) headers.set('authorization', auth);
  let body = operation.method === 'GET' ? undefined : draft.body;
  if (body === undefined && draft.json !== undefined && operation.method !== 'GET') body = JSON.stringify(draft.json).replace(RAW_MARKER, '$1');
  if (draft.contentType && draft.contentType !== 'none') headers.set('content-type', draft.contentType);
  else if (!draft.contentType && typeof body === 'string') headers.set('content-type', 'application/json');
  return new Request(`${ORIGIN}${path}${query}`, { method: operation.method, headers, body });
}

function summarise(request: Request, draft: Draft): string {
  const url = request.url.length > 200 ? `${request.url.slice(0, 180)}… (${request.url.length} chars)` : request.url;
  const body = draft.body instanceof FormData ? 'multipart' : draft.body !== undefined ? preview(typeof draft.body === 'string' ? draft.body : '<bytes>') : preview(draft.json);
  return `${request.method} ${url} as ${draft.role} [${draft.kind}${draft.note ? `: ${draft.note}` : ''}] content-type=${request.headers.get('content-type') ?? '-'} body=${body}`;
}

function pickKind(operation: Operation, rng: Rng): string {
  const kinds = Object.entries(MUTATORS).filter(([, m]) => !m.applies || m.applies(operation));
  let roll = rng.next() * kinds.reduce((sum, [, m]) => sum + m.weight, 0);
  for (const [kind, m] of kinds) if ((roll -= m.weight) < 0) return kind;
  return 'valid';
}

export interface RunOptions {
  operation: Operation;
  operations: Operation[];
  oracle: ReturnType<typeof createOracle>;
  context: MutationContext;
  tokens: () => Record<Role, string | undefined>;
  fingerprinter: Fingerprinter;
  rng: Rng;
  count: number;
  stats: Stats;
}

/**
 * Sends `count` generated-then-broken requests to one operation. After each
 * rejected one the database fingerprint must equal the one before it; after
 * an accepted one the fingerprint is taken again (once deferred work settled).
 */
export async function fuzzOperation(o: RunOptions): Promise<Failure[]> {
  const failures: Failure[] = [];
  const fp = o.fingerprinter;
  // Clock first, then the fingerprint: a write landing in between makes the next check do the full comparison.
  let clock = await fp.clock();
  let baseline = await fp.take();
  for (let index = 0; index < o.count; index++) {
    const role = o.rng.pick<Role>(['anonymous', 'customer', 'seller', 'admin']);
    const kind = pickKind(o.operation, o.rng);
    const draft = baseDraft(o.operation, o.rng, o.context, role);
    draft.kind = kind;
    MUTATORS[kind]?.mutate(draft, o.operation, o.rng, o.context);
    let request: Request;
    try {
      request = toRequest(o.operation, draft, o.tokens()[role]);
    } catch {
      o.stats.unsendable++;
      continue;
    }
    const summary = summarise(request, draft);
    const started = Date.now();
    const res = await SELF.fetch(request);
    const text = await res.text();
    const answered = Date.now();
    o.stats.fetchMs += answered - started;
    o.stats.requests++;
    o.stats.byStatus[res.status] = (o.stats.byStatus[res.status] ?? 0) + 1;
    o.stats.byKind[kind] = (o.stats.byKind[kind] ?? 0) + 1;
    const verdict = o.oracle.check(routeOf(o.operations, request.method, request.url), res, text);
    // Payme and Click answer a refused call with HTTP 200 and an error in the body (JSON-RPC's
    // `error` object, Click's negative `error`): for the database check it is a rejection.
    const refusedInBody = res.status === 200 && PROVIDER_REFUSAL.test(text);
    if (res.status >= 200 && res.status < 300 && !refusedInBody) {
      // Accepted: whatever it wrote is the new baseline (after a write, once its deferred work has landed).
      const now = await fp.clock();
      if (request.method !== 'GET') [clock, baseline] = [now, await settle(fp)];
      else if (now !== clock) [clock, baseline] = [now, await fp.take()];
    } else {
      o.stats.dbChecks++;
      const now = await fp.clock();
      if (now !== clock) {
        const after = await fp.take();
        const changed = changedTables(baseline, after);
        if (changed.length) verdict.failures.push(`rejected with ${res.status} but changed the database: ${changed.join(', ')}`);
        [clock, baseline] = [now, after];
      }
    }
    o.stats.fingerprintMs += Date.now() - answered;
    if (verdict.failures.length) {
      failures.push({ operation: o.operation.id, index, kind, role, request: summary, status: res.status, response: text.slice(0, 400), failures: verdict.failures });
    }
  }
  return failures;
}
