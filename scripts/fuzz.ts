/**
 * npm run test:fuzz [-- --requests N] [--seed S] [--only 'POST /api/v1/orders']
 *
 * Runs the hostile-input suite (test/fuzz, docs/testing.md) alone. Code inside
 * workerd cannot read process.env, so the options travel as FUZZ_* variables
 * that vitest.config.ts hands to the Worker as bindings.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { requests: { type: 'string' }, seed: { type: 'string' }, only: { type: 'string' } },
  strict: true,
});
if (values.requests !== undefined && !/^[1-9]\d*$/.test(values.requests)) {
  console.error(`--requests must be a positive integer, got '${values.requests}'`);
  process.exit(2);
}

const env = {
  ...process.env,
  ...(values.requests ? { FUZZ_REQUESTS: values.requests } : {}),
  ...(values.seed ? { FUZZ_SEED: values.seed } : {}),
  ...(values.only ? { FUZZ_ONLY: values.only } : {}),
};
const child = spawn('npx', ['vitest', 'run', '--project', 'fuzz'], { stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
