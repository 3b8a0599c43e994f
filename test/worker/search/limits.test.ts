import { describe, expect, it } from 'vitest';
import { OVERSIZED_SEARCH } from '../../fuzz/hostile';
import { call, expectProblem, isolatedPrefix } from '../../support/app';
import { createUser } from '../../support/users';

const search = (query: string, headers: Record<string, string> = {}, env: Record<string, unknown> = {}) =>
  call(new Request(`http://api.test/api/v1/search?${query}`, { headers }), { env });

describe('search input bounds', () => {
  it.each(OVERSIZED_SEARCH)('refuses %s=%s (400 naming it)', async (name, value) => {
    const problem = await expectProblem(await search(new URLSearchParams({ [name]: value }).toString()), 400, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.path)).toContain(name);
  });

  it('accepts a query at the bounds', async () => {
    const tenWords = Array.from({ length: 10 }, (_, i) => `w${i}`).join(' ');
    expect((await search(new URLSearchParams({ q: tenWords, limit: '100' }).toString())).status).toBe(200);
    expect((await search(new URLSearchParams({ q: 'x'.repeat(100) }).toString())).status).toBe(200);
  });
});

describe('anonymous search has its own, tighter rate limit', () => {
  it('SEARCH_RATE_LIMIT_REQUESTS per window for anonymous callers; a signed-in caller is not held to it', async () => {
    const customer = await createUser('customer');
    const env = { SEARCH_RATE_LIMIT_REQUESTS: '2', REDIS_KEY_PREFIX: isolatedPrefix('search-rl') };
    const ip = { 'CF-Connecting-IP': '203.0.113.40' };
    expect((await search('q=a', ip, env)).status).toBe(200);
    const second = await search('q=b', ip, env);
    expect(second.status).toBe(200);
    expect(second.headers.get('ratelimit-limit')).toBe('2');
    await expectProblem(await search('q=c', ip, env), 429, 'RATE_LIMITED');
    // A bad token is anonymous, not a way around the limit.
    await expectProblem(await search('q=c', { ...ip, Authorization: 'Bearer forged.token.value' }, env), 429, 'RATE_LIMITED');
    expect((await search('q=d', { ...ip, Authorization: `Bearer ${customer.accessToken}` }, env)).status).toBe(200);
    expect((await search('q=e', { 'CF-Connecting-IP': '203.0.113.41' }, env)).status).toBe(200);
  });
});
