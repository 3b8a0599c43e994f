import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEPCRUISE = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');

/** Runs the checker the way `npm run lint:deps` does; resolves with its exit code and output. */
async function depcruise(cwd: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [DEPCRUISE, ...args], { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** A repository in miniature, checked with the project's own rule file. */
const GOOD: Record<string, string> = {
  'workers/index.ts': "export { CartDO } from '../durable-objects/cart';\nexport { createApp } from './app';\n",
  'workers/app.ts': "import { catalog } from './catalog';\nimport { reviews } from './reviews';\nimport { ratingOf } from './reviews/public';\nexport const createApp = () => [catalog, reviews, ratingOf];\n",
  'workers/catalog/index.ts': "import { listItems } from './service';\nexport const catalog = listItems;\n",
  'workers/catalog/service.ts': "import { Slug } from '../../shared/slug';\nexport const listItems = () => Slug;\n",
  'workers/catalog/public.ts': "export { listItems } from './service';\n",
  'workers/reviews/index.ts': "import { ratingOf } from './service';\nexport const reviews = ratingOf;\n",
  'workers/reviews/service.ts':
    "import { listItems } from '../catalog/public';\nimport { cartFor } from '../../durable-objects/cart-client';\nexport const ratingOf = () => [listItems, cartFor];\n",
  'workers/reviews/public.ts': "export { ratingOf } from './service';\n",
  'shared/slug.ts': "export const Slug = 'slug';\n",
  'durable-objects/cart.ts': "import { Slug } from '../shared/slug';\nexport class CartDO { slug = Slug; }\n",
  'durable-objects/cart-client.ts': "export type { CartDO } from './cart';\nexport const cartFor = (id: string) => `cart:${id}`;\n",
  'scripts/tool.ts': "import { listItems } from '../workers/catalog/service';\nexport const tool = listItems;\n",
};

/** One deliberately bad import per rule, each the only thing wrong with its file. */
const BAD: Record<string, string> = {
  // Another domain's internals instead of its public face.
  'workers/stock/service.ts': "import { listItems } from '../catalog/service';\nexport const stock = listItems;\n",
  // A loop between two domains, each side going through the other's public face.
  'workers/catalog/badges.ts': "import { ratingOf } from '../reviews/public';\nexport const badge = ratingOf;\n",
  // shared/ reaching into a domain.
  'shared/format.ts': "import { listItems } from '../workers/catalog/public';\nexport const format = listItems;\n",
  // A Durable Object reaching into the Worker.
  'durable-objects/stock.ts': "import { ratingOf } from '../workers/reviews/public';\nexport const stockObject = ratingOf;\n",
  // A Durable Object's class instead of its client.
  'workers/stock/cart.ts': "import type { CartDO } from '../../durable-objects/cart';\nexport type StockCart = CartDO;\n",
  // Bundled code importing local tooling.
  'workers/stock/tooling.ts': "import { tool } from '../../scripts/tool';\nexport const stockTool = tool;\n",
  // A domain importing the composition root back.
  'workers/stock/app-user.ts': "import { createApp } from '../app';\nexport const app = createApp;\n",
  // The composition root importing a domain's internals.
  'workers/queue.ts': "import { ratingOf } from './reviews/service';\nexport const consume = ratingOf;\n",
  // A module-level import circle.
  'scripts/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
  'scripts/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
};

async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

describe('dependency rules (.dependency-cruiser.js, run by npm run lint)', () => {
  let dir: string;
  const args = ['workers', 'shared', 'durable-objects', 'scripts', '--config', '.dependency-cruiser.js'];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dependency-rules-'));
    await copyFile(path.join(ROOT, '.dependency-cruiser.js'), path.join(dir, '.dependency-cruiser.js'));
    await writeTree(dir, {
      'package.json': JSON.stringify({ type: 'module' }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true } }),
      ...GOOD,
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts imports through public faces, Durable Object clients, shared/ and the composition root', async () => {
    const { code, output } = await depcruise(dir, args);
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  it('fails on each forbidden import and names it', async () => {
    await writeTree(dir, BAD);
    const { code, output } = await depcruise(dir, args);
    expect(code).not.toBe(0);
    const expected = [
      'domain-uses-public-face: workers/stock/service.ts → workers/catalog/service.ts',
      'shared-is-a-leaf: shared/format.ts → workers/catalog/public.ts',
      'durable-objects-not-into-workers: durable-objects/stock.ts → workers/reviews/public.ts',
      'durable-objects-through-clients: workers/stock/cart.ts → durable-objects/cart.ts',
      'bundle-not-into-tooling: workers/stock/tooling.ts → scripts/tool.ts',
      'domain-not-into-root: workers/stock/app-user.ts → workers/app.ts',
      'root-uses-routers-and-faces: workers/queue.ts → workers/reviews/service.ts',
    ];
    for (const line of expected) expect(output).toContain(line);
    // Cycles are printed one step per line.
    expect(output).toMatch(/no-domain-cycles: workers\/(catalog|reviews) →\s*\n\s*workers\/(reviews|catalog) →/);
    expect(output).toMatch(/no-circular: scripts\/(a|b)\.ts →/);
    // The good imports stay unflagged.
    expect(output).not.toContain('workers/reviews/service.ts → workers/catalog/public.ts');
    expect(output).not.toContain('workers/index.ts → durable-objects/cart.ts');
    expect(output).not.toContain('scripts/tool.ts →');
  });

  it('passes on this repository, with no exceptions', async () => {
    const { code, output } = await depcruise(ROOT, args);
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  }, 60_000);
});
