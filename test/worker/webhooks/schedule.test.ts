// vite/client types declare the ?raw imports below (the doc and the snippet as text).
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import snippetSource from '../../../docs/snippets/verify-webhook.ts?raw';
import doc from '../../../docs/webhooks.md?raw';
import { verifyUltraMarketSignature } from '../../../docs/snippets/verify-webhook';
import type { Config } from '../../../shared/env';
import { assertDeliverableUrl } from '../../../workers/webhooks/destination';
import { backoffSeconds, nextRetryDelay, RETRY_BUDGET_SECONDS } from '../../../workers/webhooks/backoff';
import { eventCreatedAt, generateSecret, signatureHeader } from '../../../workers/webhooks/signing';

describe('retry schedule', () => {
  it('doubles from a minute and caps at six hours (under the queue’s 12-hour delay limit)', () => {
    expect([1, 2, 3, 4, 8, 9, 10, 30].map(backoffSeconds)).toEqual([60, 120, 240, 480, 7_680, 15_360, 21_600, 21_600]);
  });

  it('spans 24 hours: 13 attempts, the last on the deadline, then gives up', () => {
    const at: number[] = [0];
    for (let attempts = 1; ; attempts++) {
      const delay = nextRetryDelay(attempts, at.at(-1) ?? 0);
      if (delay === null) break;
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(43_200);
      at.push((at.at(-1) ?? 0) + delay);
    }
    expect(at.map((s) => s / 60)).toEqual([0, 1, 3, 7, 15, 31, 63, 127, 255, 511, 871, 1231, 1440]);
    expect(at.at(-1)).toBe(RETRY_BUDGET_SECONDS);
  });

  it('gives up once the budget is spent, whatever the attempt count', () => {
    expect(nextRetryDelay(1, RETRY_BUDGET_SECONDS)).toBeNull();
    expect(nextRetryDelay(2, RETRY_BUDGET_SECONDS - 10)).toBeNull();
    expect(nextRetryDelay(12, RETRY_BUDGET_SECONDS - 600)).toBe(600);
  });
});

describe('signature', () => {
  it('docs/webhooks.md shows exactly the verification snippet the tests run', () => {
    const match = /<!-- snippet: docs\/snippets\/verify-webhook\.ts -->\n```ts\n([\s\S]*?)```/.exec(doc);
    expect(match?.[1]).toBe(snippetSource);
  });

  it('the documented snippet accepts our signature and refuses a tampered body, another secret or a stale timestamp', async () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const body = JSON.stringify({ id: 'e', type: 'order.paid', data: { total: 100 } });
    const now = Math.floor(Date.now() / 1000);
    const header = await signatureHeader(secret, now, body);
    expect(await verifyUltraMarketSignature(body, header, secret)).toBe(true);
    expect(await verifyUltraMarketSignature(body.replace('100', '1'), header, secret)).toBe(false);
    expect(await verifyUltraMarketSignature(body, header, generateSecret())).toBe(false);
    expect(await verifyUltraMarketSignature(body, header, secret, 300, now + 301)).toBe(false);
    expect(await verifyUltraMarketSignature(body, null, secret)).toBe(false);
    expect(await verifyUltraMarketSignature(body, `t=${now},v1=zz`, secret)).toBe(false);
  });

  it('dates an event by its UUIDv7 id', () => {
    expect(eventCreatedAt('0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b', new Date(0))).toBe(new Date(0x0193a1b27c3d).toISOString());
    expect(eventCreatedAt('not-a-v7-id-at-all-0000000000000000', new Date(0))).toBe(new Date(0).toISOString());
  });
});

describe('delivery URL outside development and test', () => {
  const production = { APP_ENV: 'production' } as Config;
  it.each(['http://hooks.example.com/x', 'https://localhost/x', 'https://127.0.0.1/x', 'https://10.1.2.3/x', 'https://192.168.0.9/x', 'https://169.254.169.254/latest', 'https://[::1]/x', 'https://db.internal/x'])(
    'refuses %s',
    (url) => expect(() => assertDeliverableUrl(production, url)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' })),
  );
  it('accepts a public https URL', () => {
    expect(assertDeliverableUrl(production, 'https://hooks.example.com/x?a=1')).toBe('https://hooks.example.com/x?a=1');
  });
});
