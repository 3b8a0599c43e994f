import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
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
