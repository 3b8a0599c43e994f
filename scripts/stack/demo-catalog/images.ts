/**
 * Product images for the demo catalog, drawn here rather than downloaded: a
 * 256×256 PNG per product in its department's colour, with a gradient, a
 * pattern and a disc whose shape follows a hash of the product's slug (and
 * the disc's tint its category). The same slug and category always give the
 * same bytes; two products practically never share an image.
 */
import { encodePng } from './png';
import { hashString, mulberry32 } from './random';

export const DEMO_IMAGE_SIZE = 256;

type Rgb = readonly [number, number, number];

/** Each department's colour (the root categories of demo-catalog/categories.ts); others get grey. */
export const DEPARTMENT_COLOURS: Readonly<Record<string, Rgb>> = {
  electronics: [37, 99, 235],
  fashion: [219, 39, 119],
  'home-kitchen': [217, 119, 6],
  beauty: [147, 51, 234],
  'sports-outdoors': [22, 163, 74],
  books: [185, 28, 28],
};
const OTHER: Rgb = [100, 116, 139];

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
const mixRgb = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

export interface DemoImageInput {
  /** The product's slug: the shape, pattern and shades. */
  slug: string;
  /** Its department (root category slug): the colour. */
  department: string;
  /** Its category (leaf slug): the disc's tint. */
  category: string;
}

/** The pixels (RGB, rows top to bottom) of a product's demo image. */
export function demoImagePixels(input: DemoImageInput, size = DEMO_IMAGE_SIZE): Uint8Array {
  const r = mulberry32(hashString(`image:${input.slug}`));
  const base = DEPARTMENT_COLOURS[input.department] ?? OTHER;
  const light = mixRgb(base, WHITE, 0.35 + r() * 0.4);
  const dark = mixRgb(base, BLACK, 0.1 + r() * 0.35);
  const direction = Math.floor(r() * 4);
  const pattern = Math.floor(r() * 4);
  const period = 14 + Math.floor(r() * 30);
  const phase = Math.floor(r() * period);
  const overlay = 0.12 + r() * 0.2;
  const c = mulberry32(hashString(`category:${input.category}`));
  const disc = mixRgb(mixRgb(base, c() < 0.5 ? WHITE : BLACK, 0.25 + c() * 0.5), [c() * 255, c() * 255, c() * 255], 0.25);
  const cx = size * (0.35 + r() * 0.3);
  const cy = size * (0.35 + r() * 0.3);
  const radius = size * (0.18 + r() * 0.14);

  const out = new Uint8Array(size * size * 3);
  const [dr, dg, db] = dark;
  const [lr, lg, lb] = light;
  const [cr, cg, cb] = disc;
  const dotRadius2 = (period * 0.3) ** 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = direction === 0 ? x / (size - 1) : direction === 1 ? y / (size - 1) : direction === 2 ? (x + y) / (2 * size - 2) : (size - 1 - x + y) / (2 * size - 2);
      let r0 = dr + (lr - dr) * t;
      let g0 = dg + (lg - dg) * t;
      let b0 = db + (lb - db) * t;
      const u = x + phase;
      const v = y + phase;
      const dx = x - cx;
      const dy = y - cy;
      const distance = Math.sqrt(dx * dx + dy * dy);
      const on =
        pattern === 0
          ? Math.floor((u + v) / period) % 2 === 0 // diagonal stripes
          : pattern === 1
            ? Math.floor(distance / (period / 2)) % 2 === 0 // rings around the disc
            : pattern === 2
              ? (u % period) ** 2 + (v % period) ** 2 < dotRadius2 // dots
              : (Math.floor(u / period) + Math.floor(v / period)) % 2 === 0; // checks
      if (on) {
        r0 += (255 - r0) * overlay;
        g0 += (255 - g0) * overlay;
        b0 += (255 - b0) * overlay;
      }
      // The disc, with a one-pixel soft edge and a shadow below it.
      const sx = dx - 4;
      const sy = dy - 6;
      if (sx * sx + sy * sy < radius * radius) {
        r0 *= 0.75;
        g0 *= 0.75;
        b0 *= 0.75;
      }
      const edge = distance - radius;
      if (edge < 1) {
        const a = edge <= 0 ? 1 : 1 - edge;
        r0 += (cr - r0) * a;
        g0 += (cg - g0) * a;
        b0 += (cb - b0) * a;
      }
      const i = (y * size + x) * 3;
      out[i] = clamp(r0);
      out[i + 1] = clamp(g0);
      out[i + 2] = clamp(b0);
    }
  }
  return out;
}

/** A product's demo image as PNG bytes. */
export const demoProductImage = (input: DemoImageInput, size = DEMO_IMAGE_SIZE): Uint8Array => encodePng(size, size, demoImagePixels(input, size));
