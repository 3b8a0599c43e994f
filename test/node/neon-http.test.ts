import { randomUUID } from 'node:crypto';
import { neon, neonConfig, type NeonDbError } from '@neondatabase/serverless';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNeonHttp, type NeonHttpHandle } from '../../scripts/stack/neon-http';
import { network } from '../../scripts/stack/network';
import { LOSE_ANSWER_MARKER } from '../../scripts/stack/ws-proxy';
import { createScratchDatabase, startEmbeddedPostgres, type PostgresHandle } from '../../scripts/stack/postgres';
import { isDatabaseUnavailable, isUniqueViolation, sqlState } from '../../shared/db/errors';

/**
 * The local Neon HTTP SQL endpoint, driven by the real driver's `neon()` (the
 * function drizzle-orm/neon-http sends every statement through), in front of
 * embedded PGlite and, when one answers, a real PostgreSQL (a scratch database
 * on TEST_DATABASE_URL's server, or the local one).
 */
const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const BACKENDS: Array<[string, () => Promise<PostgresHandle>]> = [['PGlite', () => startEmbeddedPostgres()]];
if (await postgresReachable(POSTGRES_URL)) BACKENDS.push(['PostgreSQL', () => createScratchDatabase(POSTGRES_URL, 'neon_http_test')]);

let postgres: PostgresHandle;
let endpoint: NeonHttpHandle;
const table = `neon_http_${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  endpoint = await startNeonHttp();
  // What shared/db/client.ts does with NEON_HTTP_ENDPOINT.
  neonConfig.fetchEndpoint = endpoint.url;
});

afterAll(async () => {
  await endpoint?.close();
});

/** The driver's error, to read its fields. */
async function failure(promise: Promise<unknown>): Promise<NeonDbError> {
  try {
    await promise;
  } catch (err) {
    return err as NeonDbError;
  }
  throw new Error('expected the query to fail');
}

describe.each(BACKENDS)('Neon HTTP SQL endpoint in front of %s', (_name, start) => {
  beforeAll(async () => {
    postgres = await start();
    await neon(postgres.url).query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text NOT NULL, at timestamptz, tags text[], data jsonb)`);
  }, 60_000);

  afterAll(async () => {
    await endpoint.close();
    await postgres?.close();
    // The next backend gets an endpoint without the previous one's pooled connections.
    endpoint = await startNeonHttp();
    neonConfig.fetchEndpoint = endpoint.url;
  });

  it('answers a query, parsed by type as over the WebSocket', async () => {
    const sql = neon(postgres.url);
    const rows = await sql.query('SELECT 1::int AS one, 2::bigint AS two, true AS yes, NULL::text AS nothing, \'{"a":1}\'::jsonb AS doc');
    expect(rows).toEqual([{ one: 1, two: '2', yes: true, nothing: null, doc: { a: 1 } }]);
  });

  it('binds parameters (text, numbers, arrays, json, dates) and reports the command and row count', async () => {
    const sql = neon(postgres.url, { fullResults: true });
    const inserted = await sql.query(`INSERT INTO ${table} (id, name, at, tags, data) VALUES ($1, $2, $3, $4, $5) RETURNING id, name, tags, data`, [
      1,
      "O'Brien",
      new Date('2026-01-02T03:04:05Z'),
      ['a', 'b,c'],
      JSON.stringify({ k: [1, 2] }),
    ]);
    expect(inserted.command).toBe('INSERT');
    expect(inserted.rowCount).toBe(1);
    expect(inserted.rows).toEqual([{ id: 1, name: "O'Brien", tags: ['a', 'b,c'], data: { k: [1, 2] } }]);
    expect(inserted.fields.map((f) => [f.name, f.dataTypeID])).toEqual([['id', 23], ['name', 25], ['tags', 1009], ['data', 3802]]);

    const arrays = neon(postgres.url, { arrayMode: true });
    expect(await arrays.query(`SELECT id, name FROM ${table} WHERE id = $1`, [1])).toEqual([[1, "O'Brien"]]);
    const tagged = await neon(postgres.url)`SELECT name FROM ${neon(postgres.url).unsafe(table)} WHERE at = ${new Date('2026-01-02T03:04:05Z')}`;
    expect(tagged).toEqual([{ name: "O'Brien" }]);
  });

  it('runs a batch in one transaction and answers every result', async () => {
    const sql = neon(postgres.url);
    const [, , count] = await sql.transaction(
      [
        sql.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, [10, 'ten']),
        sql.query(`UPDATE ${table} SET name = $1 WHERE id = $2`, ['TEN', 10]),
        sql.query(`SELECT count(*)::int AS n FROM ${table} WHERE name = $1`, ['TEN']),
      ],
      { isolationLevel: 'Serializable', readOnly: false, deferrable: false },
    );
    expect(count).toEqual([{ n: 1 }]);
  });

  it('rolls the whole batch back when one statement fails, with the failing statement\'s SQLSTATE', async () => {
    const sql = neon(postgres.url);
    const err = await failure(
      sql.transaction([
        sql.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, [20, 'twenty']),
        sql.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, [1, 'duplicate']),
      ]),
    );
    expect(err.code).toBe('23505');
    expect(await sql.query(`SELECT id FROM ${table} WHERE id = 20`)).toEqual([]);
  });

  it('a read-only batch refuses to write', async () => {
    const sql = neon(postgres.url);
    const err = await failure(sql.transaction([sql.query(`INSERT INTO ${table} (id, name) VALUES (30, 'x')`)], { readOnly: true }));
    expect(err.code).toBe('25006');
  });

  it('answers a Postgres error with its fields, which our error checks read', async () => {
    const sql = neon(postgres.url);
    const err = await failure(sql.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, [1, 'again']));
    expect(err.name).toBe('NeonDbError');
    expect(err).toMatchObject({ code: '23505', constraint: `${table}_pkey`, table, severity: 'ERROR' });
    expect(err.detail).toContain('(id)=(1)');
    expect(isUniqueViolation(err)).toBe(true);
    expect(isDatabaseUnavailable(err)).toBe(false);
    expect(sqlState(await failure(sql.query('SELEC 1')))).toBe('42601');
  });

  it('a connection string to a Postgres that is not there: a connection error (SQLSTATE class 08)', async () => {
    const sql = neon('postgresql://postgres@127.0.0.1:9/none');
    const err = await failure(sql.query('SELECT 1'));
    expect(err.code).toBe('08001');
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it('refuses a request with no, or a malformed, connection string', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(endpoint.url, { method: 'POST', headers, body: JSON.stringify({ query: 'SELECT 1', params: [] }) });
    const missing = await post({});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ message: 'missing Neon-Connection-String header' });
    const wrong = await post({ 'Neon-Connection-String': 'mysql://root@localhost/db' });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { message: string }).message).toMatch(/postgresql:\/\/user@host\/database/);
    const notJson = await fetch(endpoint.url, { method: 'POST', headers: { 'Neon-Connection-String': postgres.url }, body: 'SELECT 1' });
    expect(notJson.status).toBe(400);
    expect((await fetch(endpoint.url.replace('/sql', '/other'), { method: 'POST' })).status).toBe(404);
  });

  it('with loseMarkedAnswers, a marked statement commits but its answer never arrives: a connection error, no SQLSTATE', async () => {
    const lossy = await startNeonHttp({ loseMarkedAnswers: true });
    try {
      neonConfig.fetchEndpoint = lossy.url;
      const err = await failure(neon(postgres.url).query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, [40, LOSE_ANSWER_MARKER]));
      expect(sqlState(err)).toBeUndefined();
      expect(isDatabaseUnavailable(err)).toBe(true);
      // Unmarked statements are answered.
      expect(await neon(postgres.url).query(`SELECT name FROM ${table} WHERE id = 40`)).toEqual([{ name: LOSE_ANSWER_MARKER }]);
    } finally {
      neonConfig.fetchEndpoint = endpoint.url;
      await lossy.close();
    }
  });

  it('crosses the network model once with the request and once with the answer', async () => {
    const before = network.snapshot();
    await neon(postgres.url).query('SELECT 1');
    const sql = neon(postgres.url);
    await sql.transaction([sql.query('SELECT 1'), sql.query('SELECT 2')]);
    expect(network.snapshot().postgres - before.postgres).toBe(4);
  });
});
