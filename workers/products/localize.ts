import type { Locale, LocaleChoice } from '../../shared/locale';
import { attributeLabelsIn, localize } from '../../shared/translations';
import type { Product } from './schemas';

/**
 * A product as Postgres builds it (productJson: default-locale texts plus
 * `translations`) → the answer in `choice`: name, description and attribute
 * labels in that locale, each falling back to the default locale's.
 */
export function localizeProduct(product: Product, choice: LocaleChoice, defaultLocale: Locale): Product {
  return { ...localize(product, choice), attributeLabels: attributeLabelsIn(product.translations, choice, defaultLocale) };
}
