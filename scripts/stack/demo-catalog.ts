/**
 * The demo catalog: a deterministic, realistic product catalog for `npm run dev`
 * (a few hundred products), `npm run db:seed -- --products N` and `npm run bench`
 * (10,000 products).
 *
 * Deterministic: product `i` of seed `s` is generated from its own PRNG
 * (mulberry32 seeded with a hash of `s` and `i`), so it is the same whatever
 * the catalog size — seeding 10,000 products after 200 adds the 9,800 missing
 * ones and leaves the first 200 as they are. Ids are UUIDv7 built from the
 * row's creation time (spread over the year before CATALOG_EPOCH_END) and
 * PRNG bits: id order is creation order, and the same seed gives the same ids.
 *
 * The category tree is the same for every seed; slugs and SKUs carry the
 * seed and the product's index, so catalogs of different seeds can share a
 * database. Products belong to the demo seller (scripts/stack/seed.ts), who
 * must exist: seed the demo accounts first.
 */
import { inArray, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../../shared/db/schema';
import type { Attributes } from '../../shared/db/schema';
import { DEMO_ACCOUNTS } from './seed';

export const DEFAULT_CATALOG_SEED = 1;
export const MAX_CATALOG_PRODUCTS = 1_000_000;

/** The demo catalog's timeline ends here (fixed, so that ids are reproducible); products span the year before. */
export const CATALOG_EPOCH_END = Date.UTC(2026, 10, 1);
const YEAR_MS = 365 * 24 * 3600 * 1000;
const CATALOG_EPOCH_START = CATALOG_EPOCH_END - YEAR_MS;

/** Words for benchmarks and demos: a word common in product names, and a misspelling of it. */
export const DEMO_SEARCH = { word: 'wireless', typo: 'wirelss' } as const;

const BATCH = 500;

// ---------------------------------------------------------------- randomness

export type Rng = () => number;

/** mulberry32: a small, fast, good-enough 32-bit PRNG. Returns [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes two 32-bit integers into one (murmur3's finaliser). */
function mix(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul((b + 0x632be5ab) | 0, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a string. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const int = (r: Rng, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
const chance = (r: Rng, p: number) => r() < p;
function pick<T>(r: Rng, items: readonly T[]): T {
  const item = items[Math.floor(r() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
function shuffled<T>(r: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
/** A log-uniform value in [min, max]: as many $10–$100 products as $100–$1,000 ones. */
const logUniform = (u: number, min: number, max: number) => Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));

/** A UUIDv7: 48-bit millisecond timestamp, version 7, RFC 4122 variant, 74 bits from `r`. */
export function uuidV7At(ms: number, r: Rng): string {
  const time = Math.floor(ms).toString(16).padStart(12, '0');
  const hex = (bits: number, digits: number) => Math.floor(r() * 2 ** bits).toString(16).padStart(digits, '0');
  const variant = (0x8000 | Math.floor(r() * 0x4000)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex(12, 3)}-${variant}-${hex(24, 6)}${hex(24, 6)}`;
}

/** Shop prices: $739.99, $41.99, $12.49. Input in dollars, output in cents. */
function retail(dollars: number): number {
  let cents: number;
  if (dollars >= 100) cents = Math.round(dollars / 10) * 1000 - 1;
  else if (dollars >= 20) cents = Math.round(dollars) * 100 - 1;
  else cents = Math.round(dollars * 2) * 50 - 1;
  return Math.max(cents, 99);
}

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

// ---------------------------------------------------------------- what products look like

interface OptionValue {
  label: string;
  /** Price multiplier against the product's base price (1 when absent). */
  factor?: number;
  /** Grams added to the product's base weight. */
  grams?: number;
  /** Product attributes this value implies; the product's first variant's win (`storage_gb`: its smallest storage). */
  attrs?: Attributes;
}

interface Axis {
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

type Maker = (r: Rng) => Draft;

interface Brand {
  name: string;
  code: string;
  lines: readonly string[];
}

const brand = (name: string, code: string, lines: readonly string[]): Brand => ({ name, code, lines });

/** The same line always costs about the same: a price drawn once per brand and line, then ±8%. */
function linePrice(r: Rng, b: Brand, line: string, min: number, max: number): number {
  const u = mulberry32(hashString(`${b.name}/${line}`))();
  return logUniform(u, min, max) * (0.92 + r() * 0.16);
}

const values = (labels: readonly string[], factor?: (i: number) => number): OptionValue[] =>
  labels.map((label, i) => ({ label, ...(factor ? { factor: factor(i) } : {}) }));

function some<T>(r: Rng, items: readonly T[], min: number, max: number): T[] {
  return shuffled(r, items).slice(0, Math.min(items.length, int(r, min, max)));
}

const COLOURS_TECH = ['Black', 'White', 'Silver', 'Space Grey', 'Blue', 'Green', 'Pink', 'Midnight', 'Graphite', 'Titanium'];
const COLOURS_FASHION = ['Black', 'White', 'Navy', 'Heather Grey', 'Olive', 'Beige', 'Burgundy', 'Sky Blue', 'Charcoal', 'Cream', 'Forest Green', 'Rust'];
const COLOURS_HOME = ['White', 'Black', 'Stainless Steel', 'Cream', 'Sage', 'Matte Black', 'Red', 'Slate Blue'];
const CLOSERS = [
  'Ships within 1–2 business days.',
  'Backed by a one-year manufacturer warranty.',
  'Free returns within 30 days.',
  'Sold and shipped by UltraMarket Demo Seller.',
  'Customers rate it highly for value.',
];
const closer = (r: Rng) => pick(r, CLOSERS);

/** 1–3 storage sizes, dearer as they grow. */
function storageAxis(r: Rng, sizes: readonly number[]): Axis {
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
const colourValues = (labels: readonly string[]): Axis => ({ name: 'colour', values: labels.map((label) => ({ label, attrs: { colour: label } })) });

const colourAxis = (r: Rng, palette: readonly string[], min = 1, max = 3): Axis => ({ name: 'colour', values: values(some(r, palette, min, max)) });

// ---------------------------------------------------------------- electronics

const phones = [
  brand('Apple', 'APL', ['iPhone 15', 'iPhone 15 Plus', 'iPhone 15 Pro', 'iPhone 16', 'iPhone 16 Pro', 'iPhone 16 Pro Max', 'iPhone SE']),
  brand('Samsung', 'SAM', ['Galaxy S24', 'Galaxy S24+', 'Galaxy S24 Ultra', 'Galaxy A35', 'Galaxy A55', 'Galaxy Z Flip6', 'Galaxy Z Fold6']),
  brand('Google', 'GGL', ['Pixel 8', 'Pixel 8a', 'Pixel 9', 'Pixel 9 Pro', 'Pixel 9 Pro XL']),
  brand('Xiaomi', 'XMI', ['Redmi Note 13', 'Redmi Note 13 Pro', '14', '14T Pro', 'Poco F6']),
  brand('OnePlus', 'ONP', ['12', '12R', 'Nord 4', 'Nord CE4']),
  brand('Motorola', 'MOT', ['Moto G84', 'Edge 50 Pro', 'Razr 50']),
];
const smartphone: Maker = (r) => {
  const b = pick(r, phones);
  const line = pick(r, b.lines);
  const ram = pick(r, [6, 8, 12, 16]);
  const screen = pick(r, [6.1, 6.2, 6.4, 6.7, 6.8]);
  const os = b.name === 'Apple' ? 'iOS' : 'Android';
  const storage = storageAxis(r, b.name === 'Apple' ? [128, 256, 512, 1024] : [128, 256, 512]);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${pick(r, ['5G Smartphone', 'Unlocked Phone', 'Dual SIM Smartphone', 'Smartphone'])}${chance(r, 0.3) ? `, ${ram} GB RAM` : ''}`,
    description:
      `The ${line} is an unlocked 5G phone with a ${screen}-inch OLED display and ${ram} GB of RAM. ` +
      `${pick(r, ['All-day battery life and fast charging.', 'A pro-grade camera system for sharp photos in low light.', 'Durable glass front and aluminium frame.'])} ${closer(r)}`,
    attributes: { os, screen_in: screen, ram_gb: ram, connectivity: '5G' },
    price: linePrice(r, b, line, 199, 1299),
    grams: int(r, 165, 240),
    axes: [storage, colourAxis(r, COLOURS_TECH, 1, 2)],
  };
};

const tabletBrands = [
  brand('Apple', 'APL', ['iPad (10th generation)', 'iPad Air 11"', 'iPad Air 13"', 'iPad Pro 11"', 'iPad Pro 13"', 'iPad mini']),
  brand('Samsung', 'SAM', ['Galaxy Tab S9', 'Galaxy Tab S9 FE', 'Galaxy Tab A9+']),
  brand('Lenovo', 'LEN', ['Tab P12', 'Tab M11', 'Yoga Tab 13']),
  brand('Amazon', 'AMZ', ['Fire HD 10', 'Fire Max 11', 'Fire HD 8']),
  brand('Xiaomi', 'XMI', ['Pad 6', 'Redmi Pad SE']),
];
const tablet: Maker = (r) => {
  const b = pick(r, tabletBrands);
  const line = pick(r, b.lines);
  const storage = storageAxis(r, [64, 128, 256, 512]);
  const screen = pick(r, [8.3, 10.9, 11, 12.4, 13]);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} Tablet${chance(r, 0.4) ? ', Wi-Fi' : ''}`,
    description: `${line}: a light tablet for streaming, notes and games, with a ${screen}-inch display and all-day battery. ${closer(r)}`,
    attributes: { os: b.name === 'Apple' ? 'iPadOS' : 'Android', screen_in: screen },
    price: linePrice(r, b, line, 99, 1299),
    grams: int(r, 290, 680),
    axes: [storage, colourAxis(r, COLOURS_TECH, 1, 2)],
  };
};

const laptopBrands = [
  brand('Apple', 'APL', ['MacBook Air 13" M3', 'MacBook Air 15" M3', 'MacBook Pro 14" M4', 'MacBook Pro 16" M4 Pro']),
  brand('Dell', 'DEL', ['XPS 13', 'XPS 14', 'Inspiron 15', 'Latitude 7450']),
  brand('Lenovo', 'LEN', ['ThinkPad X1 Carbon Gen 12', 'IdeaPad Slim 5', 'Yoga 7i', 'Legion 5 Pro']),
  brand('HP', 'HPQ', ['Spectre x360 14', 'Pavilion 15', 'EliteBook 840 G11', 'Omen 16']),
  brand('ASUS', 'ASU', ['Zenbook 14 OLED', 'ROG Zephyrus G14', 'Vivobook 16']),
  brand('Acer', 'ACR', ['Swift Go 14', 'Aspire 5', 'Predator Helios 16']),
  brand('Microsoft', 'MSF', ['Surface Laptop 7', 'Surface Pro 11']),
];
const laptop: Maker = (r) => {
  const b = pick(r, laptopBrands);
  const line = pick(r, b.lines);
  const cpu = b.name === 'Apple' ? `Apple ${/M\d(?: Pro| Max)?/.exec(line)?.[0] ?? 'M3'}` : pick(r, ['Intel Core Ultra 7', 'Intel Core i5', 'AMD Ryzen 7', 'AMD Ryzen 5', 'Snapdragon X Elite']);
  const configs = some(r, [[8, 256], [16, 512], [16, 1024], [32, 1024], [32, 2048]] as const, 1, 3).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const base = configs[0]!;
  const screen = Number(/(\d\d)"/.exec(line)?.[1] ?? pick(r, [13.6, 14, 15.6, 16]));
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} Laptop${b.name === 'Apple' ? '' : `, ${cpu}`}`,
    description:
      `A ${pick(r, ['thin and light', 'powerful', 'versatile', 'business-class'])} laptop with ${cpu}, a ${screen}-inch display ` +
      `and up to ${pick(r, [12, 15, 18, 20])} hours of battery. ${closer(r)}`,
    attributes: { cpu, os: b.name === 'Apple' ? 'macOS' : 'Windows 11', screen_in: screen },
    price: linePrice(r, b, line, 449, 2499),
    grams: int(r, 1150, 2600),
    axes: [
      {
        name: 'configuration',
        values: configs.map(([ram, ssd]) => ({
          label: `${ram} GB / ${ssd >= 1024 ? `${ssd / 1024} TB` : `${ssd} GB`}`,
          factor: 1 + 0.12 * Math.log2(ram / base[0]) + 0.1 * Math.log2(ssd / base[1]),
          attrs: { ram_gb: ram, storage_gb: ssd },
        })),
      },
    ],
  };
};

const monitorBrands = [
  brand('Dell', 'DEL', ['UltraSharp U2724D', 'UltraSharp U3225QE', 'S2721DGF']),
  brand('LG', 'LGE', ['UltraGear 27GR95QE', 'UltraFine 27UQ850', '32UN880 Ergo']),
  brand('Samsung', 'SAM', ['Odyssey G7', 'Odyssey OLED G8', 'ViewFinity S8']),
  brand('ASUS', 'ASU', ['ProArt PA278QV', 'TUF Gaming VG27AQ', 'ROG Swift PG27AQDM']),
  brand('BenQ', 'BNQ', ['PD2705U', 'MOBIUZ EX2710Q', 'GW2790']),
  brand('AOC', 'AOC', ['24G2SP', 'Q27G3XMN']),
];
const monitor: Maker = (r) => {
  const b = pick(r, monitorBrands);
  const line = pick(r, b.lines);
  const size = pick(r, [24, 27, 27, 32, 34]);
  const resolution = pick(r, ['1920x1080', '2560x1440', '3840x2160']);
  const hz = pick(r, [60, 75, 144, 165, 240]);
  const panel = pick(r, ['IPS', 'VA', 'OLED']);
  const label = resolution === '3840x2160' ? '4K UHD' : resolution === '2560x1440' ? 'QHD' : 'Full HD';
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${size}" ${label} ${panel} Monitor${hz >= 144 ? `, ${hz} Hz` : ''}`,
    description: `A ${size}-inch ${panel} monitor at ${resolution} and ${hz} Hz, with USB-C and a height-adjustable stand. ${closer(r)}`,
    attributes: { screen_in: size, resolution, refresh_hz: hz, panel },
    price: linePrice(r, b, line, 129, 1199),
    grams: int(r, 3500, 8200),
    axes: [],
  };
};

const headphoneBrands = [
  brand('Sony', 'SNY', ['WH-1000XM5', 'WF-1000XM5', 'WH-CH720N', 'ULT Wear']),
  brand('Bose', 'BOS', ['QuietComfort Ultra', 'QuietComfort Earbuds II', 'QuietComfort 45']),
  brand('Apple', 'APL', ['AirPods Pro (2nd generation)', 'AirPods Max', 'AirPods 4']),
  brand('Sennheiser', 'SEN', ['Momentum 4', 'Momentum True Wireless 4', 'Accentum Plus']),
  brand('JBL', 'JBL', ['Tune 770NC', 'Live Pro 2', 'Tour One M2']),
  brand('Beats', 'BTS', ['Studio Pro', 'Solo 4', 'Fit Pro']),
  brand('Anker', 'ANK', ['Soundcore Space Q45', 'Soundcore Liberty 4 NC', 'Soundcore Life Q30']),
];
const headphones: Maker = (r) => {
  const b = pick(r, headphoneBrands);
  const line = pick(r, b.lines);
  const inEar = /Earbuds|AirPods(?! Max)|WF-|True Wireless|Live Pro|Fit Pro|Liberty/.test(line);
  const anc = chance(r, 0.75);
  const hours = inEar ? int(r, 5, 10) : int(r, 20, 60);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${inEar ? 'Wireless Earbuds' : pick(r, ['Wireless Headphones', 'Wireless Over-Ear Headphones'])}${anc ? ' with Noise Cancelling' : ''}`,
    description:
      `${anc ? 'Active noise cancelling, ' : ''}Bluetooth 5.3 and up to ${hours} hours of playback${inEar ? ' (more with the charging case)' : ''}. ` +
      `${pick(r, ['Comfortable for all-day wear.', 'Clear calls with beamforming microphones.', 'Rich, balanced sound tuned by our engineers.'])} ${closer(r)}`,
    attributes: { type: inEar ? 'in-ear' : 'over-ear', wireless: true, noise_cancelling: anc, battery_hours: hours },
    price: linePrice(r, b, line, 39, 549),
    grams: inEar ? int(r, 40, 70) : int(r, 220, 390),
    axes: [colourAxis(r, ['Black', 'White', 'Silver', 'Midnight Blue', 'Sandstone', 'Pink'], 1, 4)],
  };
};

const speakerBrands = [
  brand('JBL', 'JBL', ['Flip 6', 'Charge 5', 'Go 4', 'Xtreme 4']),
  brand('Sonos', 'SON', ['Era 100', 'Era 300', 'Move 2', 'Roam 2']),
  brand('Bose', 'BOS', ['SoundLink Flex', 'SoundLink Max', 'SoundLink Micro']),
  brand('Ultimate Ears', 'UEA', ['BOOM 4', 'WONDERBOOM 4', 'MEGABOOM 4']),
  brand('Marshall', 'MAR', ['Emberton III', 'Stanmore III', 'Middleton']),
];
const speaker: Maker = (r) => {
  const b = pick(r, speakerBrands);
  const line = pick(r, b.lines);
  const portable = !/Era|Stanmore/.test(line);
  const hours = portable ? int(r, 10, 30) : 0;
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${portable ? pick(r, ['Portable Wireless Bluetooth Speaker', 'Waterproof Wireless Speaker']) : 'Wireless Smart Speaker'}`,
    description: portable
      ? `Big sound from a rugged, IP67 waterproof speaker with ${hours} hours of battery. Pair two for stereo. ${closer(r)}`
      : `A wireless smart speaker for the home: Wi-Fi and Bluetooth, voice control and room-filling sound. ${closer(r)}`,
    attributes: { wireless: true, ...(portable ? { battery_hours: hours, waterproof: 'IP67' } : { smart_assistant: true }) },
    price: linePrice(r, b, line, 49, 599),
    grams: portable ? int(r, 180, 2100) : int(r, 2000, 4500),
    axes: [colourAxis(r, ['Black', 'White', 'Blue', 'Red', 'Forest Green', 'Cream'], 1, 4)],
  };
};

const cameraBrands = [
  brand('Canon', 'CAN', ['EOS R6 Mark II', 'EOS R50', 'EOS R8', 'EOS R10']),
  brand('Sony', 'SNY', ['Alpha 7 IV', 'Alpha 6400', 'ZV-E10 II', 'Alpha 7C II']),
  brand('Nikon', 'NIK', ['Z6 III', 'Z fc', 'Z50 II', 'Z5']),
  brand('Fujifilm', 'FUJ', ['X-T5', 'X100VI', 'X-S20', 'X-M5']),
  brand('Panasonic', 'PAN', ['Lumix S5 II', 'Lumix G9 II']),
];
const camera: Maker = (r) => {
  const b = pick(r, cameraBrands);
  const line = pick(r, b.lines);
  const fullFrame = /R6|R8|Alpha 7|Z6|Z5|S5/.test(line);
  const mp = fullFrame ? pick(r, [24, 24.2, 33, 45]) : pick(r, [24.2, 26, 40.2]);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} Mirrorless Camera`,
    description: `${fullFrame ? 'Full-frame' : 'APS-C'} ${mp} MP sensor, in-body stabilisation and 4K video in a compact body. ${closer(r)}`,
    attributes: { sensor: fullFrame ? 'Full Frame' : 'APS-C', megapixels: mp, video: '4K' },
    price: linePrice(r, b, line, 549, 2499),
    grams: int(r, 380, 760),
    axes: [
      {
        name: 'kit',
        values: some(r, [{ label: 'Body Only' }, { label: 'With Kit Lens', factor: 1.2, grams: 300 }, { label: 'With Zoom Lens', factor: 1.45, grams: 550 }], 1, 3),
      },
    ],
  };
};

const watchBrands = [
  brand('Apple', 'APL', ['Watch Series 10', 'Watch SE', 'Watch Ultra 2']),
  brand('Samsung', 'SAM', ['Galaxy Watch7', 'Galaxy Watch Ultra', 'Galaxy Fit3']),
  brand('Garmin', 'GRM', ['Forerunner 265', 'Fenix 8', 'Venu 3', 'Instinct 2X']),
  brand('Fitbit', 'FIT', ['Charge 6', 'Versa 4', 'Inspire 3']),
  brand('Google', 'GGL', ['Pixel Watch 3']),
  brand('Amazfit', 'AMF', ['GTR 4', 'Balance', 'Bip 5']),
];
const smartwatch: Maker = (r) => {
  const b = pick(r, watchBrands);
  const line = pick(r, b.lines);
  const tracker = /Fit3|Charge|Inspire|Bip/.test(line);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${tracker ? 'Fitness Tracker' : pick(r, ['Smartwatch', 'GPS Smartwatch', 'Smart Watch'])}`,
    description: `Heart rate, sleep and workout tracking${tracker ? '' : ', built-in GPS and notifications from your phone'}. Water resistant to 50 m. ${closer(r)}`,
    attributes: { gps: !tracker, water_resistance_m: 50, battery_days: tracker ? int(r, 7, 14) : int(r, 1, 14) },
    price: linePrice(r, b, line, 49, 899),
    grams: int(r, 25, 70),
    axes: tracker
      ? [colourAxis(r, ['Black', 'Lunar White', 'Coral', 'Sage'], 1, 3)]
      : [{ name: 'case', values: some(r, [{ label: '41 mm' }, { label: '45 mm', factor: 1.08 }], 1, 2) }, colourAxis(r, ['Midnight', 'Starlight', 'Silver', 'Black', 'Slate'], 1, 2)],
  };
};

// ---------------------------------------------------------------- fashion

const SIZES_ADULT = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];

function apparel(gender: 'Men' | 'Women', brands: Brand[], items: readonly { item: string; material: string; min: number; max: number; grams: number }[]): Maker {
  return (r) => {
    const b = pick(r, brands);
    const it = pick(r, items);
    const adjective = pick(r, ['', '', 'Essential ', 'Relaxed-Fit ', 'Organic Cotton ', 'Classic ', 'Premium ']);
    const name = `${b.name} ${gender === 'Men' ? "Men's" : "Women's"} ${adjective}${it.item}`;
    const sizes = SIZES_ADULT.slice(gender === 'Men' ? 1 : 0, gender === 'Men' ? 6 : 5);
    const colour = some(r, COLOURS_FASHION, 1, 2);
    return {
      brand: b.name,
      brandCode: b.code,
      name,
      description: `${adjective.trim() || 'Timeless'} ${it.item.toLowerCase()} in ${it.material.toLowerCase()}. ${pick(r, ['Machine washable.', 'True to size.', 'Made to last, season after season.', 'Pairs with everything.'])} ${closer(r)}`,
      attributes: { gender: gender === 'Men' ? 'men' : 'women', material: it.material },
      price: linePrice(r, b, it.item, it.min, it.max),
      grams: Math.round(it.grams * (0.9 + r() * 0.2)),
      axes: [{ name: 'size', values: values(some(r, sizes, 1, 3).sort((x, y) => sizes.indexOf(x) - sizes.indexOf(y))) }, colourValues(colour)],
    };
  };
}

const mensBrands = [
  brand("Levi's", 'LEV', []),
  brand('Ralph Lauren', 'RLA', []),
  brand('Tommy Hilfiger', 'TOM', []),
  brand('Uniqlo', 'UNQ', []),
  brand('Patagonia', 'PAT', []),
  brand('The North Face', 'TNF', []),
  brand('Carhartt', 'CAR', []),
];
const mensClothing = apparel('Men', mensBrands, [
  { item: 'Slim Fit Jeans', material: 'Denim', min: 39, max: 129, grams: 650 },
  { item: 'Oxford Shirt', material: 'Cotton', min: 29, max: 149, grams: 280 },
  { item: 'Crew Neck T-Shirt', material: 'Cotton', min: 12, max: 49, grams: 180 },
  { item: 'Merino Wool Sweater', material: 'Merino wool', min: 59, max: 199, grams: 420 },
  { item: 'Chino Trousers', material: 'Cotton twill', min: 39, max: 119, grams: 520 },
  { item: 'Hooded Sweatshirt', material: 'Cotton fleece', min: 35, max: 119, grams: 600 },
  { item: 'Puffer Jacket', material: 'Recycled nylon', min: 99, max: 349, grams: 750 },
  { item: 'Polo Shirt', material: 'Cotton piqué', min: 25, max: 119, grams: 250 },
  { item: 'Fleece Jacket', material: 'Polyester fleece', min: 49, max: 179, grams: 480 },
]);

const womensBrands = [
  brand('Zara', 'ZAR', []),
  brand('Mango', 'MNG', []),
  brand("Levi's", 'LEV', []),
  brand('Uniqlo', 'UNQ', []),
  brand('H&M', 'HNM', []),
  brand('Reformation', 'REF', []),
  brand('Lululemon', 'LUL', []),
];
const womensClothing = apparel('Women', womensBrands, [
  { item: 'High-Rise Skinny Jeans', material: 'Stretch denim', min: 39, max: 139, grams: 560 },
  { item: 'Wrap Midi Dress', material: 'Viscose', min: 45, max: 249, grams: 350 },
  { item: 'Linen Blouse', material: 'Linen', min: 29, max: 129, grams: 200 },
  { item: 'Cashmere Cardigan', material: 'Cashmere', min: 99, max: 349, grams: 380 },
  { item: 'Wide-Leg Trousers', material: 'Wool blend', min: 49, max: 169, grams: 450 },
  { item: 'Ribbed Tank Top', material: 'Cotton', min: 12, max: 49, grams: 140 },
  { item: 'Trench Coat', material: 'Cotton gabardine', min: 119, max: 399, grams: 1100 },
  { item: 'Pleated Skirt', material: 'Polyester', min: 35, max: 119, grams: 300 },
  { item: 'High-Waisted Leggings', material: 'Nylon elastane', min: 29, max: 129, grams: 220 },
]);

const SHOE_SIZES = ['6', '6.5', '7', '7.5', '8', '8.5', '9', '9.5', '10', '10.5', '11', '12', '13'];

function shoes(kind: 'Running Shoes' | 'Sneakers', brands: Brand[], min: number, max: number): Maker {
  return (r) => {
    const b = pick(r, brands);
    const line = pick(r, b.lines);
    const gender = pick(r, ["Men's", "Women's"] as const);
    const sizes = some(r, SHOE_SIZES, 1, 3).sort((x, y) => Number(x) - Number(y));
    const colour = some(r, ['Black/White', 'White', 'Grey', 'Navy', 'Triple Black', 'Volt', 'Sail/Gum', 'Blue/Orange'], 1, 2);
    const running = kind === 'Running Shoes';
    const material = running ? 'Engineered mesh' : pick(r, ['Leather', 'Suede', 'Canvas']);
    return {
      brand: b.name,
      brandCode: b.code,
      name: `${b.name} ${line} ${gender} ${kind}`,
      description: running
        ? `A ${pick(r, ['cushioned', 'responsive', 'stable', 'lightweight'])} ${pick(r, ['road', 'road', 'trail'])} running shoe with a ${pick(r, [4, 6, 8, 10, 12])} mm drop and a breathable ${material.toLowerCase()} upper. ${closer(r)}`
        : `The ${line} in ${material.toLowerCase()}: an everyday classic with a rubber cupsole. ${closer(r)}`,
      attributes: { gender: gender === "Men's" ? 'men' : 'women', material, ...(running ? { terrain: pick(r, ['road', 'trail']) } : {}) },
      price: linePrice(r, b, line, min, max),
      grams: int(r, 480, 900),
      axes: [{ name: 'size', values: values(sizes.map((s) => `US ${s}`)) }, colourValues(colour)],
    };
  };
}

const runningShoes = shoes(
  'Running Shoes',
  [
    brand('Nike', 'NKE', ['Pegasus 41', 'Vomero 17', 'Invincible 3', 'Structure 25']),
    brand('Adidas', 'ADI', ['Ultraboost Light', 'Adizero Boston 12', 'Supernova Rise']),
    brand('ASICS', 'ASC', ['Gel-Kayano 31', 'Gel-Nimbus 26', 'Novablast 4']),
    brand('Brooks', 'BRK', ['Ghost 16', 'Glycerin 21', 'Adrenaline GTS 24']),
    brand('Hoka', 'HOK', ['Clifton 9', 'Bondi 8', 'Speedgoat 6']),
    brand('New Balance', 'NBL', ['Fresh Foam X 1080v14', 'FuelCell Rebel v4']),
    brand('Saucony', 'SAU', ['Endorphin Speed 4', 'Ride 17']),
  ],
  79,
  249,
);
const sneakers = shoes(
  'Sneakers',
  [
    brand('Nike', 'NKE', ["Air Force 1 '07", 'Air Max 90', 'Dunk Low']),
    brand('Adidas', 'ADI', ['Samba OG', 'Stan Smith', 'Gazelle']),
    brand('New Balance', 'NBL', ['550', '574', '990v6']),
    brand('Converse', 'CNV', ['Chuck Taylor All Star', 'Chuck 70']),
    brand('Vans', 'VAN', ['Old Skool', 'Sk8-Hi', 'Authentic']),
    brand('Puma', 'PUM', ['Suede Classic', 'Palermo']),
  ],
  55,
  199,
);

const bagBrands = [
  brand('Herschel', 'HER', ['Little America Backpack', 'Novel Duffle', 'Heritage Backpack']),
  brand('Fjällräven', 'FJR', ['Kånken Backpack', 'Kånken Laptop 15"', 'Ulvö Hip Pack']),
  brand('Samsonite', 'SMS', ['Freeform Carry-On Spinner', 'Classic Leather Briefcase']),
  brand('Michael Kors', 'MKO', ['Jet Set Tote', 'Jet Set Crossbody']),
  brand('Coach', 'COA', ['Tabby Shoulder Bag', 'Willow Tote']),
  brand('Ray-Ban', 'RBN', ['Aviator Classic Sunglasses', 'Wayfarer Sunglasses']),
];
const bags: Maker = (r) => {
  const b = pick(r, bagBrands);
  const line = pick(r, b.lines);
  const material = /Sunglasses/.test(line) ? 'Metal and glass' : /Leather|Tote|Shoulder|Crossbody/.test(line) ? 'Leather' : pick(r, ['Recycled polyester', 'Vinylon F', 'Canvas']);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${material} ${/Sunglasses/.test(line) ? 'sunglasses with polarised lenses and a case' : 'bag with a padded laptop sleeve and water-resistant finish'}. ${closer(r)}`,
    attributes: { material },
    price: linePrice(r, b, line, 35, 449),
    grams: /Sunglasses/.test(line) ? int(r, 25, 50) : int(r, 300, 3200),
    axes: [colourAxis(r, ['Black', 'Navy', 'Ox Red', 'Frost Green', 'Tan', 'Gold/Green'], 1, 3)],
  };
};

const classicWatchBrands = [
  brand('Casio', 'CAS', ['G-Shock GA-2100', 'G-Shock DW-5600', 'F-91W', 'Edifice EFR-S108']),
  brand('Seiko', 'SEI', ['5 Sports SRPD', 'Presage Cocktail Time', 'Prospex Turtle']),
  brand('Citizen', 'CIT', ['Eco-Drive Promaster Diver', 'Tsuyosa']),
  brand('Tissot', 'TIS', ['PRX Powermatic 80', 'Le Locle']),
  brand('Timex', 'TMX', ['Marlin', 'Weekender', 'Expedition Scout']),
  brand('Orient', 'ORI', ['Bambino', 'Kamasu']),
];
const watches: Maker = (r) => {
  const b = pick(r, classicWatchBrands);
  const line = pick(r, b.lines);
  const caseMm = pick(r, [36, 38, 40, 42, 44]);
  const movement = /Powermatic|Presage|5 Sports|Turtle|Bambino|Kamasu|Le Locle|Tsuyosa/.test(line) ? 'Automatic' : /Eco-Drive/.test(line) ? 'Solar' : 'Quartz';
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${movement} Watch`,
    description: `${movement} movement, ${caseMm} mm case and ${pick(r, [30, 50, 100, 200])} m water resistance. ${closer(r)}`,
    attributes: { movement, case_mm: caseMm, material: pick(r, ['Stainless steel', 'Resin', 'Titanium']) },
    price: linePrice(r, b, line, 19, 899),
    grams: int(r, 40, 180),
    axes: [{ name: 'strap', values: some(r, [{ label: 'Steel Bracelet', factor: 1.1 }, { label: 'Leather Strap' }, { label: 'Rubber Strap' }], 1, 2) }],
  };
};

// ---------------------------------------------------------------- home & kitchen

const coffeeBrands = [
  brand('Breville', 'BRV', ['Barista Express', 'Bambino Plus', 'Oracle Touch', 'Barista Pro']),
  brand("De'Longhi", 'DLG', ['Magnifica Evo', 'Dedica Arte', 'La Specialista Arte']),
  brand('Nespresso', 'NES', ['Vertuo Next', 'Vertuo Pop', 'Essenza Mini']),
  brand('Keurig', 'KEU', ['K-Elite', 'K-Mini', 'K-Supreme']),
  brand('Philips', 'PHI', ['3200 LatteGo', '5400 LatteGo']),
  brand('Jura', 'JUR', ['E8', 'ENA 8']),
];
const coffee: Maker = (r) => {
  const b = pick(r, coffeeBrands);
  const line = pick(r, b.lines);
  const type = ['Nespresso', 'Keurig'].includes(b.name) ? 'Coffee Pod Machine' : /LatteGo|Magnifica|Jura|E8|ENA|Oracle/.test(`${b.name} ${line}`) ? 'Bean-to-Cup Espresso Machine' : 'Espresso Machine';
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${type}`,
    description: `${type.toLowerCase().replace(/^./, (c) => c.toUpperCase())} with ${pick(r, ['a steam wand for latte art', 'one-touch cappuccino', 'a built-in grinder', 'a 40-second heat-up'])}. ${closer(r)}`,
    attributes: { type: type.toLowerCase(), wattage: pick(r, [1260, 1350, 1450, 1600]), capacity_ml: pick(r, [600, 1000, 1500, 1800, 2000]) },
    price: linePrice(r, b, line, 79, 2499),
    grams: int(r, 2800, 11000),
    axes: [colourAxis(r, ['Brushed Stainless Steel', 'Black Truffle', 'White', 'Matte Black', 'Red'], 1, 3)],
  };
};

const blenderBrands = [
  brand('Vitamix', 'VTX', ['5200', 'A3500 Ascent', 'E310 Explorian']),
  brand('Ninja', 'NIN', ['Professional Plus', 'Nutri-Blender Pro', 'Foodi Power Blender']),
  brand('NutriBullet', 'NUT', ['Pro 900', 'Blender Combo', 'Ultra']),
  brand('KitchenAid', 'KAD', ['K400', 'K150']),
  brand('Breville', 'BRV', ['Super Q', 'Fresh & Furious']),
];
const blender: Maker = (r) => {
  const b = pick(r, blenderBrands);
  const line = pick(r, b.lines);
  const watts = pick(r, [600, 900, 1000, 1200, 1500]);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${pick(r, ['Blender', 'Countertop Blender', 'Personal Blender'])}, ${watts} W`,
    description: `${watts}-watt motor, ${pick(r, ['variable speed control', 'auto-iQ programs', 'a tamper for thick blends'])} and a BPA-free jar. ${closer(r)}`,
    attributes: { wattage: watts, capacity_ml: pick(r, [700, 1200, 1400, 2000]), dishwasher_safe: chance(r, 0.8) },
    price: linePrice(r, b, line, 49, 649),
    grams: int(r, 2000, 5500),
    axes: [colourAxis(r, COLOURS_HOME, 1, 3)],
  };
};

const cookwareBrands = [
  brand('Le Creuset', 'LCR', ['Signature Round Dutch Oven', 'Signature Skillet', 'Braiser']),
  brand('Lodge', 'LDG', ['Cast Iron Skillet', 'Enameled Dutch Oven', 'Cast Iron Griddle']),
  brand('All-Clad', 'ACL', ['D3 Stainless Fry Pan', 'D3 10-Piece Cookware Set', 'HA1 Nonstick Pan Set']),
  brand('Staub', 'STB', ['Round Cocotte', 'Cast Iron Fry Pan']),
  brand('Made In', 'MDI', ['Carbon Steel Frying Pan', 'Stainless Clad Saucepan']),
  brand('GreenPan', 'GRP', ['Valencia Pro Frying Pan', 'Padova Ceramic Set']),
];
const cookware: Maker = (r) => {
  const b = pick(r, cookwareBrands);
  const line = pick(r, b.lines);
  const material = /Cast Iron|Dutch Oven|Cocotte|Braiser|Skillet|Griddle/.test(line) ? 'Cast iron' : /Carbon/.test(line) ? 'Carbon steel' : /Nonstick|Ceramic|Valencia/.test(line) ? 'Nonstick aluminium' : 'Stainless steel';
  const set = /Set/.test(line);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${material} ${set ? 'cookware set' : 'cookware'} that works on every hob, induction included, and in the oven. ${closer(r)}`,
    attributes: { material, induction: true, dishwasher_safe: material !== 'Cast iron' && material !== 'Carbon steel' },
    price: linePrice(r, b, line, 24, 649),
    grams: int(r, 900, 6500),
    axes: set ? [] : [{ name: 'size', values: some(r, [{ label: '20 cm' }, { label: '24 cm', factor: 1.15, grams: 300 }, { label: '28 cm', factor: 1.3, grams: 700 }], 1, 3) }],
  };
};

const furnitureBrands = [
  brand('IKEA', 'IKE', ['KALLAX Shelf Unit', 'POÄNG Armchair', 'MALM Bed Frame', 'BILLY Bookcase', 'LACK Side Table']),
  brand('Herman Miller', 'HMI', ['Aeron Office Chair', 'Sayl Office Chair']),
  brand('Steelcase', 'STC', ['Series 1 Office Chair', 'Gesture Office Chair']),
  brand('FlexiSpot', 'FLX', ['E7 Standing Desk', 'E5 Standing Desk']),
  brand('West Elm', 'WEL', ['Mid-Century Desk', 'Harmony Sofa', 'Mid-Century Nightstand']),
];
const furniture: Maker = (r) => {
  const b = pick(r, furnitureBrands);
  const line = pick(r, b.lines);
  const material = /Chair/.test(line) ? 'Mesh and aluminium' : /Sofa|Armchair/.test(line) ? 'Fabric' : pick(r, ['Oak veneer', 'Walnut', 'Particleboard', 'Steel']);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${material} construction${chance(r, 0.6) ? ', easy to assemble' : ''}. ${pick(r, ['Designed for small spaces.', 'Built for years of daily use.', 'Clean lines that suit any room.'])} ${closer(r)}`,
    attributes: { material, assembly_required: !/Sofa/.test(line) },
    price: linePrice(r, b, line, 29, 1899),
    grams: int(r, 4000, 45000),
    axes: [colourAxis(r, ['White', 'Black-Brown', 'Oak', 'Walnut', 'Graphite', 'Light Grey'], 1, 3)],
  };
};

const beddingBrands = [
  brand('Brooklinen', 'BRL', ['Luxe Sateen Sheet Set', 'Classic Percale Duvet Cover', 'Down Comforter']),
  brand('Parachute', 'PAR', ['Linen Duvet Cover', 'Percale Sheet Set']),
  brand('Casper', 'CSP', ['Original Pillow', 'Humidity Fighting Duvet']),
  brand('Tempur-Pedic', 'TMP', ['TEMPUR-Cloud Pillow', 'TEMPUR-Adapt Topper']),
  brand('Bedsure', 'BDS', ['Fleece Throw Blanket', 'Microfiber Sheet Set']),
];
const bedding: Maker = (r) => {
  const b = pick(r, beddingBrands);
  const line = pick(r, b.lines);
  const material = /Linen/.test(line) ? 'Linen' : /Fleece|Microfiber/.test(line) ? 'Microfiber' : /Pillow|Topper/.test(line) ? 'Memory foam' : 'Cotton';
  const beds = ['Twin', 'Full', 'Queen', 'King', 'California King'];
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${material}${material === 'Cotton' ? `, ${pick(r, [300, 400, 480, 600])} thread count` : ''}. Soft from the first night, and softer with every wash. ${closer(r)}`,
    attributes: { material },
    price: linePrice(r, b, line, 19, 349),
    grams: int(r, 500, 2800),
    axes: [
      { name: 'size', values: some(r, beds, 1, 3).sort((x, y) => beds.indexOf(x) - beds.indexOf(y)).map((label) => ({ label, factor: 1 + 0.12 * beds.indexOf(label) })) },
      colourAxis(r, ['White', 'Cream', 'Sage', 'Slate Blue', 'Charcoal'], 1, 1),
    ],
  };
};

// ---------------------------------------------------------------- beauty

const volumes = (r: Rng, options: readonly number[]): Axis => ({
  name: 'size',
  values: some(r, options, 1, 2)
    .sort((a, b) => a - b)
    .map((ml, _i, all) => ({ label: `${ml} ml`, factor: Math.pow(ml / all[0]!, 0.7), grams: ml })),
});

const skincareBrands = [
  brand('CeraVe', 'CER', ['Hydrating Facial Cleanser', 'Moisturizing Cream', 'PM Facial Moisturizing Lotion']),
  brand('La Roche-Posay', 'LRP', ['Anthelios Sunscreen SPF 50', 'Toleriane Double Repair Moisturizer', 'Effaclar Duo']),
  brand('The Ordinary', 'ORD', ['Niacinamide 10% + Zinc 1% Serum', 'Hyaluronic Acid 2% + B5 Serum', 'Glycolic Acid 7% Toner']),
  brand('Neutrogena', 'NTG', ['Hydro Boost Water Gel', 'Ultra Sheer Sunscreen SPF 55']),
  brand("Kiehl's", 'KIE', ['Ultra Facial Cream', 'Midnight Recovery Concentrate']),
  brand('Clinique', 'CLQ', ['Moisture Surge 100H', 'Dramatically Different Moisturizing Lotion+']),
  brand("Paula's Choice", 'PCH', ['2% BHA Liquid Exfoliant', 'C15 Super Booster']),
];
const skincare: Maker = (r) => {
  const b = pick(r, skincareBrands);
  const line = pick(r, b.lines);
  const skin = pick(r, ['all', 'dry', 'oily', 'combination', 'sensitive']);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `Dermatologist-tested, for ${skin === 'all' ? 'all skin types' : `${skin} skin`}. ${pick(r, ['Fragrance-free and non-comedogenic.', 'With ceramides and hyaluronic acid.', 'Lightweight and fast-absorbing.'])} ${closer(r)}`,
    attributes: { skin_type: skin, vegan: chance(r, 0.4), fragrance_free: chance(r, 0.6) },
    price: linePrice(r, b, line, 8, 89),
    grams: 40,
    axes: [volumes(r, [30, 50, 100, 236, 473])],
  };
};

const makeupBrands = [
  brand('Maybelline', 'MAY', ['Lash Sensational Mascara', 'Fit Me Matte + Poreless Foundation', 'SuperStay Matte Ink Lipstick']),
  brand("L'Oréal Paris", 'LOR', ['True Match Foundation', 'Infallible 24H Lipstick', 'Voluminous Mascara']),
  brand('Fenty Beauty', 'FEN', ["Pro Filt'r Soft Matte Foundation", 'Gloss Bomb Lip Luminizer']),
  brand('NARS', 'NRS', ['Radiant Creamy Concealer', 'Blush', 'Light Reflecting Foundation']),
  brand('MAC', 'MAC', ['Matte Lipstick', 'Studio Fix Fluid SPF 15']),
  brand('Rare Beauty', 'RAR', ['Soft Pinch Liquid Blush', 'Liquid Touch Foundation']),
  brand('e.l.f.', 'ELF', ['Power Grip Primer', 'Halo Glow Liquid Filter', 'Camo Concealer']),
];
const makeup: Maker = (r) => {
  const b = pick(r, makeupBrands);
  const line = pick(r, b.lines);
  const lip = /Lip|Gloss/.test(line);
  const shades = lip ? ['Ruby Woo', 'Velvet Teddy', 'Nude Pink', 'Berry', 'Coral'] : ['Fair', 'Light', 'Medium', 'Tan', 'Deep', 'Rich'];
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${pick(r, ['Long-wearing', 'Buildable', 'Weightless', 'Transfer-resistant'])} ${lip ? 'colour' : 'coverage'} with a ${pick(r, ['matte', 'satin', 'dewy'])} finish. ${closer(r)}`,
    attributes: { finish: pick(r, ['matte', 'satin', 'dewy']), vegan: chance(r, 0.3), cruelty_free: chance(r, 0.7) },
    price: linePrice(r, b, line, 7, 49),
    grams: int(r, 10, 60),
    axes: [{ name: 'shade', values: values(some(r, shades, 1, 4)) }],
  };
};

const fragranceBrands = [
  brand('Chanel', 'CHA', ['Coco Mademoiselle', 'Bleu de Chanel', 'Chance Eau Tendre']),
  brand('Dior', 'DIO', ['Sauvage', 'Miss Dior', "J'adore"]),
  brand('Yves Saint Laurent', 'YSL', ['Libre', 'Y', 'Black Opium']),
  brand('Jo Malone London', 'JML', ['Wood Sage & Sea Salt', 'English Pear & Freesia']),
  brand('Tom Ford', 'TFD', ['Oud Wood', 'Black Orchid']),
  brand('Giorgio Armani', 'ARM', ['Acqua di Giò', 'My Way']),
  brand('Versace', 'VER', ['Eros', 'Bright Crystal']),
];
const fragrance: Maker = (r) => {
  const b = pick(r, fragranceBrands);
  const line = pick(r, b.lines);
  const concentration = b.name === 'Jo Malone London' ? 'Cologne' : pick(r, ['Eau de Parfum', 'Eau de Toilette', 'Parfum']);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${concentration}`,
    description: `${pick(r, ['Fresh and woody', 'Warm and ambery', 'Floral and bright', 'Spicy and aromatic'])}, with notes of ${pick(r, ['bergamot', 'vanilla', 'sea salt', 'rose', 'sandalwood'])} and ${pick(r, ['patchouli', 'jasmine', 'amber', 'cedar', 'pear'])}. ${closer(r)}`,
    attributes: { concentration, gender: pick(r, ['women', 'men', 'unisex']) },
    price: linePrice(r, b, line, 49, 295),
    grams: 150,
    axes: [volumes(r, [30, 50, 100, 150])],
  };
};

const hairBrands = [
  brand('Olaplex', 'OLA', ['No. 3 Hair Perfector', 'No. 4 Bond Maintenance Shampoo', 'No. 5 Conditioner']),
  brand('Dyson', 'DYS', ['Supersonic Hair Dryer', 'Airwrap Multi-Styler', 'Corrale Straightener']),
  brand('Moroccanoil', 'MOR', ['Treatment Oil', 'Hydrating Shampoo']),
  brand('Briogeo', 'BRI', ["Don't Despair, Repair! Mask", 'Scalp Revival Shampoo']),
  brand('ghd', 'GHD', ['Platinum+ Styler', 'Helios Hair Dryer']),
  brand('Redken', 'RED', ['All Soft Shampoo', 'Acidic Bonding Concentrate Conditioner']),
];
const haircare: Maker = (r) => {
  const b = pick(r, hairBrands);
  const line = pick(r, b.lines);
  const tool = /Dryer|Styler|Straightener/.test(line);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: tool
      ? `Fast drying and styling with intelligent heat control to protect your hair's shine. ${closer(r)}`
      : `For ${pick(r, ['damaged', 'dry', 'curly', 'fine', 'all'])} hair: repairs, smooths and adds shine. ${closer(r)}`,
    attributes: (tool ? { type: 'styling tool', wattage: pick(r, [1200, 1600, 1800]) } : { type: 'hair care', hair_type: pick(r, ['all', 'damaged', 'curly', 'fine']) }) as Attributes,
    price: tool ? linePrice(r, b, line, 149, 599) : linePrice(r, b, line, 9, 59),
    grams: tool ? int(r, 450, 900) : 120,
    axes: tool ? [colourAxis(r, ['Nickel/Copper', 'Prussian Blue', 'Black', 'Ceramic Pink'], 1, 2)] : [volumes(r, [100, 250, 500, 1000])],
  };
};

// ---------------------------------------------------------------- sports & outdoors

const fitnessBrands = [
  brand('Bowflex', 'BOW', ['SelectTech 552 Adjustable Dumbbells', 'SelectTech 1090 Adjustable Dumbbells']),
  brand('Manduka', 'MAN', ['PRO Yoga Mat 6mm', 'eKO Lite Yoga Mat']),
  brand('Gaiam', 'GAI', ['Essentials Yoga Mat', 'Balance Ball Chair']),
  brand('TRX', 'TRX', ['All-in-One Suspension Trainer', 'HOME2 System']),
  brand('Therabody', 'THB', ['Theragun Prime', 'Theragun Mini']),
  brand('Concept2', 'CO2', ['RowErg', 'BikeErg']),
  brand('Hydro Flask', 'HYF', ['Wide Mouth Water Bottle', 'Standard Mouth Water Bottle']),
  brand('Amazon Basics', 'AMB', ['Cast Iron Kettlebell', 'Resistance Bands Set', 'Neoprene Dumbbell Pair']),
];
const fitness: Maker = (r) => {
  const b = pick(r, fitnessBrands);
  const line = pick(r, b.lines);
  const weighted = /Kettlebell|Dumbbell/.test(line) && !/Adjustable/.test(line);
  const kgs = weighted ? some(r, [4, 8, 12, 16, 20, 24], 1, 4).sort((x, y) => x - y) : [];
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${pick(r, ['Gym-quality', 'Compact', 'Durable', 'Versatile'])} equipment for home workouts. ${closer(r)}`,
    attributes: { material: pick(r, ['Steel', 'Natural rubber', 'Neoprene', 'Stainless steel', 'Aluminium']), indoor: true },
    price: linePrice(r, b, line, 15, 1199),
    grams: weighted ? kgs[0]! * 1000 : /Adjustable/.test(line) ? int(r, 20000, 40000) : int(r, 300, 25000),
    axes: weighted
      ? [{ name: 'weight', values: kgs.map((kg) => ({ label: `${kg} kg`, factor: Math.sqrt(kg / kgs[0]!), grams: (kg - kgs[0]!) * 1000 })) }]
      : [colourAxis(r, ['Black', 'Blue', 'Purple', 'Green', 'Grey'], 1, 3)],
  };
};

const cyclingBrands = [
  brand('Trek', 'TRK', ['Domane AL 2', 'FX 2 Disc', 'Marlin 5']),
  brand('Specialized', 'SPZ', ['Allez', 'Rockhopper', 'Sirrus 2.0']),
  brand('Giant', 'GIA', ['Escape 3', 'Defy Advanced 2', 'Talon 3']),
  brand('Cannondale', 'CDL', ['Topstone 4', 'Quick 4', 'Trail 7']),
  brand('Garmin', 'GRM', ['Edge 540 Bike Computer', 'Varia RTL515 Radar Tail Light']),
  brand('Giro', 'GIR', ['Syntax MIPS Helmet', 'Register MIPS Helmet']),
  brand('Wahoo', 'WAH', ['KICKR CORE Smart Trainer', 'ELEMNT BOLT Bike Computer']),
];
const cycling: Maker = (r) => {
  const b = pick(r, cyclingBrands);
  const line = pick(r, b.lines);
  const bike = ['Trek', 'Specialized', 'Giant', 'Cannondale'].includes(b.name);
  const kind = /Rockhopper|Marlin|Talon|Trail/.test(line) ? 'Mountain Bike' : /FX|Escape|Quick|Sirrus/.test(line) ? 'Hybrid Bike' : /Topstone/.test(line) ? 'Gravel Bike' : 'Road Bike';
  return {
    brand: b.name,
    brandCode: b.code,
    name: bike ? `${b.name} ${line} ${kind}` : `${b.name} ${line}`,
    description: bike
      ? `An aluminium ${kind.toLowerCase()} with hydraulic disc brakes and ${pick(r, ['Shimano Claris', 'Shimano Deore', 'SRAM Apex', 'Shimano Tiagra'])} gearing. ${closer(r)}`
      : `${pick(r, ['Ride safer', 'Train smarter', 'Know your numbers'])} with the ${line}. ${closer(r)}`,
    attributes: (bike ? { frame: 'Aluminium', type: kind.toLowerCase(), wheel_size: kind === 'Mountain Bike' ? '29"' : '700c' } : { type: 'accessory' }) as Attributes,
    price: bike ? linePrice(r, b, line, 499, 2999) : linePrice(r, b, line, 49, 599),
    grams: bike ? int(r, 8500, 14000) : /Trainer/.test(line) ? int(r, 20000, 22000) : /Helmet/.test(line) ? int(r, 250, 350) : int(r, 60, 120),
    axes: bike
      ? [{ name: 'frame size', values: values(some(r, ['XS', 'S', 'M', 'L', 'XL'], 1, 3).sort((x, y) => ['XS', 'S', 'M', 'L', 'XL'].indexOf(x) - ['XS', 'S', 'M', 'L', 'XL'].indexOf(y))) }, colourAxis(r, ['Matte Black', 'Gloss Blue', 'Olive Grey', 'Red'], 1, 1)]
      : /Helmet/.test(line)
        ? [{ name: 'size', values: values(some(r, ['S', 'M', 'L'], 1, 3)) }]
        : [],
  };
};

const tentBrands = [
  brand('REI Co-op', 'REI', ['Half Dome SL 2+', 'Trail Hut 4', 'Passage 2']),
  brand('Big Agnes', 'BGA', ['Copper Spur HV UL2', 'Tiger Wall UL2']),
  brand('MSR', 'MSR', ['Hubba Hubba 2', 'Elixir 3']),
  brand('Coleman', 'COL', ['Sundome 4-Person', 'Skydome 6-Person']),
  brand('Nemo', 'NEM', ['Dagger OSMO 2P', 'Aurora 3P']),
  brand('Marmot', 'MMT', ['Tungsten 2P', 'Limestone 4P']),
];
const tent: Maker = (r) => {
  const b = pick(r, tentBrands);
  const line = pick(r, b.lines);
  const persons = Number(/(\d)/.exec(line.replace('UL2', '2').replace('SL 2', '2'))?.[1] ?? 2);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${pick(r, ['Backpacking Tent', 'Camping Tent', 'Tent'])}`,
    description: `A ${persons}-person, 3-season tent with ${persons > 3 ? 'a roomy vestibule' : 'two doors and two vestibules'} and colour-coded poles for a quick pitch. ${closer(r)}`,
    attributes: { capacity_persons: persons, season: '3-season', material: 'Ripstop nylon' },
    price: linePrice(r, b, line, 69, 649),
    grams: int(r, 1100, 9000),
    axes: [colourAxis(r, ['Olive', 'Orange', 'Grey', 'Green'], 1, 2)],
  };
};

const packBrands = [
  brand('Osprey', 'OSP', ['Atmos AG 65', 'Talon 22', 'Exos 58', 'Daylite Plus']),
  brand('Gregory', 'GRE', ['Baltoro 75', 'Zulu 40', 'Nano 18']),
  brand('Deuter', 'DEU', ['Futura 32', 'Aircontact Core 50+10', 'Speed Lite 21']),
  brand('REI Co-op', 'REI', ['Trail 40', 'Flash 22']),
  brand('Patagonia', 'PAT', ['Black Hole Pack 25L', 'Refugio Day Pack 26L']),
];
const backpack: Maker = (r) => {
  const b = pick(r, packBrands);
  const line = pick(r, b.lines);
  const litres = Number(/(\d{2})/.exec(line)?.[1] ?? pick(r, [20, 25, 30]));
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line} ${litres >= 40 ? 'Hiking Backpack' : 'Daypack'}`,
    description: `${litres} litres with a ventilated back panel, hip-belt pockets and a hydration sleeve. ${closer(r)}`,
    attributes: { capacity_l: litres, material: 'Ripstop nylon' },
    price: linePrice(r, b, line, 49, 349),
    grams: int(r, 500, 2300),
    axes: litres >= 40 ? [{ name: 'size', values: values(some(r, ['S/M', 'L/XL'], 1, 2).sort()) }, colourAxis(r, ['Black', 'Blue', 'Green', 'Red'], 1, 1)] : [colourAxis(r, ['Black', 'Blue', 'Green', 'Red', 'Grey'], 1, 3)],
  };
};

const teamBrands = [
  brand('Wilson', 'WIL', ['NBA Official Game Basketball', 'Evolution Basketball', 'A2000 Baseball Glove', 'NFL Duke Football']),
  brand('Spalding', 'SPA', ['TF-1000 Legacy Basketball', 'React TF-250 Basketball']),
  brand('Adidas', 'ADI', ['Champions League Pro Ball', 'Tiro League Soccer Ball']),
  brand('Nike', 'NKE', ['Flight Soccer Ball', 'Academy Soccer Ball']),
  brand('Rawlings', 'RAW', ['Pro Preferred Baseball Glove', 'Heart of the Hide Glove']),
  brand('Mikasa', 'MIK', ['V200W Volleyball', 'VLS300 Beach Volleyball']),
];
const teamSports: Maker = (r) => {
  const b = pick(r, teamBrands);
  const line = pick(r, b.lines);
  const glove = /Glove/.test(line);
  const soccer = /Soccer|Champions/.test(line);
  return {
    brand: b.name,
    brandCode: b.code,
    name: `${b.name} ${line}`,
    description: `${pick(r, ['Match-quality', 'Official size and weight', 'Durable', 'Pro-level'])} ${glove ? 'glove of premium steerhide leather' : 'ball with a consistent feel and grip'}. ${closer(r)}`,
    attributes: { material: glove ? 'Leather' : pick(r, ['Composite leather', 'Rubber', 'Synthetic leather']), sport: glove ? 'baseball' : soccer ? 'soccer' : /Volley/.test(line) ? 'volleyball' : /Football/.test(line) ? 'american football' : 'basketball' },
    price: linePrice(r, b, line, 15, 399),
    grams: glove ? int(r, 550, 750) : int(r, 260, 650),
    axes: glove
      ? [{ name: 'size', values: values(some(r, ['11.5"', '11.75"', '12"', '12.75"'], 1, 2)) }, { name: 'hand', values: values(some(r, ['Right-Hand Throw', 'Left-Hand Throw'], 1, 2)) }]
      : soccer
        ? [{ name: 'size', values: values(some(r, ['Size 3', 'Size 4', 'Size 5'], 1, 3).sort()) }]
        : [],
  };
};

// ---------------------------------------------------------------- books

const PUBLISHERS = [
  brand('Penguin Random House', 'PRH', []),
  brand('HarperCollins', 'HPC', []),
  brand('Simon & Schuster', 'SNS', []),
  brand('Macmillan', 'MAC', []),
  brand('Hachette', 'HBG', []),
  brand('Scholastic', 'SCH', []),
];
const FIRST = ['Emma', 'James', 'Olivia', 'Liam', 'Sofia', 'Noah', 'Amara', 'Kenji', 'Lucia', 'Mateo', 'Hannah', 'Ravi', 'Chloe', 'Daniel', 'Ingrid', 'Samuel'];
const LAST = ['Hart', 'Okafor', 'Lindqvist', 'Moreno', 'Tanaka', 'Whitfield', 'Novak', 'Brennan', 'Castillo', 'Adeyemi', 'Sutherland', 'Kowalski', 'Delacroix', 'Park', 'Fairbanks'];
const author = (r: Rng) => `${pick(r, FIRST)} ${pick(r, LAST)}`;

/** A valid ISBN-13 (978 prefix) from the PRNG. */
function isbn(r: Rng): string {
  const digits = [9, 7, 8, ...Array.from({ length: 9 }, () => int(r, 0, 9))];
  const sum = digits.reduce((s, d, i) => s + d * (i % 2 ? 3 : 1), 0);
  return [...digits, (10 - (sum % 10)) % 10].join('');
}

function book(genre: string, titles: (r: Rng) => string, pages: [number, number], min: number, max: number, publishers = PUBLISHERS): Maker {
  return (r) => {
    const p = pick(r, publishers);
    const by = author(r);
    const title = titles(r);
    const count = int(r, pages[0], pages[1]);
    const formats = some(r, [{ label: 'Paperback' }, { label: 'Hardcover', factor: 1.6, grams: 250 }, { label: 'Large Print', factor: 1.3, grams: 150 }], 1, 2).sort((a, b) => (a.factor ?? 1) - (b.factor ?? 1));
    return {
      brand: p.name,
      brandCode: p.code,
      name: title,
      description: `${title} by ${by}. ${pick(r, BLURBS[genre] ?? BLURBS.fiction!)} ${count} pages.`,
      attributes: { author: by, genre, pages: count, language: 'English', isbn: isbn(r), published_year: int(r, 1995, 2026) },
      price: logUniform(r(), min, max),
      grams: Math.round(count * 1.1 + 60),
      axes: [{ name: 'format', values: formats }],
    };
  };
}

const BLURBS: Record<string, string[]> = {
  fiction: ['A gripping novel about love, loss and second chances.', 'An instant bestseller and a book-club favourite.', 'A sweeping story told across three generations.', 'A page-turning thriller with a twist you will not see coming.'],
  'non-fiction': ['A clear, practical guide backed by the latest research.', 'Essential reading for anyone who wants to understand the world today.', 'Part memoir, part manifesto, wholly original.'],
  children: ['A joyful read-aloud for bedtime.', 'Bright illustrations on every page.', 'Perfect for early readers.'],
  cookbook: ['Over 100 recipes with step-by-step photographs.', 'Weeknight dinners in 30 minutes or less.', 'Simple food for sharing.'],
};
const ADJ = ['Silent', 'Hidden', 'Last', 'Golden', 'Broken', 'Midnight', 'Forgotten', 'Winter', 'Burning', 'Paper', 'Glass', 'Salt'];
const NOUN = ['Garden', 'River', 'Daughter', 'Kingdom', 'House', 'Orchard', 'Lighthouse', 'Library', 'Storm', 'Summer', 'Island', 'Letters'];
const PLACE = ['Lisbon', 'the North', 'Harrow Street', 'the Valley', 'Kyoto', 'the Marsh', 'Alder Bay', 'the Coast'];
const fiction = book('fiction', (r) => pick(r, [`The ${pick(r, ADJ)} ${pick(r, NOUN)}`, `The ${pick(r, NOUN)} of ${pick(r, PLACE)}`, `${pick(r, ['A Stranger', 'A House', 'A Garden', 'A Summer', 'An Island', 'An Orchard'])} in ${pick(r, PLACE)}`, `${pick(r, ADJ)} ${pick(r, NOUN)}: A Novel`]), [220, 520], 9, 32);
const TOPIC = ['Habits', 'Focus', 'Money', 'Sleep', 'Attention', 'Leadership', 'Memory', 'Negotiation', 'Climate', 'the Brain', 'Happiness', 'Time'];
const nonFiction = book('non-fiction', (r) => pick(r, [`The Science of ${pick(r, TOPIC)}`, `${pick(r, ['Deep', 'Radical', 'Tiny', 'Quiet', 'Better'])} ${pick(r, TOPIC)}: ${pick(r, ['Rules for a Distracted World', 'How Small Changes Add Up', 'What the Experts Get Wrong', 'A New Way to Think'])}`, `A Short History of ${pick(r, TOPIC)}`]), [180, 460], 12, 38);
const ANIMAL = ['Fox', 'Bear', 'Owl', 'Dragon', 'Penguin', 'Rabbit', 'Tiger', 'Whale'];
const childrens = book(
  'children',
  (r) => pick(r, [`${pick(r, ['Milo', 'Luna', 'Pip', 'Rosie', 'Otto', 'Zara'])} the ${pick(r, ANIMAL)}`, `The ${pick(r, ['Sleepy', 'Brave', 'Tiny', 'Hungry', 'Curious'])} ${pick(r, ANIMAL)}`, `Where Is ${pick(r, ['Little', 'Baby', 'Big'])} ${pick(r, ANIMAL)}?`]),
  [24, 64],
  6,
  18,
  PUBLISHERS.filter((p) => p.name !== 'Simon & Schuster'),
);
const CUISINE = ['Italian', 'Mediterranean', 'Japanese', 'Mexican', 'Vegan', 'French', 'Korean', 'Middle Eastern', 'Baking', 'Indian'];
const cookbooks = book('cookbook', (r) => pick(r, [`${pick(r, CUISINE)} Kitchen: ${int(r, 75, 150)} Recipes for ${pick(r, ['Every Day', 'Family Dinners', 'Sharing', 'Busy Weeknights'])}`, `Simply ${pick(r, CUISINE)}`, `The ${pick(r, CUISINE)} Table`]), [180, 380], 18, 45);

// ---------------------------------------------------------------- the tree

interface CategoryDef {
  slug: string;
  name: string;
  description: string;
  children?: CategoryDef[];
  /** Leaves only: how products of this category are made, and how common they are. */
  make?: Maker;
  weight?: number;
}

const leaf = (slug: string, name: string, description: string, make: Maker, weight = 1): CategoryDef => ({ slug, name, description, make, weight });
const node = (slug: string, name: string, description: string, children: CategoryDef[]): CategoryDef => ({ slug, name, description, children });

/** The demo category tree: 6 roots, 2–5 children each, some with a third level. Products sit in leaves. */
export const DEMO_CATEGORY_TREE: CategoryDef[] = [
  node('electronics', 'Electronics', 'Phones, computers, audio and more.', [
    node('phones-tablets', 'Phones & Tablets', 'Smartphones and tablets.', [
      leaf('smartphones', 'Smartphones', 'Unlocked 5G phones from every major brand.', smartphone, 2),
      leaf('tablets', 'Tablets', 'Tablets for work and play.', tablet),
    ]),
    node('computers', 'Computers', 'Laptops and monitors.', [
      leaf('laptops', 'Laptops', 'Ultrabooks, gaming and business laptops.', laptop, 1.5),
      leaf('monitors', 'Monitors', 'Office, creative and gaming monitors.', monitor),
    ]),
    node('audio', 'Audio', 'Headphones and speakers.', [
      leaf('headphones', 'Headphones', 'Over-ear headphones and wireless earbuds.', headphones, 1.5),
      leaf('speakers', 'Speakers', 'Portable and smart speakers.', speaker),
    ]),
    leaf('cameras', 'Cameras', 'Mirrorless cameras and kits.', camera, 0.7),
    leaf('wearables', 'Wearables', 'Smartwatches and fitness trackers.', smartwatch),
  ]),
  node('fashion', 'Fashion', 'Clothing, shoes and accessories.', [
    leaf('mens-clothing', "Men's Clothing", 'Everyday essentials and outerwear for men.', mensClothing, 1.5),
    leaf('womens-clothing', "Women's Clothing", 'Dresses, denim, knitwear and more.', womensClothing, 1.5),
    node('shoes', 'Shoes', 'Running shoes and sneakers.', [
      leaf('running-shoes', 'Running Shoes', 'Road and trail running shoes.', runningShoes),
      leaf('sneakers', 'Sneakers', 'Everyday classics.', sneakers),
    ]),
    leaf('bags-accessories', 'Bags & Accessories', 'Backpacks, totes and sunglasses.', bags),
    leaf('watches', 'Watches', 'Automatic, solar and quartz watches.', watches, 0.7),
  ]),
  node('home-kitchen', 'Home & Kitchen', 'Appliances, cookware, furniture and bedding.', [
    node('kitchen-appliances', 'Kitchen Appliances', 'Small appliances for the kitchen.', [
      leaf('coffee-machines', 'Coffee Machines', 'Espresso, bean-to-cup and pod machines.', coffee),
      leaf('blenders', 'Blenders', 'Countertop and personal blenders.', blender, 0.7),
    ]),
    leaf('cookware', 'Cookware', 'Pans, pots and Dutch ovens.', cookware),
    leaf('furniture', 'Furniture', 'Desks, chairs, storage and sofas.', furniture),
    leaf('bedding', 'Bedding', 'Sheets, duvets and pillows.', bedding),
  ]),
  node('beauty', 'Beauty', 'Skincare, makeup, fragrance and hair care.', [
    leaf('skincare', 'Skincare', 'Cleansers, moisturisers, serums and sunscreen.', skincare, 1.2),
    leaf('makeup', 'Makeup', 'Foundation, lipstick, mascara and more.', makeup),
    leaf('fragrance', 'Fragrance', 'Perfume and cologne.', fragrance, 0.7),
    leaf('hair-care', 'Hair Care', 'Shampoo, treatments and styling tools.', haircare, 0.8),
  ]),
  node('sports-outdoors', 'Sports & Outdoors', 'Fitness, cycling, camping and team sports.', [
    leaf('fitness', 'Fitness', 'Home gym equipment and accessories.', fitness),
    leaf('cycling', 'Cycling', 'Bikes, helmets and bike computers.', cycling, 0.8),
    node('camping-hiking', 'Camping & Hiking', 'Tents and backpacks.', [
      leaf('tents', 'Tents', 'Backpacking and family tents.', tent, 0.6),
      leaf('backpacks', 'Backpacks', 'Hiking backpacks and daypacks.', backpack, 0.7),
    ]),
    leaf('team-sports', 'Team Sports', 'Balls and gloves.', teamSports, 0.7),
  ]),
  node('books', 'Books', 'Fiction, non-fiction, children’s books and cookbooks.', [
    leaf('fiction', 'Fiction', 'Novels and short stories.', fiction, 1.2),
    leaf('non-fiction', 'Non-fiction', 'Science, business, history and self-help.', nonFiction),
    leaf('childrens-books', "Children's Books", 'Picture books and early readers.', childrens, 0.7),
    leaf('cookbooks', 'Cookbooks', 'Recipes from around the world.', cookbooks, 0.6),
  ]),
];

interface FlatCategory {
  id: string;
  parentSlug: string | null;
  slug: string;
  name: string;
  description: string;
  position: number;
  depth: number;
  createdAt: Date;
  make?: Maker;
  weight: number;
}

/** The tree, parents before children, with deterministic ids (the same for every seed). */
export function demoCategories(): FlatCategory[] {
  const flat: FlatCategory[] = [];
  const walk = (defs: CategoryDef[], parent: string | null, depth: number) => {
    defs.forEach((def, position) => {
      const ms = CATALOG_EPOCH_START - 24 * 3600 * 1000 + flat.length * 1000;
      flat.push({
        id: uuidV7At(ms, mulberry32(hashString(`category:${def.slug}`))),
        parentSlug: parent,
        slug: def.slug,
        name: def.name,
        description: def.description,
        position,
        depth,
        createdAt: new Date(ms),
        ...(def.make ? { make: def.make } : {}),
        weight: def.weight ?? 1,
      });
      if (def.children) walk(def.children, def.slug, depth + 1);
    });
  };
  walk(DEMO_CATEGORY_TREE, null, 0);
  return flat;
}

// ---------------------------------------------------------------- products

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
  name: string;
  description: string;
  status: 'draft' | 'published';
  attributes: Attributes;
  minPrice: number;
  currency: string;
  popularity: number;
  createdAt: Date;
  updatedAt: Date;
  variants: DemoVariant[];
  /** Per SKU: units on hand and reserved. */
  stock: Array<{ sku: string; onHand: number; reserved: number }>;
}

function checkSeed(seed: number): void {
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
      const price = retail(draft.price * factor);
      let suffix = combo.map((o) => optionCode(o.value.label)).join('-') || 'STD';
      if (seen.has(suffix)) suffix = `${suffix}-${position + 1}`;
      seen.add(suffix);
      const compareAt = onSale ? retail(draft.price * factor * markup) : null;
      return {
        id: uuidV7At(createdMs, r),
        sku: `${draft.brandCode}-${productCode}-${suffix}`,
        price,
        compareAtPrice: compareAt !== null && compareAt > price ? compareAt : null,
        currency: 'USD',
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
      name: draft.name,
      description: draft.description,
      status,
      attributes: { brand: draft.brand, ...draft.attributes, ...implied },
      minPrice: Math.min(...variants.map((v) => v.price)),
      currency: 'USD',
      popularity,
      createdAt: new Date(createdMs),
      updatedAt: new Date(updatedMs),
      variants,
      stock,
    };
  };
}

// ---------------------------------------------------------------- seeding

export interface SeedCatalogOptions {
  /** How many products the demo catalog of this seed should have (existing ones are kept). */
  products: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Inserts what is missing of the demo catalog of `seed` with `products`
 * products: the category tree, the products, their variants and an
 * inventory level per SKU. Returns the number of rows of each kind it
 * inserted (0s when everything was there already).
 */
export async function seedDemoCatalog(url: string, options: SeedCatalogOptions): Promise<{ categories: number; products: number; variants: number }> {
  const total = options.products;
  if (!Number.isInteger(total) || total < 0 || total > MAX_CATALOG_PRODUCTS) {
    throw new RangeError(`products must be an integer in 0..${MAX_CATALOG_PRODUCTS} (got ${total})`);
  }
  const seed = options.seed ?? DEFAULT_CATALOG_SEED;
  checkSeed(seed);
  const generate = demoProductGenerator(seed);
  const sellerEmail = DEMO_ACCOUNTS.find((a) => a.role === 'seller')!.email;

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const db = drizzle({ client, schema });
    const [seller] = await db.execute<{ id: string }>(sql`select id from ${schema.users} where email = ${sellerEmail} and deleted_at is null`).then((r) => r.rows);
    if (!seller) throw new Error(`the demo seller ${sellerEmail} does not exist: seed the demo accounts first (seedDemoData)`);

    // Categories, a level at a time: a slug that exists already (created by hand, say) is reused with its id.
    const flat = demoCategories();
    const idBySlug = new Map<string, string>();
    let categoriesInserted = 0;
    for (let depth = 0; flat.some((c) => c.depth === depth); depth++) {
      const level = flat.filter((c) => c.depth === depth);
      const inserted = await db
        .insert(schema.categories)
        .values(
          level.map((c) => ({
            id: c.id,
            parentId: c.parentSlug ? idBySlug.get(c.parentSlug)! : null,
            slug: c.slug,
            name: c.name,
            description: c.description,
            position: c.position,
            createdAt: c.createdAt,
            updatedAt: c.createdAt,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: schema.categories.id });
      categoriesInserted += inserted.length;
      const rows = await db
        .select({ id: schema.categories.id, slug: schema.categories.slug })
        .from(schema.categories)
        .where(inArray(schema.categories.slug, level.map((c) => c.slug)));
      for (const row of rows) idBySlug.set(row.slug, row.id);
    }

    let productsInserted = 0;
    let variantsInserted = 0;
    options.onProgress?.(0, total);
    for (let start = 0; start < total; start += BATCH) {
      const end = Math.min(total, start + BATCH);
      const batch = Array.from({ length: end - start }, (_, i) => generate(start + i));
      const existing = await db
        .select({ id: schema.products.id })
        .from(schema.products)
        .where(inArray(schema.products.id, batch.map((p) => p.id)));
      const have = new Set(existing.map((r) => r.id));
      const missing = batch.filter((p) => !have.has(p.id));
      if (missing.length) {
        await db.transaction(async (tx) => {
          const inserted = await tx
            .insert(schema.products)
            .values(
              missing.map((p) => ({
                id: p.id,
                sellerId: seller.id,
                categoryId: idBySlug.get(p.categorySlug)!,
                slug: p.slug,
                name: p.name,
                description: p.description,
                status: p.status,
                attributes: p.attributes,
                images: [],
                minPrice: p.minPrice,
                currency: p.currency,
                popularity: p.popularity,
                createdAt: p.createdAt,
                updatedAt: p.updatedAt,
              })),
            )
            .onConflictDoNothing()
            .returning({ id: schema.products.id });
          productsInserted += inserted.length;
          // A product skipped on conflict (its slug taken by another product) gets no variants.
          const kept = new Set(inserted.map((r) => r.id));
          const mine = missing.filter((p) => kept.has(p.id));
          const variants = mine.flatMap((p) => p.variants.map((v) => ({ ...v, productId: p.id })));
          if (!variants.length) return;
          const skus = await tx.insert(schema.productVariants).values(variants).onConflictDoNothing().returning({ sku: schema.productVariants.sku });
          variantsInserted += skus.length;
          const added = new Set(skus.map((s) => s.sku));
          const levels = mine.flatMap((p) =>
            p.stock
              .filter((s) => added.has(s.sku))
              .map((s) => ({ sku: s.sku, onHand: s.onHand, reserved: s.reserved, available: s.onHand - s.reserved, updatedAt: p.updatedAt })),
          );
          if (levels.length) await tx.insert(schema.inventoryLevels).values(levels).onConflictDoNothing();
        });
      }
      options.onProgress?.(end, total);
    }
    return { categories: categoriesInserted, products: productsInserted, variants: variantsInserted };
  } finally {
    await client.end();
  }
}

/** What the database's catalog holds (every product, demo or not): for banners and logs. */
export async function catalogStats(url: string): Promise<{ categories: number; products: number; published: number; variants: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ categories: number; products: number; published: number; variants: number }>(`
      select (select count(*)::int from categories) as categories,
        (select count(*)::int from products where deleted_at is null) as products,
        (select count(*)::int from products where deleted_at is null and status = 'published') as published,
        (select count(*)::int from product_variants v join products p on p.id = v.product_id where p.deleted_at is null) as variants`);
    return rows[0]!;
  } finally {
    await client.end();
  }
}
