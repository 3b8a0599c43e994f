import { sql, type SQL } from 'drizzle-orm';
import type { ContentTexts, ContentTranslations } from './db/schema';
import { ValidationFailed } from './errors';
import { LOCALES, type Locale, type LocaleChoice, pickText } from './locale';

/** What a write's `translations` field holds once validated (shared/schemas/translations.ts). */
export type TranslationsPatch = Partial<Record<Locale, ContentTexts | null>> | undefined;

/**
 * Checks a write's translations against the default locale: its name and
 * description are the top-level fields, so repeating them under the default
 * locale (two values for one text) is refused. Returns what to merge and
 * which locales to remove.
 */
export function splitTranslations(patch: TranslationsPatch, defaultLocale: Locale): { set: ContentTranslations; remove: Locale[] } {
  const set: ContentTranslations = {};
  const remove: Locale[] = [];
  for (const locale of LOCALES) {
    const texts = patch?.[locale];
    if (texts === undefined) continue;
    if (texts === null) {
      remove.push(locale);
      continue;
    }
    if (locale === defaultLocale) {
      const repeated = (['name', 'description'] as const).filter((field) => texts[field] !== undefined);
      if (repeated.length) {
        throw new ValidationFailed(
          repeated.map((field) => ({ path: `translations.${locale}.${field}`, message: `is the top-level ${field} (${locale} is the default locale)` })),
        );
      }
    }
    set[locale] = texts;
  }
  return { set, remove };
}

/** The new `translations` value in SQL: the stored one with the given locales replaced and the null ones removed. */
export function mergedTranslationsSql(column: SQL, patch: TranslationsPatch, defaultLocale: Locale): SQL {
  const { set, remove } = splitTranslations(patch, defaultLocale);
  return sql`((${column} || ${JSON.stringify(set)}::jsonb) - ${`{${remove.join(',')}}`}::text[])`;
}

/** A content record as stored: default-locale texts in its fields, the rest in `translations`. */
interface Translatable {
  name: string;
  description?: string | null;
  translations?: ContentTranslations | null;
}

/**
 * The record in `choice`: name and description in that locale where it has
 * them, else the default locale's; `translations` kept only for `*` (editors).
 */
export function localize<T extends Translatable>(record: T, choice: LocaleChoice): T {
  const { translations, ...rest } = record;
  if (choice === '*') return { ...rest, translations: translations ?? {} } as T;
  const out = { ...rest, name: pickText(translations, 'name', choice, record.name) } as T;
  if ('description' in record) {
    const localized = translations?.[choice]?.description;
    if (localized) out.description = localized;
  }
  return out;
}

/** Attribute labels in `locale`, each falling back to the default locale's label (none: the key is its own label). */
export function attributeLabelsIn(translations: ContentTranslations | null | undefined, choice: LocaleChoice, defaultLocale: Locale) {
  const locale = choice === '*' ? defaultLocale : choice;
  return { ...translations?.[defaultLocale]?.attributeLabels, ...translations?.[locale]?.attributeLabels };
}
