import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';

/**
 * Content locales (docs/catalog.md): Uzbek in Latin script, Russian, English.
 * A deployment's default locale (DEFAULT_LOCALE, `uz`) is what the existing
 * single-string columns hold and the fallback of every other locale.
 */
export const LOCALES = ['uz', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
/** A reader's choice: one locale, or `*` for the default locale plus every translation (editors). */
export type LocaleChoice = Locale | '*';

export const isLocale = (value: string): value is Locale => (LOCALES as readonly string[]).includes(value);

/** `?locale=` on content reads: wins over Accept-Language. */
export const LocaleQuery = z.object({
  locale: z
    .enum([...LOCALES, '*'])
    .optional()
    .openapi({
      description:
        'Language of names and descriptions (uz Latin, ru, en); wins over Accept-Language. `*`: the default locale plus a `translations` field with every locale (for editors)',
      example: 'ru',
    }),
});

interface Range {
  tag: string;
  q: number;
}

/** Accept-Language's ranges with their q-values (RFC 9110 §12.5.4), best first; malformed ranges are skipped. */
export function parseAcceptLanguage(header: string | undefined): Range[] {
  if (!header) return [];
  const ranges: Array<Range & { order: number }> = [];
  header
    .slice(0, 1_000)
    .split(',')
    .forEach((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      if (!/^(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)$/.test(tag.trim())) return;
      let q = 1;
      for (const param of params) {
        const m = /^\s*q\s*=\s*(0(\.\d{0,3})?|1(\.0{0,3})?)\s*$/i.exec(param);
        if (m?.[1] !== undefined) q = Number(m[1]);
        else if (/^\s*q\s*=/i.test(param)) q = -1;
      }
      if (q > 0) ranges.push({ tag: tag.trim().toLowerCase(), q, order });
    });
  // Stable: equal q-values keep the header's order.
  return ranges.sort((a, b) => b.q - a.q || a.order - b.order).map(({ tag, q }) => ({ tag, q }));
}

/**
 * The best supported locale for an Accept-Language header, else `fallback`.
 * A range matches by its primary language (`ru-RU` → ru; `uz-Cyrl` → uz, whose
 * content is Latin script); `*` means the fallback.
 */
export function negotiateLocale(header: string | undefined, fallback: Locale): Locale {
  for (const { tag } of parseAcceptLanguage(header)) {
    if (tag === '*') return fallback;
    const primary = tag.split('-')[0] ?? '';
    if (isLocale(primary)) return primary;
  }
  return fallback;
}

/** The locale a content read answers in: `?locale=` (validated by the route), else Accept-Language, else the default. */
export function requestedLocale(c: Context, fallback: Locale): LocaleChoice {
  const query = c.req.query('locale');
  if (query === '*' || (query !== undefined && isLocale(query))) return query;
  return negotiateLocale(c.req.header('accept-language'), fallback);
}

/** Says which locale an answer is in and that it depends on Accept-Language (for caches between us and the reader). */
export function withContentLanguage(res: Response, locale: LocaleChoice, fallback: Locale): Response {
  res.headers.set('Content-Language', locale === '*' ? fallback : locale);
  const vary = res.headers.get('Vary');
  if (!vary?.toLowerCase().includes('accept-language')) res.headers.set('Vary', vary ? `${vary}, Accept-Language` : 'Accept-Language');
  return res;
}

/** One locale's texts of a translatable record; any field may be missing (then the default locale's is used). */
export type TextsByLocale<T> = Partial<Record<Locale, Partial<T>>>;

/**
 * `field` in `locale`, else the default-locale value. An empty string counts
 * as missing, so a cleared translation falls back rather than showing nothing.
 */
export function pickText<T extends object, K extends keyof T>(
  translations: TextsByLocale<T> | null | undefined,
  field: K,
  locale: Locale,
  defaultValue: T[K],
): T[K] {
  const value = translations?.[locale]?.[field];
  return value === undefined || value === null || value === '' ? defaultValue : (value as T[K]);
}

/** `?locale=` on reads that answer one locale only (no `*`: there is no editor's view of them). */
export const ReaderLocaleQuery = z.object({
  locale: z
    .enum(LOCALES)
    .optional()
    .openapi({ description: 'Language of the names in the answer (uz Latin, ru, en); wins over Accept-Language', example: 'ru' }),
});

/** The one locale a read answers in (`?locale=`, else Accept-Language, else the default); `*` means the default. */
export function readerLocale(c: Context, fallback: Locale): Locale {
  const choice = requestedLocale(c, fallback);
  return choice === '*' ? fallback : choice;
}

/** `withContentLanguage` for an answer still being built with `c.json`: the same two headers on the context. */
export function answerIn(c: Context, locale: Locale): void {
  c.header('Content-Language', locale);
  c.header('Vary', 'Accept-Language', { append: true });
}

/**
 * Runs a read in the reader's locale (`readerLocale`) and, once it has answered, says that locale
 * in Content-Language (an error's problem+json, whose texts stay English, does not claim it).
 */
export async function inReaderLocale<T>(c: Context, fallback: Locale, read: (locale: Locale) => Promise<T>): Promise<T> {
  const locale = readerLocale(c, fallback);
  const result = await read(locale);
  answerIn(c, locale);
  return result;
}

/** A name kept in every locale (`LocalizedNames`): the one in `locale`, else the default locale's, else any. */
export function nameIn(names: Partial<Record<Locale, string>> | null | undefined, locale: Locale, fallback: Locale): string {
  return names?.[locale] || names?.[fallback] || LOCALES.map((l) => names?.[l]).find(Boolean) || '';
}
