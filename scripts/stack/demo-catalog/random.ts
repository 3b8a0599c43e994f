/**
 * Seeded randomness for the demo catalog: a PRNG, hashes to seed it, draws,
 * and UUIDv7s whose random bits come from the PRNG (so ids are reproducible).
 */
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
export function mix(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul((b + 0x632be5ab) | 0, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export const int = (r: Rng, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
export const chance = (r: Rng, p: number) => r() < p;
export function pick<T>(r: Rng, items: readonly T[]): T {
  const item = items[Math.floor(r() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
export function shuffled<T>(r: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
/** A log-uniform value in [min, max]: as many $10–$100 products as $100–$1,000 ones. */
export const logUniform = (u: number, min: number, max: number) => Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));

/** A UUIDv7: 48-bit millisecond timestamp, version 7, RFC 4122 variant, 74 bits from `r`. */
export function uuidV7At(ms: number, r: Rng): string {
  const time = Math.floor(ms).toString(16).padStart(12, '0');
  const hex = (bits: number, digits: number) => Math.floor(r() * 2 ** bits).toString(16).padStart(digits, '0');
  const variant = (0x8000 | Math.floor(r() * 0x4000)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex(12, 3)}-${variant}-${hex(24, 6)}${hex(24, 6)}`;
}
