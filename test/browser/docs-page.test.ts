import { existsSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../scripts/stack/index';
import { startWorkerRunner, type WorkerRunner } from '../../scripts/stack/workerd-runner';

/** Debian's chromium (apt-get install chromium); CHROMIUM_PATH for another. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
/** Where the screenshot of /docs is left for people to look at (not committed). */
export const SCREENSHOT = path.resolve('test/out/docs-page.png');

let stack: Stack | undefined;
let runner: WorkerRunner | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!CHROMIUM) throw new Error('No chromium found: apt-get install chromium, or set CHROMIUM_PATH');
  stack = await startStack({});
  runner = await startWorkerRunner({
    bindings: { ...stack.bindings, APP_ENV: 'development', JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'error' },
    outDir: 'test/out/bundle',
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await runner?.close();
  await stack?.close();
});

describe('/docs in a browser', () => {
  it('lists the operations and expands one, with no request leaving this machine', async () => {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
    const offMachine: string[] = [];
    // Offline by construction: any request to another host is recorded and refused.
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.protocol === 'data:' || url.protocol === 'blob:') {
        return route.continue();
      }
      offMachine.push(url.href);
      return route.abort();
    });
    const response = await page.goto(`${runner!.entryUrl}/docs`);
    expect(response?.status()).toBe(200);

    // The spec's tags are listed in the navigation; opening one lists its operations by summary.
    const spec = (await (await fetch(`${runner!.entryUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
    };
    const login = spec.paths['/api/v1/auth/login']!.post!;
    const tag = page.getByText(login.tags![0]!, { exact: true }).first();
    await tag.waitFor({ state: 'visible', timeout: 90_000 });
    for (const other of ['Orders', 'Products', 'Cart']) expect(await page.getByText(other, { exact: true }).count()).toBeGreaterThan(0);
    await tag.click();
    const operation = page.getByText(login.summary!, { exact: true }).first();
    await operation.waitFor({ state: 'visible', timeout: 30_000 });

    // Expanding the operation shows its request body's fields.
    await operation.click();
    await page.getByText('password', { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(offMachine).toEqual([]);
  }, 180_000);
});
