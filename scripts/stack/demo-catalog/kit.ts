/**
 * What a product category's maker returns (a Draft: name, description, price,
 * option axes), and the building blocks the makers share: brands, line prices,
 * colour and storage axes.
 */
import type { Attributes } from '../../../shared/db/schema';
import { hashString, int, logUniform, mulberry32, pick, type Rng, shuffled } from './random';

export interface OptionValue {
  label: string;
  /** Price multiplier against the product's base price (1 when absent). */
  factor?: number;
  /** Grams added to the product's base weight. */
  grams?: number;
  /** Product attributes this value implies; the product's first variant's win (`storage_gb`: its smallest storage). */
  attrs?: Attributes;
}

export interface Axis {
  name: string;
  values: OptionValue[];
}

interface Draft {
  brand: string;
  brandCode: string;
  name: string;
  description: string;
  /** Besides `brand`, which is always set. */
  attributes: Attributes;
  /** Dollars, before variant factors. */
  price: number;
  grams: number;
  axes: Axis[];
}

export type Maker = (r: Rng) => Draft;

export interface Brand {
  name: string;
  code: string;
  lines: readonly string[];
}

export const brand = (name: string, code: string, lines: readonly string[]): Brand => ({ name, code, lines });

/** The same line always costs about the same: a price drawn once per brand and line, then ±8%. */
export function linePrice(r: Rng, b: Brand, line: string, min: number, max: number): number {
  const u = mulberry32(hashString(`${b.name}/${line}`))();
  return logUniform(u, min, max) * (0.92 + r() * 0.16);
}

export const values = (labels: readonly string[], factor?: (i: number) => number): OptionValue[] =>
  labels.map((label, i) => ({ label, ...(factor ? { factor: factor(i) } : {}) }));

export function some<T>(r: Rng, items: readonly T[], min: number, max: number): T[] {
  return shuffled(r, items).slice(0, Math.min(items.length, int(r, min, max)));
}

export const COLOURS_TECH = ['Black', 'White', 'Silver', 'Space Grey', 'Blue', 'Green', 'Pink', 'Midnight', 'Graphite', 'Titanium'];
export const COLOURS_FASHION = ['Black', 'White', 'Navy', 'Heather Grey', 'Olive', 'Beige', 'Burgundy', 'Sky Blue', 'Charcoal', 'Cream', 'Forest Green', 'Rust'];
export const COLOURS_HOME = ['White', 'Black', 'Stainless Steel', 'Cream', 'Sage', 'Matte Black', 'Red', 'Slate Blue'];
const CLOSERS = [
  'Ships within 1–2 business days.',
  'Backed by a one-year manufacturer warranty.',
  'Free returns within 30 days.',
  'Sold and shipped by UltraMarket Demo Seller.',
  'Customers rate it highly for value.',
];
export const closer = (r: Rng) => pick(r, CLOSERS);

/** 1–3 storage sizes, dearer as they grow. */
export function storageAxis(r: Rng, sizes: readonly number[]): Axis {
  const chosen = some(r, sizes, 1, 3).sort((a, b) => a - b);
  const base = chosen[0]!;
  return {
    name: 'storage',
    values: chosen.map((gb) => ({
      label: gb >= 1024 ? `${gb / 1024} TB` : `${gb} GB`,
      factor: 1 + 0.18 * Math.log2(gb / base),
      attrs: { storage_gb: gb },
    })),
  };
}

/** A colour axis whose value is also the product's `colour` attribute (its first variant's). */
export const colourValues = (labels: readonly string[]): Axis => ({ name: 'colour', values: labels.map((label) => ({ label, attrs: { colour: label } })) });

export const colourAxis = (r: Rng, palette: readonly string[], min = 1, max = 3): Axis => ({ name: 'colour', values: values(some(r, palette, min, max)) });
