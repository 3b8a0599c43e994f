import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare, convertV4MiniflareOptions, type V4MiniflareOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

const execFileAsync = promisify(execFile);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CONFIG_PATH = path.join(ROOT, 'wrangler.toml');
const WRANGLER_BIN = path.join(ROOT, 'node_modules/.bin/wrangler');
const DEFAULT_OUT_DIR = path.join(ROOT, 'bench/out/bundle');

export interface WorkerRunner {
  /** Origin of the Worker's direct socket, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  /**
   * Origin of miniflare's entry socket: the whole platform in front of the Worker, static
   * assets included (the direct socket reaches the Worker's code only). Slower; for tests.
   */
  entryUrl: string;
  /** An R2 bucket binding of the Worker, reachable from Node (e.g. to seed objects). */
  bucket(binding: string): Promise<R2BucketProxy>;
  close(): Promise<void>;
}

/** The R2 bucket miniflare hands to Node. */
export type R2BucketProxy = Awaited<ReturnType<Miniflare['getR2Bucket']>>;

export interface WorkerRunnerOptions {
  /** String vars merged over wrangler.toml's [vars] (secrets and stack addresses). */
  bindings: Record<string, string>;
  /** Port of the direct socket; 0 or absent picks a free one. */
  port?: number;
  host?: string;
  /** Where `wrangler deploy --dry-run` writes the bundle (emptied first). */
  outDir?: string;
  /** Rate limiting bindings merged over wrangler.toml's [[ratelimits]] (e.g. a limit one address never trips). */
  ratelimits?: RateLimitBindings;
}

/** Miniflare's simulation of `[[ratelimits]]` bindings, by binding name. */
export type RateLimitBindings = Record<string, { namespace_id: string; simple: { limit: number; period?: 10 | 60 } }>;

/**
 * The API-wide limit's binding (API_RATE_LIMITER) at a limit one address never
 * trips: benchmarks and load runs send everything from 127.0.0.1.
 */
export const UNTRIPPABLE_RATE_LIMITS: RateLimitBindings = {
  API_RATE_LIMITER: { namespace_id: '1001', simple: { limit: 100_000_000, period: 60 } },
};

/** Bundles the Worker exactly as `wrangler deploy` would, without uploading it. */
async function bundleWorker(outDir: string, main: string | undefined): Promise<string> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  try {
    await execFileAsync(
      WRANGLER_BIN,
      // `--env=` targets the top-level environment (and silences the "multiple environments" warning).
      ['deploy', '--dry-run', '--outdir', outDir, '--config', CONFIG_PATH, '--env='],
      {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          ...process.env,
          // The shebang resolves `node` on PATH: use the Node running this script (22+).
          PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
          WRANGLER_SEND_METRICS: 'false',
          NO_COLOR: '1',
        },
      },
    );
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`wrangler deploy --dry-run failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: err });
  }

  const expected = main ? `${path.basename(main, path.extname(main))}.js` : 'index.js';
  if (existsSync(path.join(outDir, expected))) return path.join(outDir, expected);
  const scripts = (await readdir(outDir)).filter((f) => f.endsWith('.js') || f.endsWith('.mjs'));
  if (scripts.length === 1 && scripts[0]) return path.join(outDir, scripts[0]);
  throw new Error(`wrangler bundle: cannot find the entry file in ${outDir} (found ${scripts.join(', ') || 'nothing'})`);
}

/**
 * Miniflare keeps simulated storage (Durable Object SQLite files, R2, queues)
 * in a fresh `os.tmpdir()/miniflare-<random>` folder that it deletes on
 * dispose; it picks the folder in its constructor. Pointing TMPDIR at tmpfs
 * (/dev/shm) for that moment keeps the storage in memory: no disk syncs in
 * the measurements and nothing left behind.
 */
function withTmpDirInMemory<T>(create: () => T): T {
  const shm = '/dev/shm';
  let usable: boolean;
  try {
    usable = process.platform === 'linux' && statSync(shm).isDirectory();
    if (usable) accessSync(shm, constants.W_OK);
  } catch {
    usable = false;
  }
  if (!usable) return create();
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = shm;
  try {
    return create();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

/**
 * Runs the Worker close to bare `workerd serve`: the bundle `wrangler deploy`
 * would upload, every binding from wrangler.toml (Durable Objects, R2, Queues,
 * Analytics Engine) simulated by miniflare, served on a direct workerd socket
 * (no miniflare entry proxy in front of it, unlike `wrangler dev`). Storage is
 * ephemeral: a temporary folder on tmpfs where available, removed on close.
 */
export async function startWorkerRunner(options: WorkerRunnerOptions): Promise<WorkerRunner> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const outDir = path.resolve(ROOT, options.outDir ?? DEFAULT_OUT_DIR);

  // Read the config first: a broken wrangler.toml fails before the slower bundle step.
  const fromConfig = unstable_getMiniflareWorkerOptions(CONFIG_PATH);
  const scriptPath = await bundleWorker(outDir, fromConfig.main);

  // The bundle is one ES module: wrangler's module rules and root path would only
  // make miniflare look for more modules next to the sources.
  const { modulesRules: _modulesRules, rootPath: _rootPath, ...workerOptions } = fromConfig.workerOptions;
  const name = 'ultramarket';
  const v4Options: V4MiniflareOptions = {
    // Shared options: the miniflare entry socket gets a free port (we use the direct socket).
    host,
    port: 0,
    // Worker options.
    ...workerOptions,
    name,
    modules: true,
    scriptPath,
    bindings: { ...(workerOptions.bindings ?? {}), ...options.bindings },
    ratelimits: { ...(workerOptions as { ratelimits?: RateLimitBindings }).ratelimits, ...options.ratelimits },
    unsafeDirectSockets: [{ host, port }],
    // No `unsafeEphemeralDurableObjects`: workerd's in-memory Durable Object
    // storage is not SQLite-backed, and our classes use the SQL API.
  };

  const mf = withTmpDirInMemory(() => new Miniflare(convertV4MiniflareOptions(v4Options)));
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= mf.dispose());
  try {
    const entry = await mf.ready;
    const direct = await mf.unsafeGetDirectURL(name);
    return { url: direct.origin, entryUrl: entry.origin, bucket: (binding) => mf.getR2Bucket(binding), close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
