import { globSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKEND_SUITES } from '../backend-suites';

const inBackendPass = new Set(BACKEND_SUITES.flatMap((pattern) => globSync(pattern)));

describe('the backend pass (npm run test:backend)', () => {
  it('selects suites that exist', () => {
    for (const pattern of BACKEND_SUITES) expect(globSync(pattern), pattern).not.toHaveLength(0);
  });

  it('includes every suite that asks which database it runs on', () => {
    // A suite that checks STACK_MODE behaves differently on a real PostgreSQL (often: runs only there).
    const modeAware = globSync('test/worker/**/*.test.ts').filter((file) => readFileSync(file, 'utf8').includes('STACK_MODE'));
    expect(modeAware.length).toBeGreaterThan(0);
    for (const file of modeAware) expect(inBackendPass, `${file} checks STACK_MODE but is not in BACKEND_SUITES`).toContain(file);
  });
});
