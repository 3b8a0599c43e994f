import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyUltraMarketSignature } from '../../../docs/snippets/verify-webhook';
import { webhookEndpoints } from '../../../shared/db/schema';
import type { Bindings } from '../../../shared/env';
import { Misconfigured } from '../../../shared/errors';
import { isSealed, seal, unseal } from '../../../shared/sealed';
import { createUser, type TestUser, withDb } from '../../support/users';
import { deliveryRow, endpointRow, fanOutOne, receivedAt, receiverUrl, recordingEnv, registerEndpoint, retireEndpointsOf, runAttempt } from './helpers';

const KEY = 'a-key-of-at-least-thirty-two-characters!!';
const OTHER_KEY = 'another-key-of-at-least-thirty-two-chars!';
const TYPE = 'order.delivered';

describe('sealing secrets at rest', () => {
  it('round-trips, and the sealed form shows nothing of the secret and differs each time', async () => {
    const secret = 'whsec_0123456789abcdef';
    const a = await seal(KEY, secret, 'row-1');
    const b = await seal(KEY, secret, 'row-1');
    expect(a).toMatch(/^sealed:v1:[A-Za-z0-9+/=]+$/);
    expect(a).not.toContain('0123456789abcdef');
    expect(a).not.toBe(b);
    expect(await unseal(KEY, a, 'row-1')).toBe(secret);
    expect(await unseal(KEY, b, 'row-1')).toBe(secret);
  });

  it('does not open under another key, for another row, tampered, or without a key', async () => {
    const sealed = await seal(KEY, 'whsec_x', 'row-1');
    await expect(unseal(OTHER_KEY, sealed, 'row-1')).rejects.toBeInstanceOf(Misconfigured);
    await expect(unseal(KEY, sealed, 'row-2')).rejects.toBeInstanceOf(Misconfigured);
    const last = sealed.at(-3) === 'A' ? 'B' : 'A';
    await expect(unseal(KEY, `${sealed.slice(0, -3)}${last}${sealed.slice(-2)}`, 'row-1')).rejects.toBeInstanceOf(Misconfigured);
    await expect(unseal(undefined, sealed, 'row-1')).rejects.toMatchObject({ code: 'MISCONFIGURED' });
  });

  it('without a key, stores as given; a value stored unsealed opens as itself under any key', async () => {
    expect(await seal(undefined, 'whsec_plain', 'row-1')).toBe('whsec_plain');
    expect(isSealed('whsec_plain')).toBe(false);
    expect(await unseal(KEY, 'whsec_plain', 'row-1')).toBe('whsec_plain');
  });
});

describe('webhook endpoints with WEBHOOK_SECRET_KEY', () => {
  let admin: TestUser;
  beforeAll(async () => {
    admin = await createUser('admin');
  });
  afterAll(() => retireEndpointsOf(admin.id));

  const verify = async (url: string, deliveryId: string, secret: string) => {
    const requests = (await receivedAt(url)).filter((r) => r.headers['ultramarket-delivery-id'] === deliveryId);
    return Promise.all(requests.map((r) => verifyUltraMarketSignature(r.body, r.headers['ultramarket-signature'], secret)));
  };

  it('signs with the secret shown at creation although the row holds it sealed', async () => {
    const endpoint = await registerEndpoint(admin.accessToken, receiverUrl('ok'), [TYPE]);
    expect(isSealed((await endpointRow(endpoint.id)).secret)).toBe(true);
    const { env, sent } = recordingEnv();
    const id = await fanOutOne(env, sent, endpoint.id, TYPE);
    await runAttempt(env, id, 1);
    expect(await verify(endpoint.url, id, endpoint.secret)).toEqual([true]);
  });

  it('an endpoint stored before the key was set still delivers, signed with its plain secret', async () => {
    const endpoint = await registerEndpoint(admin.accessToken, receiverUrl('ok'), [TYPE]);
    const plain = 'whsec_stored_before_sealing_0123456789';
    await withDb((db) => db.update(webhookEndpoints).set({ secret: plain }).where(eq(webhookEndpoints.id, endpoint.id)));
    const { env, sent } = recordingEnv();
    const id = await fanOutOne(env, sent, endpoint.id, TYPE);
    await runAttempt(env, id, 1);
    expect(await verify(endpoint.url, id, plain)).toEqual([true]);
  });

  it('with a wrong key nothing is sent: the attempt fails with the reason and is retried; the right key delivers it', async () => {
    const endpoint = await registerEndpoint(admin.accessToken, receiverUrl('ok'), [TYPE]);
    const { env, sent } = recordingEnv();
    const id = await fanOutOne(env, sent, endpoint.id, TYPE);
    sent.length = 0;
    const wrong = { ...env, WEBHOOK_SECRET_KEY: OTHER_KEY } as Bindings;
    const result = await runAttempt(wrong, id, 1);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await receivedAt(endpoint.url)).toEqual([]);
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect(row.lastError).toMatch(/WEBHOOK_SECRET_KEY/);
    expect(sent.map((m) => m.body.payload)).toEqual([{ deliveryId: id, attempt: 2 }]);

    expect(env.WEBHOOK_SECRET_KEY, 'the suite runs with a sealing key').toBeTruthy();
    await runAttempt(env, id, 2);
    expect(await deliveryRow(id)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(await verify(endpoint.url, id, endpoint.secret)).toEqual([true]);
  });
});
