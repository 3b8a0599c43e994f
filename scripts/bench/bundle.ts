/**
 * The size of the Worker bundle `wrangler deploy` would upload: built with
 * `wrangler deploy --dry-run --env <env> --outdir <tmp>` (no credentials
 * needed), measured raw and gzip-compressed. Cloudflare's limit applies to
 * the compressed size (3 MB on the free plan, 10 MB on paid plans).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WRANGLER_BIN = path.join(ROOT, 'node_modules/.bin/wrangler');

export interface BundleSize {
  env: string;
  /** The uploaded modules (source maps excluded), bytes. */
  bytes: number;
  gzipBytes: number;
  wrangler: string;
}

export async function measureBundle(env = 'production'): Promise<BundleSize> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'ultramarket-bundle-'));
  try {
    const { stdout } = await promisify(execFile)(
      WRANGLER_BIN,
      ['deploy', '--dry-run', '--env', env, '--outdir', outDir],
      {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
        // The shebang resolves `node` on PATH: use the Node running this script (22+).
        env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
      },
    );
    const modules = (await readdir(outDir)).filter((f) => /\.(m?js|wasm)$/.test(f));
    if (!modules.length) throw new Error(`wrangler deploy --dry-run wrote no module to ${outDir}`);
    let bytes = 0;
    let gzipBytes = 0;
    for (const file of modules) {
      const content = await readFile(path.join(outDir, file));
      bytes += content.length;
      gzipBytes += gzipSync(content).length;
    }
    return { env, bytes, gzipBytes, wrangler: /wrangler (\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? 'unknown' };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** `3,018 KiB (517 KiB gzip)` */
export function formatBundle(size: Pick<BundleSize, 'bytes' | 'gzipBytes'>): string {
  const kib = (n: number) => `${Math.round(n / 1024).toLocaleString('en-US')} KiB`;
  return `${kib(size.bytes)} (${kib(size.gzipBytes)} gzip)`;
}
