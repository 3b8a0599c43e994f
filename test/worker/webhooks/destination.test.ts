import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../shared/env';
import { responseSnippet, RESPONSE_SNIPPET_CHARS } from '../../../workers/webhooks/attempt';
import { assertDeliverableUrl } from '../../../workers/webhooks/destination';
import { HOSTILE_WEBHOOK_URLS } from '../../fuzz/hostile';
import { createUser, type TestUser } from '../../support/users';
import { deliveryRow, fanOutOne, receivedAt, receiverUrl, recordingEnv, registerEndpoint, retireEndpointsOf, runAttempt } from './helpers';

const production = { APP_ENV: 'production' } as Config;
const refuses = (url: string) => expect(() => assertDeliverableUrl(production, url), url).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));


describe('delivery URL outside development and test: hosts in every notation', () => {
  it.each(HOSTILE_WEBHOOK_URLS)('refuses %s', refuses);

  it.each([
    ['https://hooks.example.com/x?a=1', 'https://hooks.example.com/x?a=1'],
    ['https://HOOKS.Example.COM/x', 'https://hooks.example.com/x'],
    ['https://bücher.example.com/hook', 'https://xn--bcher-kva.example.com/hook'],
    ['https://8.8.8.8/x', 'https://8.8.8.8/x'],
    ['https://172.32.0.1/x', 'https://172.32.0.1/x'],
    ['https://[2606:4700:4700::1111]/x', 'https://[2606:4700:4700::1111]/x'],
    // 6to4 of a public address is a public address
    ['https://[2002:808:808::1]/x', 'https://[2002:808:808::1]/x'],
  ])('accepts %s as %s', (url, canonical) => {
    expect(assertDeliverableUrl(production, url)).toBe(canonical);
  });

  it('names the canonical host in the refusal', () => {
    try {
      assertDeliverableUrl(production, 'https://0x7f.1/x');
      expect.unreachable();
    } catch (err) {
      expect(JSON.stringify(err)).toContain('127.0.0.1');
    }
  });
});

describe('a failed response body in the delivery log', () => {
  it('keeps a short, single-line, printable snippet', () => {
    const snippet = responseSnippet(`line one\r\n{"level":"error","msg":"forged"}\u001b[31m red\u0000 ${'x'.repeat(5_000)}`);
    expect(snippet.length).toBeLessThanOrEqual(RESPONSE_SNIPPET_CHARS + 1);
    expect([...snippet].some((ch) => ch.charCodeAt(0) < 0x20)).toBe(false);
    expect(snippet.startsWith('line one {"level"')).toBe(true);
    expect(responseSnippet('  receiver says no ')).toBe('receiver says no');
  });
});

describe('the destination is checked again at each delivery', () => {
  let admin: TestUser;
  beforeAll(async () => {
    admin = await createUser('admin');
  });
  afterAll(() => retireEndpointsOf(admin.id));

  it('an endpoint on a private host (registered where that was allowed) gets nothing in a deployed environment', async () => {
    // The test receiver listens on 127.0.0.1, which only development and test accept.
    const endpoint = await registerEndpoint(admin.accessToken, receiverUrl('ok'), ['order.delivered']);
    const { env, sent } = recordingEnv();
    const id = await fanOutOne(env, sent, endpoint.id, 'order.delivered');
    sent.length = 0;
    await runAttempt({ ...env, APP_ENV: 'staging' }, id, 1);
    expect(await receivedAt(endpoint.url)).toEqual([]);
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: 'failed', lastStatusCode: null });
    expect(row.lastError).toMatch(/^not sent: the URL must be/);
    expect(sent).toEqual([]);
  });
});
