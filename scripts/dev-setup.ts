/**
 * What `npm run dev` checks and prepares before it starts anything: the Node
 * version, one dev server per `.data/`, a JWT secret that survives restarts,
 * and settings overridden from the environment.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MIN_NODE_MAJOR = 22;

/** Exits with a pointer to the project's own bootstrap when this Node is too old for wrangler. */
export function requireNode22(version = process.versions.node): void {
  const major = Number(version.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) return;
  console.error(
    [
      `npm run dev needs Node.js ${MIN_NODE_MAJOR} or newer (wrangler requires it); this is Node.js ${version}.`,
      'Put a Node 22 first on PATH for this shell, then run it again:',
      '',
      '  . scripts/use-node22.sh && npm run dev',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dataDir>/dev.lock` for this process, or exits naming the process that
 * holds it. A lock left by a process that died is taken over. Returns the release.
 */
export function acquireDevLock(dataDir: string, pid = process.pid): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'dev.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(pid), { flag: 'wx' });
      const release = () => {
        if (existsSync(path) && readFileSync(path, 'utf8').trim() === String(pid)) rmSync(path, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== pid && processAlive(holder)) {
        console.error(
          `Another npm run dev (pid ${holder}) is using ${dataDir}. Stop it first, or run this one on other data ` +
            '(DATABASE_URL=postgres://… for a real PostgreSQL).',
        );
        process.exit(1);
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not take ${path}`);
}

/** The development JWT secret, made once and kept in `<dataDir>/dev-jwt-secret`. */
export function devJwtSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'dev-jwt-secret');
  if (existsSync(path)) {
    const kept = readFileSync(path, 'utf8').trim();
    if (kept.length >= 32) return kept;
  }
  const secret = randomBytes(32).toString('hex');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The names of the top-level `[vars]` settings in a wrangler.toml. */
export function wranglerVarNames(toml: string): string[] {
  const names: string[] = [];
  let inVars = false;
  for (const line of toml.split('\n')) {
    const section = /^\s*\[+([^\]]+)\]+\s*$/.exec(line);
    if (section) {
      inVars = section[1]!.trim() === 'vars';
      continue;
    }
    const setting = inVars ? /^\s*([A-Z][A-Z0-9_]*)\s*=/.exec(line) : null;
    if (setting) names.push(setting[1]!);
  }
  return names;
}

/** The bucket name of a top-level `[[r2_buckets]]` binding in a wrangler.toml (what `wrangler dev` stores it under). */
export function wranglerBucketName(toml: string, binding: string): string | undefined {
  let inBucket = false;
  let current: { binding?: string; bucketName?: string } = {};
  const found = () => (current.binding === binding ? current.bucketName : undefined);
  for (const line of toml.split('\n')) {
    const section = /^\s*\[+([^\]]+)\]+\s*$/.exec(line);
    if (section) {
      const name = found();
      if (name) return name;
      inBucket = section[1]!.trim() === 'r2_buckets';
      current = {};
      continue;
    }
    if (!inBucket) continue;
    const setting = /^\s*(binding|bucket_name)\s*=\s*"([^"]*)"/.exec(line);
    if (setting?.[1] === 'binding') current.binding = setting[2];
    else if (setting) current.bucketName = setting[2];
  }
  return found();
}

/** The `[vars]` settings that the environment sets, to pass to `wrangler dev` (they win over wrangler.toml). */
export function devVarOverrides(wranglerTomlPath: string, env: Record<string, string | undefined>): Record<string, string> {
  const names = wranglerVarNames(readFileSync(wranglerTomlPath, 'utf8'));
  return Object.fromEntries(names.flatMap((name) => (env[name] !== undefined ? [[name, env[name]!]] : [])));
}

const WRANGLER_REQUEST_LINE = /^\[wrangler:info\] (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /;
const BINDINGS_HEADER = 'Your Worker has access to the following bindings:';

/**
 * Decides which of `wrangler dev`'s output lines to show: the Worker logs every
 * request itself (JSON, with its request id), so wrangler's own request lines
 * go; wrangler prints the bindings table again when its dev session connects,
 * so only the first table stays. Everything else passes.
 */
export function createDevOutputFilter(): (line: string) => boolean {
  let tablesSeen = 0;
  let inRepeatedTable = false;
  return (line) => {
    const plain = line.replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex -- strips ANSI colours
    if (WRANGLER_REQUEST_LINE.test(plain)) return false;
    if (plain.startsWith(BINDINGS_HEADER)) {
      tablesSeen += 1;
      inRepeatedTable = tablesSeen > 1;
      return !inRepeatedTable;
    }
    if (inRepeatedTable) {
      if (/^(Binding\s|env\.)/.test(plain)) return false;
      inRepeatedTable = false;
      if (plain.trim() === '') return false;
    }
    return true;
  };
}

/** Splits a stream's chunks into whole lines for `onLine` (a line may span chunks). */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; flush(): void } {
  let pending = '';
  return {
    push(chunk) {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) onLine(part);
    },
    flush() {
      if (pending) onLine(pending);
      pending = '';
    },
  };
}
