import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../../shared/db/schema';
import type { Bindings } from '../../../shared/env';
import { testEnv } from '../../support/app';
import { withDb } from '../../support/users';
import { deliver, httpEnv, NOTIFIED_EVENTS, quietUser, recordedEvent, standinEmails, standinRequests, tokenOf, traceOf } from './helpers';

describe('notification consumer: one notification and one email per event', () => {
  it.each(NOTIFIED_EVENTS)('%s, delivered twice, through the local outbox', async (type) => {
    const user = await quietUser();
    const event = await recordedEvent(type, user);
    expect((await deliver(event)).acked).toBe(true);
    expect((await deliver(event)).acked).toBe(true);

    const { inApp, deliveries, outbox } = await traceOf(event.id);
    expect(inApp).toHaveLength(1);
    expect(inApp[0]).toMatchObject({ userId: user.id, type, readAt: null });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 'sent', toAddress: user.email, template: type, locale: 'en', attempts: 1 });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ toAddress: user.email, subject: deliveries[0]?.subject });
    expect(outbox[0]?.text).toContain(`Hello ${user.name},`);
    expect(outbox[0]?.html).toMatch(/^<!doctype html>/);
  });

  it.each(NOTIFIED_EVENTS)('%s, delivered twice, through the HTTP provider', async (type) => {
    const user = await quietUser();
    const event = await recordedEvent(type, user);
    expect((await deliver(event, { env: httpEnv })).acked).toBe(true);
    expect((await deliver(event, { env: httpEnv })).acked).toBe(true);

    const sent = await standinEmails(user.email);
    expect(sent).toHaveLength(1);
    // The second delivery found the email sent and never called the provider.
    expect(await standinRequests(user.email)).toBe(1);
    const { inApp, deliveries, outbox } = await traceOf(event.id);
    expect(inApp).toHaveLength(1);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 'sent', providerMessageId: sent[0]?.id });
    expect(sent[0]?.idempotencyKey).toBe(deliveries[0]?.id);
    expect(outbox).toHaveLength(0);
  });

  it('two copies of one message processed at the same time send one email', async () => {
    const user = await quietUser();
    const event = await recordedEvent('order.shipped', user);
    const results = await Promise.all([deliver(event, { env: httpEnv }), deliver(event, { env: httpEnv })]);
    expect(results.every((r) => r.acked)).toBe(true);
    expect(await standinEmails(user.email)).toHaveLength(1);
    expect((await traceOf(event.id)).inApp).toHaveLength(1);
  });
});

describe('templates', () => {
  it('writes to an Uzbek reader in Uzbek, in-app and by email', async () => {
    for (const locale of ['uz', 'uz-Latn', 'uz_UZ']) {
      const user = await quietUser({ locale });
      const event = await recordedEvent('order.shipped', user);
      await deliver(event);
      const { inApp, deliveries, outbox } = await traceOf(event.id);
      expect(deliveries[0]).toMatchObject({ locale: 'uz', subject: 'Buyurtmangiz jo‘natildi' });
      expect(inApp[0]?.title).toBe('Buyurtma jo‘natildi');
      expect(outbox[0]?.text).toContain(`Assalomu alaykum, ${user.name}!`);
      expect(outbox[0]?.html).toContain('<html lang="uz">');
    }
  });

  it("falls back to the deployment's default locale (uz) for a language without templates or none stored", async () => {
    for (const locale of ['fr-FR', null]) {
      const user = await quietUser({ locale });
      const event = await recordedEvent('order.shipped', user);
      await deliver(event);
      expect((await traceOf(event.id)).deliveries[0]).toMatchObject({ locale: 'uz', subject: 'Buyurtmangiz jo‘natildi' });
    }
  });

  it('puts the token link in verify and reset emails, and never in the in-app row', async () => {
    for (const [type, path] of [
      ['auth.verify_email', '/verify-email'],
      ['auth.password_reset_requested', '/reset-password'],
    ] as const) {
      const user = await quietUser();
      const event = await recordedEvent(type, user);
      await deliver(event);
      const { inApp, outbox } = await traceOf(event.id);
      const token = await tokenOf(event);
      const link = `http://localhost:3000${path}?token=${encodeURIComponent(token)}`;
      expect(outbox[0]?.text).toContain(link);
      expect(outbox[0]?.html).toContain(`href="${link}"`);
      expect(JSON.stringify(inApp[0])).not.toContain(token);
      expect(JSON.stringify(inApp[0])).not.toContain(String(event.payload.tokenId));
      expect(inApp[0]?.data).toEqual({});
    }
  });

  it('links to APP_URL (a path under it is kept) when set, ahead of the CORS origins', async () => {
    const user = await quietUser();
    const event = await recordedEvent('auth.password_reset_requested', user);
    await deliver(event, { env: { ...testEnv, APP_URL: 'https://shop.example.com/uz/' } as Bindings });
    const { outbox } = await traceOf(event.id);
    const link = `https://shop.example.com/uz/reset-password?token=${encodeURIComponent(await tokenOf(event))}`;
    expect(outbox[0]?.text).toContain(link);
    expect(outbox[0]?.text).not.toContain('localhost:3000');
  });

  it('formats money from minor units and keeps order data for the app', async () => {
    const user = await quietUser();
    const event = await recordedEvent('order.paid', user);
    await deliver(event);
    const { inApp, outbox } = await traceOf(event.id);
    expect(outbox[0]?.text).toContain('$25.99');
    expect(inApp[0]?.body).toContain('$25.99');
    expect(inApp[0]?.data).toEqual({ orderId: event.payload.orderId, status: 'paid', total: 2599, currency: 'USD' });
  });

  it('escapes what users and card networks wrote before it goes into HTML', async () => {
    const user = await quietUser({ name: '<img src=x onerror=alert(1)> & "Bob"' });
    const event = await recordedEvent('payment.failed', user);
    event.payload.reason = '<b>declined</b>';
    await deliver(event);
    const html = (await traceOf(event.id)).outbox[0]?.html ?? '';
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Bob&quot;');
    expect(html).toContain('&lt;b&gt;declined&lt;/b&gt;');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
  });
});

describe('recipients', () => {
  it('skips a deleted user: the message is acked and nothing is written or sent', async () => {
    const user = await quietUser();
    await withDb((db) => db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, user.id)));
    const event = await recordedEvent('order.cancelled', user);
    expect((await deliver(event, { env: httpEnv })).acked).toBe(true);
    const trace = await traceOf(event.id);
    expect(trace.inApp).toHaveLength(0);
    expect(trace.deliveries).toHaveLength(0);
    expect(await standinRequests(user.email)).toBe(0);
  });

  it('emails the address the account has now', async () => {
    const user = await quietUser();
    const event = await recordedEvent('order.delivered', user);
    const moved = `moved-${user.email}`;
    await withDb((db) => db.update(users).set({ email: moved }).where(eq(users.id, user.id)));
    await deliver(event);
    expect((await traceOf(event.id)).outbox[0]?.toAddress).toBe(moved);
  });
});
