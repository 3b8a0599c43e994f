import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { configParseCount } from '../../../shared/env';
import { call } from '../../support/app';

// The environment is validated once per isolate (per bindings object), not per request.

describe('configuration is validated once per bindings object', () => {
  it('the deployed entry (workers/index.ts) parses nothing more across requests of one isolate', async () => {
    const get = async () => {
      const res = await SELF.fetch('http://api.test/api/v1/categories');
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    };
    await get();
    const before = configParseCount();
    for (let i = 0; i < 10; i++) await get();
    expect(configParseCount()).toBe(before);
  });

  it('a new bindings object (new bindings) is validated again', async () => {
    const before = configParseCount();
    expect((await call('/api/v1/categories', { env: { LOG_LEVEL: 'error' } })).status).toBe(200);
    expect(configParseCount()).toBe(before + 1);
  });
});
