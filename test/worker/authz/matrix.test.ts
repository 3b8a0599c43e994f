import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/auth/tokens';
import { declaredOperations, type RouteContract } from '../../../shared/route';
import { createApp } from '../../../workers/app';
import { ACCESS_TABLE } from '../../authz/access-table';
import { buildFixtures, type Fixtures, type Makers, makers } from '../../authz/fixtures';
import { KNOWN_DEFECTS } from '../../authz/known-defects';
import { ACTORS, type AccessEntry, type Actor, type Outcome, type RequestSpec, scenariosOf } from '../../authz/types';
import { expectProblem } from '../../support/app';
import { createUser, type TestUser } from '../../support/users';

/**
 * The authorization matrix (docs/authorization.md): every operation of
 * /openapi.json × every actor, with the exact status each must get, from the
 * one table in test/authz/access-table.ts.
 */

const ORIGIN = 'http://api.test';
const PROBLEM_CODES: Partial<Record<Outcome, string>> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** One case per operation and scenario; labelled `"METHOD /path"` or `"METHOD /path (scenario)"` (KNOWN_DEFECTS uses the label). */
const CASES = Object.entries(ACCESS_TABLE).flatMap(([key, entries]) =>
  scenariosOf(entries).map((entry) => ({ key, label: entry.scenario ? `${key} (${entry.scenario})` : key, entry })),
);

async function specOperations(): Promise<string[]> {
  const res = await SELF.fetch(`${ORIGIN}/openapi.json`);
  expect(res.status).toBe(200);
  const doc = await res.json<{ paths: Record<string, Record<string, unknown>> }>();
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => METHODS.has(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}

function send(key: string, spec: RequestSpec, token: string | undefined): Promise<Response> {
  const [method, template] = key.split(' ') as [string, string];
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = spec.params?.[name];
    if (value === undefined) throw new Error(`${key}: the request factory gave no value for {${name}}`);
    return encodeURIComponent(value);
  });
  const query = spec.query ? `?${new URLSearchParams(spec.query)}` : '';
  const headers: Record<string, string> = { ...spec.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  const json = spec.raw ?? (spec.body === undefined ? undefined : JSON.stringify(spec.body));
  if (json !== undefined) headers['content-type'] = 'application/json';
  // A FormData body sets its own multipart Content-Type (with the boundary).
  const body = spec.form ?? json;
  return SELF.fetch(`${ORIGIN}${path}${query}`, { method, headers, body });
}

/** The role of each signed-in actor of the table. */
const ACTOR_ROLE: Record<Exclude<Actor, 'anonymous' | 'disabled'>, Role> = {
  customer: 'customer',
  otherCustomer: 'customer',
  seller: 'seller',
  otherSeller: 'seller',
  admin: 'admin',
};
const SIGNED_IN = Object.keys(ACTOR_ROLE) as (keyof typeof ACTOR_ROLE)[];

/** Where a route's declared contract (defineRoute) and its table entry disagree. */
function contractMismatches(key: string, contract: RouteContract, entries: AccessEntry[]): string[] {
  const found: string[] = [];
  for (const entry of entries) {
    const at = entry.scenario ? `${key} (${entry.scenario})` : key;
    const { anonymous, disabled } = entry.expect;
    if (contract.auth === 'required' && (anonymous !== 401 || disabled !== 401)) {
      found.push(`${at}: declared auth 'required', but the table lets anonymous (${anonymous}) or a revoked token (${disabled}) through`);
    }
    if (contract.auth === 'optional' && (anonymous === 401 || disabled !== 401)) {
      found.push(`${at}: declared auth 'optional': anonymous must pass (table: ${anonymous}) and a revoked token be 401 (table: ${disabled})`);
    }
    if (contract.auth === 'none' && disabled !== anonymous) {
      found.push(`${at}: declared auth 'none' (reads no token), but a revoked token gets ${disabled} and anonymous ${anonymous}`);
    }
    for (const actor of SIGNED_IN) {
      if (contract.roles && !contract.roles.includes(ACTOR_ROLE[actor]) && entry.expect[actor] !== 403) {
        found.push(`${at}: declared roles [${contract.roles.join(', ')}], but the table gives ${actor} ${entry.expect[actor]}, not 403`);
      }
    }
  }
  // The converse: a role refused (403) for all its actors in every scenario is a role the route should not let through.
  if (contract.auth === 'required') {
    const refused = [...new Set(Object.values(ACTOR_ROLE))].filter((role) =>
      SIGNED_IN.filter((a) => ACTOR_ROLE[a] === role).every((a) => entries.every((e) => e.expect[a] === 403)),
    );
    const letThrough = refused.filter((role) => !contract.roles || contract.roles.includes(role));
    if (letThrough.length) found.push(`${key}: the table refuses every ${letThrough.join(' and ')} (403), so declare roles without ${letThrough.join(', ')}`);
  }
  return found;
}

async function actingUser(entry: AccessEntry, actor: Actor, fx: Fixtures): Promise<TestUser | undefined> {
  if (actor === 'anonymous') return undefined;
  const user = fx.users[actor];
  // A revoked token stays revoked: the disabled actor is never replaced.
  if (entry.acting !== 'throwaway' || actor === 'disabled') return user;
  return createUser(user.role, `authz-${actor}`);
}

async function expectOutcome(key: string, actor: Actor, res: Response, expected: Outcome): Promise<void> {
  const code = PROBLEM_CODES[expected];
  if (code) {
    await expectProblem(res, expected, code);
    if (expected === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer');
    return;
  }
  const text = await res.text();
  expect(res.status, `${key} as ${actor}: ${text.slice(0, 500)}`).toBe(expected);
}

describe('the access table', () => {
  it('has an entry for every operation in /openapi.json, and none for an operation it no longer has', async () => {
    const spec = await specOperations();
    const missing = spec.filter((op) => !(op in ACCESS_TABLE));
    const stale = Object.keys(ACCESS_TABLE).filter((op) => !spec.includes(op));
    const report = [
      ...missing.map((op) => `no entry in test/authz/access-table.ts for ${op}`),
      ...stale.map((op) => `entry for ${op}, which /openapi.json does not have`),
    ];
    expect(report, report.join('\n')).toEqual([]);
  });

  it('agrees with every route\'s declared contract (auth, roles): the routes enforce what the table expects', () => {
    const declared = new Map(declaredOperations(createApp()).map((op) => [op.key, op.contract]));
    const report: string[] = [];
    for (const [key, entries] of Object.entries(ACCESS_TABLE)) {
      const contract = declared.get(key);
      if (!contract) {
        report.push(`${key} is not declared with defineRoute (shared/route.ts)`);
        continue;
      }
      report.push(...contractMismatches(key, contract, scenariosOf(entries)));
    }
    expect(report, report.join('\n')).toEqual([]);
    // Not vacuous: the table holds routes of every kind.
    const kinds = new Set([...declared.values()].map((c) => (c?.roles ? 'roles' : c?.auth)));
    expect([...kinds].sort()).toEqual(['none', 'optional', 'required', 'roles']);
  });

  it('keeps the rules: anonymous is never 403, a revoked token is 401 unless the route reads no credentials', () => {
    for (const [key, entries] of Object.entries(ACCESS_TABLE)) {
      for (const entry of scenariosOf(entries)) {
        expect(entry.expect.anonymous, key).not.toBe(403);
        if (entry.expect.disabled !== 401) expect(entry.expect.disabled, `${key}: a route that reads no token answers everyone alike`).toBe(entry.expect.anonymous);
      }
    }
    const labels = CASES.map((c) => c.label);
    for (const [key, actors] of Object.entries(KNOWN_DEFECTS)) {
      expect(labels, `known defect for a case the table does not have: ${key}`).toContain(key);
      for (const reason of Object.values(actors)) expect(reason, key).toMatch(/\S{10}/);
    }
  });
});

describe('authorization matrix', () => {
  let fx: Fixtures;
  let make: Makers;

  beforeAll(async () => {
    fx = await buildFixtures();
    make = makers(fx);
  }, 240_000);

  for (const { key, label, entry } of CASES) {
    describe(label, () => {
      for (const actor of ACTORS) {
        const expected = entry.expect[actor];
        const defect = KNOWN_DEFECTS[label]?.[actor];
        const test = defect ? it.fails : it;
        test(`${actor} → ${expected}${defect ? ` (KNOWN DEFECT: ${defect})` : ''}`, { timeout: 60_000 }, async () => {
          const user = await actingUser(entry, actor, fx);
          const spec = await entry.request({ actor, user, fx, make, denied: expected in PROBLEM_CODES });
          await expectOutcome(key, actor, await send(key, spec, user?.accessToken), expected);
        });
      }
    });
  }
});
