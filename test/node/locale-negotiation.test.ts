import { describe, expect, it } from 'vitest';
import { negotiateLocale, parseAcceptLanguage, pickText } from '../../shared/locale';
import { attributeLabelsIn, localize, splitTranslations } from '../../shared/translations';

describe('Accept-Language', () => {
  it('orders ranges by q-value, keeping the header order on ties, and drops q=0 and malformed ranges', () => {
    expect(parseAcceptLanguage('en;q=0.5, ru-RU, uz;q=0.5, fr;q=0, ??, de;q=2')).toEqual([
      { tag: 'ru-ru', q: 1 },
      { tag: 'en', q: 0.5 },
      { tag: 'uz', q: 0.5 },
    ]);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
  });

  it('picks the best supported locale by primary subtag, else the default', () => {
    expect(negotiateLocale('fr-FR, ru;q=0.9, en;q=0.8', 'uz')).toBe('ru');
    expect(negotiateLocale('en-GB;q=0.4, ru;q=0.3', 'uz')).toBe('en');
    expect(negotiateLocale('uz-Cyrl-UZ', 'en')).toBe('uz');
    expect(negotiateLocale('ru;q=0, en', 'uz')).toBe('en');
    expect(negotiateLocale('*', 'uz')).toBe('uz');
    expect(negotiateLocale('de, fr', 'uz')).toBe('uz');
    expect(negotiateLocale('', 'ru')).toBe('ru');
  });
});

describe('translations', () => {
  const stored = { name: 'Toʻp', description: 'Charm', translations: { ru: { name: 'Мяч', description: '' }, en: { name: 'Ball' } } };

  it('picks each field in the locale, falling back to the default on a missing or empty one', () => {
    expect(localize(stored, 'ru')).toEqual({ name: 'Мяч', description: 'Charm' });
    expect(localize(stored, 'en')).toEqual({ name: 'Ball', description: 'Charm' });
    expect(localize(stored, 'uz')).toEqual({ name: 'Toʻp', description: 'Charm' });
    expect(localize(stored, '*')).toEqual(stored);
    expect(pickText(stored.translations, 'name', 'uz', 'fallback')).toBe('fallback');
  });

  it('merges attribute labels key by key over the default locale', () => {
    const t = { uz: { attributeLabels: { brand: 'Brend', colour: 'Rang' } }, ru: { attributeLabels: { brand: 'Бренд' } } };
    expect(attributeLabelsIn(t, 'ru', 'uz')).toEqual({ brand: 'Бренд', colour: 'Rang' });
    expect(attributeLabelsIn(undefined, 'en', 'uz')).toEqual({});
  });

  it('refuses the default locale’s name under translations, and splits removals from updates', () => {
    expect(() => splitTranslations({ uz: { name: 'x' } }, 'uz')).toThrow();
    expect(splitTranslations({ ru: { name: 'Мяч' }, en: null, uz: { attributeLabels: { brand: 'Brend' } } }, 'uz')).toEqual({
      set: { ru: { name: 'Мяч' }, uz: { attributeLabels: { brand: 'Brend' } } },
      remove: ['en'],
    });
  });
});
