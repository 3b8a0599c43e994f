import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoImages } from '../../scripts/stack/demo-images';
import { startStack, type Stack } from '../../scripts/stack/index';
import { startWorkerRunner, type WorkerRunner } from '../../scripts/stack/workerd-runner';

/**
 * README's shell blocks, run as pasted against the running Worker on a seeded
 * local stack. A block runs when the line before its fence is
 * `<!-- README test: run -->`, optionally with `expect /regex/` (its output
 * must match). `127.0.0.1:8787` and `localhost:8787` are pointed at this
 * Worker; nothing else is changed.
 */
const MARKER = /^<!-- README test: run(?:, expect \/(.+)\/)? -->$/;

export interface Snippet {
  heading: string;
  line: number;
  script: string;
  expect?: RegExp;
}

export function runnableSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('#')) heading = line.replace(/^#+\s*/, '');
    const marker = MARKER.exec(line.trim());
    if (!marker) continue;
    if (lines[i + 1] !== '```sh') throw new Error(`README line ${i + 1}: the marker must sit right above a \`\`\`sh block`);
    const end = lines.indexOf('```', i + 2);
    snippets.push({ heading, line: i + 2, script: lines.slice(i + 2, end).join('\n'), ...(marker[1] ? { expect: new RegExp(marker[1]) } : {}) });
    i = end;
  }
  return snippets;
}

const run = promisify(execFile);
const README = readFileSync('README.md', 'utf8');
const snippets = runnableSnippets(README);

let stack: Stack | undefined;
let runner: WorkerRunner | undefined;

beforeAll(async () => {
  stack = await startStack({ seed: true, catalogProducts: 20 });
  runner = await startWorkerRunner({
    // Payme's checkout links point at the local sandbox's pages, as in `npm run dev`.
    bindings: { ...stack.bindings, PAYME_CHECKOUT_BASE: stack.payme.checkoutBase, APP_ENV: 'development', JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'error', ...eskizBindings() },
    outDir: 'test/out/bundle-readme',
  });
  // The demo products' images in the Worker's R2, as `npm run dev` seeds them.
  await seedDemoImages(stack.bindings.DATABASE_URL, await runner.bucket('FILES'), { products: 20 });
  // The Stripe stand-in's signed webhooks go to this Worker, as `npm run dev` arranges.
  stack.stripe?.setWebhookUrl(`${runner.entryUrl}/api/v1/webhooks/stripe`);
  // The Payme and Click sandboxes call this Worker's endpoints, as `npm run dev` arranges.
  stack.payme.setEndpoint(`${runner.entryUrl}/api/v1/payments/payme`);
  stack.click?.setMerchantUrls({ prepareUrl: `${runner.entryUrl}/api/v1/payments/click/prepare`, completeUrl: `${runner.entryUrl}/api/v1/payments/click/complete` });
}, 240_000);

/** SMS go to the stack's Eskiz stand-in, as `npm run dev` arranges; README blocks read codes from its outbox ($SMS_OUTBOX). */
function eskizBindings(): Record<string, string> {
  const eskiz = stack?.eskiz;
  return eskiz ? { ESKIZ_BASE_URL: eskiz.apiBase, ESKIZ_EMAIL: eskiz.email, ESKIZ_PASSWORD: eskiz.password } : {};
}

afterAll(async () => {
  await runner?.close();
  await stack?.close();
});

describe("README's shell blocks run as pasted", () => {
  it('finds the blocks to run', () => {
    expect(snippets.map((s) => s.heading)).toEqual(expect.arrayContaining(['Auth in one minute', 'Checkout walkthrough', 'Paying with Payme and Click', 'A two-seller order, two parcels, one line returned']));
  });

  it.each(snippets.map((s) => [`${s.heading} (README line ${s.line})`, s] as const))('%s', async (_name, snippet) => {
    const host = new URL(runner!.entryUrl).host;
    const script = snippet.script.replaceAll('127.0.0.1:8787', host).replaceAll('localhost:8787', host);
    const env = { ...process.env, ...(stack?.eskiz ? { SMS_OUTBOX: `${stack.eskiz.url}/outbox` } : {}) };
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { timeout: 120_000, maxBuffer: 10 * 1024 * 1024, env }).catch(
      (err: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`README line ${snippet.line} failed: ${err.message}\n--- stdout\n${err.stdout}\n--- stderr\n${err.stderr}`);
      },
    );
    if (snippet.expect) expect(stdout).toMatch(snippet.expect);
  });
});
