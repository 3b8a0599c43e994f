import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  acquireDevLock,
  createDevOutputFilter,
  devJwtSecret,
  devVarOverrides,
  lineSplitter,
  requireNode22,
  wranglerVarNames,
} from '../../scripts/dev-setup';

const scratch = () => mkdtempSync(join(tmpdir(), 'um-dev-setup-'));

class Exited extends Error {}

function trapExit() {
  const errors: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Exited(`exit ${code}`);
  });
  return errors;
}

afterEach(() => vi.restoreAllMocks());

describe('npm run dev setup', () => {
  it('refuses Node 20 before starting anything, pointing to scripts/use-node22.sh', () => {
    const errors = trapExit();
    expect(() => requireNode22('20.20.2')).toThrow(Exited);
    expect(errors.join('\n')).toContain('. scripts/use-node22.sh && npm run dev');
    expect(() => requireNode22('22.12.0')).not.toThrow();
  });

  it('keeps the JWT secret across restarts', () => {
    const dir = scratch();
    const first = devJwtSecret(dir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(devJwtSecret(dir)).toBe(first);
    expect(readFileSync(join(dir, 'dev-jwt-secret'), 'utf8').trim()).toBe(first);
  });

  it('refuses a second dev server on the same data while the first runs, and takes over a stale lock', async () => {
    const dir = scratch();
    // A live process that is not this one holds the lock.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(dir, 'dev.lock'), String(other.pid));
      const errors = trapExit();
      expect(() => acquireDevLock(dir)).toThrow(Exited);
      expect(errors.join('\n')).toContain(`pid ${other.pid}`);
      vi.restoreAllMocks();
    } finally {
      other.kill();
      await new Promise((resolve) => other.once('exit', resolve));
    }
    // Its process is gone: the lock is stale and is taken over, then released.
    const release = acquireDevLock(dir);
    expect(readFileSync(join(dir, 'dev.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(() => readFileSync(join(dir, 'dev.lock'))).toThrow();
  });

  it('passes [vars] settings set in the environment to wrangler, and nothing else', () => {
    const names = wranglerVarNames(readFileSync('wrangler.toml', 'utf8'));
    expect(names).toContain('CORS_ORIGINS');
    expect(names).not.toContain('name');
    expect(names).not.toContain('binding');
    const overrides = devVarOverrides('wrangler.toml', { CORS_ORIGINS: 'http://127.0.0.1:5173', HOME: '/root', PATH: '/bin' });
    expect(overrides).toEqual({ CORS_ORIGINS: 'http://127.0.0.1:5173' });
  });

  it("shows wrangler's bindings table once and leaves request logging to the Worker", () => {
    const output = [
      'Your Worker has access to the following bindings:',
      'Binding                 Resource        Mode',
      'env.CART (CartDO)       Durable Object  local',
      '',
      '⎔ Starting local server...',
      '⎔ Connection status updated',
      'Your Worker has access to the following bindings:',
      'Binding                 Resource        Mode',
      'env.CART (CartDO)       Durable Object  local',
      '',
      '[wrangler:info] Ready on http://127.0.0.1:8787',
      '{"level":"info","msg":"request","path":"/health","status":200}',
      '\x1b[32m[wrangler:info]\x1b[0m GET /health 200 OK (146ms)',
      '[wrangler:info] POST /api/v1/orders 201 Created (40ms)',
      '[wrangler:warn] something the developer should see',
    ];
    const shown: string[] = [];
    const keep = createDevOutputFilter();
    // Chunks that cut lines anywhere still yield whole lines.
    const lines = lineSplitter((line) => keep(line) && shown.push(line));
    const text = `${output.join('\n')}\n`;
    for (let i = 0; i < text.length; i += 7) lines.push(text.slice(i, i + 7));
    lines.flush();
    expect(shown.filter((l) => l.startsWith('Your Worker has access'))).toHaveLength(1);
    expect(shown.filter((l) => l.startsWith('env.CART'))).toHaveLength(1);
    expect(shown.some((l) => /GET \/health|POST \/api/.test(l))).toBe(false);
    expect(shown).toContain('[wrangler:info] Ready on http://127.0.0.1:8787');
    expect(shown).toContain('{"level":"info","msg":"request","path":"/health","status":200}');
    expect(shown).toContain('[wrangler:warn] something the developer should see');
    expect(shown).toContain('⎔ Connection status updated');
  });
});
