/**
 * The demo product generator: product `i` of seed `s` comes from its own PRNG
 * (mulberry32 seeded with a mix of `s` and `i`), so it is the same whatever the
 * catalog size.
 */
import type { Attributes, ContentTranslations } from '../../../shared/db/schema';
import { demoCategories } from './categories';
import { demoFiscalCodes, retailUzs } from './fiscal';
import type { Axis, OptionValue } from './kit';
import { productTexts } from './locales';
import { chance, int, mix, mulberry32, pick, shuffled, uuidV7At } from './random';
import { CATALOG_EPOCH_END, CATALOG_EPOCH_START, YEAR_MS } from './timeline';

export const DEFAULT_CATALOG_SEED = 1;
function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** An option value's SKU code: `256 GB` → `256`, `Space Grey` → `SPAGRE`. */
function optionCode(label: string): string {
  const clean = label.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
  if (/^\d/.test(clean)) return clean.replace(/[^0-9A-Z]/g, '').slice(0, 6);
  return clean
    .split(/[^0-9A-Z]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w.slice(0, 3))
    .join('');
}
export interface DemoVariant {
  id: string;
  sku: string;
  price: number;
  compareAtPrice: number | null;
  currency: string;
  options: Record<string, string>;
  weightGrams: number;
  position: number;
}

export interface DemoProduct {
  index: number;
  id: string;
  categorySlug: string;
  slug: string;
  /** The default locale's (uz) name and description; ru and en in `translations` (./locales.ts). */
  name: string;
  description: string;
  translations: ContentTranslations;
  status: 'draft' | 'published';
  attributes: Attributes;
  minPrice: number;
  /** UZS: shelf prices in tiyin, VAT included (docs/vat-and-receipts.md). */
  currency: string;
  /** The leaf category's MXIK (IKPU) and package codes (./fiscal.ts). */
  mxik: string | null;
  packageCode: string | null;
  popularity: number;
  createdAt: Date;
  updatedAt: Date;
  variants: DemoVariant[];
  /** Per SKU: units on hand and reserved. */
  stock: Array<{ sku: string; onHand: number; reserved: number }>;
}

export function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`catalog seed must be an integer in 0..2^32-1 (got ${seed})`);
}

/** Cartesian product of the axes, in axis order. */
function combinations(axes: Axis[]): Array<Array<{ axis: string; value: OptionValue }>> {
  let out: Array<Array<{ axis: string; value: OptionValue }>> = [[]];
  for (const axis of axes) out = out.flatMap((combo) => axis.values.map((value) => [...combo, { axis: axis.name, value }]));
  return out;
}

const VARIANT_COUNTS = [1, 1, 1, 2, 2, 2, 3, 3, 4, 4];

/** Builds the product generator of one seed (the category list is computed once). */
export function demoProductGenerator(seed: number = DEFAULT_CATALOG_SEED): (index: number) => DemoProduct {
  checkSeed(seed);
  const leaves = demoCategories().filter((c) => c.make);
  const totalWeight = leaves.reduce((s, c) => s + c.weight, 0);
  const seedTag = seed.toString(36).toUpperCase();
  const fiscal = demoFiscalCodes();

  return (index) => {
    const r = mulberry32(mix(seed, index));
    // More products were listed recently than a year ago: density grows linearly over the year.
    const createdMs = CATALOG_EPOCH_START + Math.floor(Math.sqrt(r()) * (YEAR_MS - 1));
    const id = uuidV7At(createdMs, r);
    let w = r() * totalWeight;
    const category = leaves.find((c) => (w -= c.weight) < 0) ?? leaves.at(-1)!;
    const draft = category.make!(r);

    const productCode = `${seedTag}${index.toString(36).toUpperCase().padStart(5, '0')}`;
    const combos = shuffled(r, combinations(draft.axes)).slice(0, pick(r, VARIANT_COUNTS));
    // Keep the axis order for positions: 128 GB before 256 GB, S before M.
    const order = combinations(draft.axes).map((c) => c.map((o) => o.value.label).join('|'));
    combos.sort((a, b) => order.indexOf(a.map((o) => o.value.label).join('|')) - order.indexOf(b.map((o) => o.value.label).join('|')));
    const onSale = chance(r, 0.2);
    const markup = 1.1 + r() * 0.4;
    const seen = new Set<string>();
    const variants: DemoVariant[] = combos.map((combo, position) => {
      const factor = combo.reduce((f, o) => f * (o.value.factor ?? 1), 1);
      const grams = combo.reduce((g, o) => g + (o.value.grams ?? 0), draft.grams);
      const price = retailUzs(draft.price * factor);
      let suffix = combo.map((o) => optionCode(o.value.label)).join('-') || 'STD';
      if (seen.has(suffix)) suffix = `${suffix}-${position + 1}`;
      seen.add(suffix);
      const compareAt = onSale ? retailUzs(draft.price * factor * markup) : null;
      return {
        id: uuidV7At(createdMs, r),
        sku: `${draft.brandCode}-${productCode}-${suffix}`,
        price,
        compareAtPrice: compareAt !== null && compareAt > price ? compareAt : null,
        currency: 'UZS',
        options: Object.fromEntries(combo.map((o) => [o.axis, o.value.label])),
        weightGrams: Math.max(1, Math.round(grams)),
        position,
      };
    });

    // Attributes that follow from the options (storage_gb, colour): the first variant's.
    const implied: Attributes = {};
    for (const o of combos[0] ?? []) Object.assign(implied, o.value.attrs);
    const status = chance(r, 0.05) ? 'draft' : 'published';
    const ageDays = (CATALOG_EPOCH_END - createdMs) / 86_400_000;
    // Heavy-tailed sales: most products sold a few units, a few sold thousands; older ones had longer to sell.
    const popularity = status === 'draft' ? 0 : Math.floor(Math.pow(r(), 4) * 4000 * Math.min(1, 0.2 + ageDays / 365)) + int(r, 0, 20);
    const updatedMs = createdMs + Math.floor(r() * Math.min(60 * 86_400_000, CATALOG_EPOCH_END - createdMs));
    const stock = variants.map((v) => {
      if (chance(r, 0.1)) return { sku: v.sku, onHand: 0, reserved: 0 };
      const onHand = Math.max(1, Math.floor(Math.pow(r(), 2) * 500));
      return { sku: v.sku, onHand, reserved: chance(r, 0.3) ? int(r, 0, Math.min(5, onHand - 1)) : 0 };
    });

    return {
      index,
      id,
      categorySlug: category.slug,
      slug: `${slugify(draft.name).slice(0, 100).replace(/-+$/, '')}-${productCode.toLowerCase()}`,
      ...productTexts(category.slug, draft.brand, { name: draft.name, description: draft.description }),
      status,
      attributes: { brand: draft.brand, ...draft.attributes, ...implied },
      minPrice: Math.min(...variants.map((v) => v.price)),
      currency: 'UZS',
      ...(fiscal.get(category.slug) ?? { mxik: null, packageCode: null }),
      popularity,
      createdAt: new Date(createdMs),
      updatedAt: new Date(updatedMs),
      variants,
      stock,
    };
  };
}
