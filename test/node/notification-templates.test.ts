import { describe, expect, it } from 'vitest';
import { en } from '../../workers/notifications/templates/en';
import { renderNotification } from '../../workers/notifications/templates';
import { ru } from '../../workers/notifications/templates/ru';
import { ONE_TIME_CODE_PURPOSES, renderCodeSms, renderEventSms, SMS_EVENTS, SMS_TEMPLATES } from '../../workers/notifications/templates/sms';
import { LOCALES, NOTIFIED_EVENTS, type TemplateVars } from '../../workers/notifications/templates/types';
import { uz } from '../../workers/notifications/templates/uz';

const CATALOGS = { en, ru, uz };
const vars: TemplateVars = {
  name: 'Ada',
  orderId: 'UM-2026-000123',
  total: '125 000 UZS',
  reason: 'declined',
  link: 'https://shop.example/verify?token=t',
  number: 'UM-2026-000123',
  tracking: 'UzPost UZ123',
};
/** SMS parts: GSM-7 text 160 characters in one part, anything else (Cyrillic) 70. */
const parts = (text: string) => (/^[\x20-\x7E]*$/.test(text) ? Math.ceil(text.length / 153) || 1 : text.length <= 70 ? 1 : Math.ceil(text.length / 67));

describe('every notification template exists in uz, ru and en, for email, in-app and SMS', () => {
  const cases = LOCALES.flatMap((locale) => NOTIFIED_EVENTS.map((kind) => [locale, kind] as const));
  it.each(cases)('%s %s: in-app title and body, email subject and lines', (locale, kind) => {
    const copy = CATALOGS[locale].copy[kind]?.(vars);
    expect(copy, `${locale} ${kind} missing`).toBeDefined();
    for (const text of [copy?.title, copy?.body, copy?.subject, ...(copy?.lines ?? [])]) expect(text?.trim()).toBeTruthy();
    const rendered = renderNotification(kind, locale, vars);
    expect(rendered.html).toContain(`lang="${locale}"`);
  });

  it.each(NOTIFIED_EVENTS)('%s: Russian and Uzbek are their own texts, not English fallbacks', (kind) => {
    const english = en.copy[kind](vars);
    expect(ru.copy[kind](vars).subject).not.toBe(english.subject);
    expect(uz.copy[kind](vars).subject).not.toBe(english.subject);
    expect(ru.copy[kind](vars).subject).toMatch(/[А-Яа-яЁё]/);
  });

  it.each(LOCALES)('%s: an SMS for every SMS kind and every code purpose, in at most two parts (codes in one)', (locale) => {
    for (const kind of SMS_EVENTS) {
      const text = renderEventSms(kind, locale, vars);
      expect(text).toContain('UM-2026-000123');
      expect(parts(text)).toBeLessThanOrEqual(2);
    }
    expect(renderEventSms('seller_order.shipped', locale, vars)).toContain('UzPost UZ123');
    for (const purpose of ONE_TIME_CODE_PURPOSES) {
      const text = renderCodeSms(purpose, locale, { code: '482913', minutes: 5 });
      expect(text).toContain('482913');
      expect(parts(text)).toBe(1);
    }
    expect(Object.keys(SMS_TEMPLATES[locale].events).sort()).toEqual([...SMS_EVENTS].sort());
    expect(Object.keys(SMS_TEMPLATES[locale].one_time_code).sort()).toEqual([...ONE_TIME_CODE_PURPOSES].sort());
  });

  it.each(LOCALES)('%s: the ready-for-pickup SMS names the point and the code and stays within two parts, however long they are', (locale) => {
    const pickup = { ...vars, pickupPoint: 'Chilonzor, Toshkent (09–20)', pickupPointName: 'Chilonzor', pickupCode: 'UZ123456789' };
    const text = renderEventSms('seller_order.ready_for_pickup', locale, pickup);
    expect(text).toContain('Chilonzor');
    expect(text).toContain('UZ123456789');
    const long = { ...pickup, pickupPointName: 'Юнусобод 19-мавзе, савдо маркази «Мега Планет», 2-қават', pickupCode: 'X'.repeat(24) };
    expect(parts(renderEventSms('seller_order.ready_for_pickup', locale, long))).toBeLessThanOrEqual(2);
    const tooLong = renderEventSms('seller_order.ready_for_pickup', locale, { ...pickup, pickupCode: 'Y'.repeat(40) });
    expect(tooLong).not.toContain('YYYY');
  });

  it('SMS texts differ per language', () => {
    const texts = LOCALES.map((l) => renderCodeSms('sign_in', l, { code: '1', minutes: 5 }));
    expect(new Set(texts).size).toBe(3);
  });
});
