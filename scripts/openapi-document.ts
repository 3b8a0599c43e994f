/**
 * Writes the API's OpenAPI document (what GET /openapi.json answers) to a file,
 * without starting anything: `npm run spec` → .data/openapi.json, or
 * `tsx scripts/openapi-document.ts <path>`. The spec lint and the typed client
 * are built from it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createApp } from '../workers/app';

/** Enough configuration for the routes that touch no dependency (the document itself). */
const env = {
  APP_ENV: 'test',
  LOG_LEVEL: 'warn',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused',
  UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1',
  UPSTASH_REDIS_REST_TOKEN: 'unused',
  JWT_SECRET: 'x'.repeat(32),
};
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };

export async function openApiDocument(): Promise<unknown> {
  const res = await createApp().request('/openapi.json', {}, env, ctx as never);
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}: ${await res.text()}`);
  return res.json();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = resolve(process.argv[2] ?? '.data/openapi.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
  console.log(`OpenAPI document written to ${out}`);
}
