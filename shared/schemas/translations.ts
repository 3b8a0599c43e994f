import { z } from '@hono/zod-openapi';

/**
 * The `translations` field of a content write (products, categories): texts per
 * locale beside the default-locale top-level fields (docs/catalog.md). A locale
 * left out is unchanged; `null` removes that locale's texts.
 */
const textsOf = (limits: { name: number; description: number }) =>
  z.strictObject({
    name: z.string().trim().min(1).max(limits.name).optional().openapi({ description: 'The name in this locale', example: 'Смартфон' }),
    description: z.string().max(limits.description).optional().openapi({ description: 'The description in this locale', example: 'Титан.' }),
  });

const AttributeLabels = z
  .record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be an attribute key'), z.string().trim().min(1).max(80))
  .refine((labels) => Object.keys(labels).length <= 30, 'at most 30 labels')
  .optional()
  .openapi({ description: 'Display labels of attribute keys in this locale', example: { brand: 'Бренд' } });

function translationsOf<T extends z.ZodType>(texts: T) {
  const locale = (what: string) => texts.nullable().optional().openapi({ description: `${what}; null removes them` });
  return z
    .strictObject({
      uz: locale('Uzbek (Latin script) texts'),
      ru: locale('Russian texts'),
      en: locale('English texts'),
    })
    .optional()
    .openapi({
      description:
        'Texts per locale (uz, ru, en). The top-level name and description are the deployment’s default locale (uz) and may not be repeated ' +
        'under it; a locale left out keeps its texts, null removes them; a field missing in a locale falls back to the default locale',
      example: { ru: { name: 'Смартфон', description: 'Титан.' }, en: { name: 'Smartphone' } },
    });
}

/** Products: name, description and attribute labels per locale. */
export const ProductTranslationsInput = translationsOf(textsOf({ name: 200, description: 20_000 }).extend({ attributeLabels: AttributeLabels }));
/** Categories: name and description per locale. */
export const CategoryTranslationsInput = translationsOf(textsOf({ name: 100, description: 2_000 }));

/** A translations answer field: every locale's texts as stored (with `?locale=*`, and in write answers). */
export const TranslationsAnswer = z
  .record(
    z.string(),
    z.object({ name: z.string().optional(), description: z.string().optional(), attributeLabels: z.record(z.string(), z.string()).optional() }),
  )
  .openapi({
    description: 'Every locale’s texts as stored (only with ?locale=* and in write answers); the top-level fields hold the default locale',
    example: { ru: { name: 'Смартфон' }, en: { name: 'Smartphone' } },
  });
