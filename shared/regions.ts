/**
 * Uzbekistan's first-level regions (ISO 3166-2:UZ): Tashkent city, the 12
 * viloyats and the Republic of Karakalpakstan. The code is the stable key
 * (addresses, shipping zones, pickup points); the names are for people.
 */
export interface Region {
  code: string;
  country: 'UZ';
  names: { uz: string; ru: string; en: string };
}

export const UZ_REGIONS: readonly Region[] = [
  { code: 'UZ-TK', country: 'UZ', names: { uz: 'Toshkent shahri', ru: 'город Ташкент', en: 'Tashkent City' } },
  { code: 'UZ-TO', country: 'UZ', names: { uz: 'Toshkent viloyati', ru: 'Ташкентская область', en: 'Tashkent Region' } },
  { code: 'UZ-AN', country: 'UZ', names: { uz: 'Andijon viloyati', ru: 'Андижанская область', en: 'Andijan Region' } },
  { code: 'UZ-BU', country: 'UZ', names: { uz: 'Buxoro viloyati', ru: 'Бухарская область', en: 'Bukhara Region' } },
  { code: 'UZ-FA', country: 'UZ', names: { uz: 'Farg‘ona viloyati', ru: 'Ферганская область', en: 'Fergana Region' } },
  { code: 'UZ-JI', country: 'UZ', names: { uz: 'Jizzax viloyati', ru: 'Джизакская область', en: 'Jizzakh Region' } },
  { code: 'UZ-NG', country: 'UZ', names: { uz: 'Namangan viloyati', ru: 'Наманганская область', en: 'Namangan Region' } },
  { code: 'UZ-NW', country: 'UZ', names: { uz: 'Navoiy viloyati', ru: 'Навоийская область', en: 'Navoiy Region' } },
  { code: 'UZ-QA', country: 'UZ', names: { uz: 'Qashqadaryo viloyati', ru: 'Кашкадарьинская область', en: 'Kashkadarya Region' } },
  { code: 'UZ-SA', country: 'UZ', names: { uz: 'Samarqand viloyati', ru: 'Самаркандская область', en: 'Samarkand Region' } },
  { code: 'UZ-SI', country: 'UZ', names: { uz: 'Sirdaryo viloyati', ru: 'Сырдарьинская область', en: 'Syrdarya Region' } },
  { code: 'UZ-SU', country: 'UZ', names: { uz: 'Surxondaryo viloyati', ru: 'Сурхандарьинская область', en: 'Surkhandarya Region' } },
  { code: 'UZ-XO', country: 'UZ', names: { uz: 'Xorazm viloyati', ru: 'Хорезмская область', en: 'Khorezm Region' } },
  { code: 'UZ-QR', country: 'UZ', names: { uz: 'Qoraqalpog‘iston Respublikasi', ru: 'Республика Каракалпакстан', en: 'Republic of Karakalpakstan' } },
];

const UZ_CODES = new Set(UZ_REGIONS.map((r) => r.code));

/** Countries whose region codes are checked against a list; elsewhere a region code is free text. */
export const COUNTRIES_WITH_REGION_LIST = ['UZ'] as const;

/** Whether `code` may be a region of `country`: one of the list for UZ, any short code elsewhere. */
export function isRegionOf(country: string, code: string): boolean {
  if (country === 'UZ') return UZ_CODES.has(code);
  return code.length >= 1 && code.length <= 20;
}

/** The message for an address whose region code is not one of its country's. */
export const REGION_MESSAGE = `must be one of ${[...UZ_CODES].join(', ')} for country UZ`;
