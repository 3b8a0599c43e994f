/**
 * Seeded randomness and a small generator of values from JSON Schema (the
 * OpenAPI 3.1 dialect @hono/zod-openapi emits): enough to build requests a
 * route accepts, which the mutators then break.
 */

export type Schema = Record<string, unknown> & { $ref?: string };
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** mulberry32: tiny, fast, and the same sequence on every machine for one seed. */
export class Rng {
  #state: number;
  constructor(seed: string) {
    this.#state = hash(seed);
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (!items.length) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(0, 15).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-${'89ab'[this.int(0, 3)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}

/** FNV-1a: a stable 32-bit hash of a string (seeds, per-operation streams). */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Follows `$ref`s into the document's components. */
export function deref(doc: { components?: { schemas?: Record<string, Schema> } }, schema: Schema | undefined): Schema {
  let current = schema ?? {};
  for (let hops = 0; current.$ref && hops < 20; hops++) {
    const name = current.$ref.replace('#/components/schemas/', '');
    current = doc.components?.schemas?.[name] ?? {};
  }
  return current;
}

type Doc = Parameters<typeof deref>[0];

/** The non-null alternatives of a schema (type lists, anyOf/oneOf). */
export function branches(doc: Doc, schema: Schema): Schema[] {
  const s = deref(doc, schema);
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alternatives) return alternatives.map((a) => deref(doc, a)).filter((a) => a.type !== 'null');
  if (s.allOf) {
    const parts = (s.allOf as Schema[]).map((a) => deref(doc, a));
    return [
      parts.reduce<Schema>(
        (merged, part) => ({
          ...merged,
          ...part,
          properties: { ...(merged.properties as object), ...(part.properties as object) },
          required: [...((merged.required as string[]) ?? []), ...((part.required as string[]) ?? [])],
        }),
        {},
      ),
    ];
  }
  return [s];
}

function typeOf(schema: Schema): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined;
  if (typeof type === 'string') return type;
  if (schema.properties) return 'object';
  return undefined;
}

export function sample(doc: Doc, schema: Schema | undefined, rng: Rng, depth = 0): Json {
  const s = rng.pick(branches(doc, schema ?? {}));
  if (s.example !== undefined && rng.chance(0.6)) return structuredClone(s.example) as Json;
  if (s.const !== undefined) return s.const as Json;
  if (Array.isArray(s.enum)) return rng.pick(s.enum as Json[]);
  switch (typeOf(s)) {
    case 'object': {
      const out: Record<string, Json> = {};
      const required = new Set((s.required as string[]) ?? []);
      for (const [key, sub] of Object.entries((s.properties as Record<string, Schema>) ?? {})) {
        if (required.has(key) || (depth < 4 && rng.chance(0.5))) out[key] = sample(doc, sub, rng, depth + 1);
      }
      const extra = s.additionalProperties;
      if (extra && typeof extra === 'object' && depth < 4 && rng.chance(0.5)) out[`k${rng.int(0, 99)}`] = sample(doc, extra as Schema, rng, depth + 1);
      return out;
    }
    case 'array': {
      const min = (s.minItems as number) ?? 0;
      const max = Math.min((s.maxItems as number) ?? min + 2, min + 2);
      return Array.from({ length: depth > 4 ? min : rng.int(min, max) }, () => sample(doc, s.items as Schema, rng, depth + 1));
    }
    case 'integer':
    case 'number': {
      const min = (s.minimum as number) ?? ((s.exclusiveMinimum as number) ?? -1) + 1;
      const max = Math.min((s.maximum as number) ?? min + 1000, min + 100_000);
      return rng.int(Math.ceil(min), Math.floor(max));
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'string':
      return sampleString(s, rng);
    default:
      return rng.pick<Json>(['fuzz', 1, true, {}]);
  }
}

function sampleString(s: Schema, rng: Rng): string {
  switch (s.format) {
    case 'uuid':
      return rng.uuid();
    case 'email':
      return `fuzz-${rng.int(0, 1e9).toString(36)}@example.test`;
    case 'date-time':
      return new Date(Date.UTC(2026, rng.int(0, 11), rng.int(1, 28), rng.int(0, 23))).toISOString();
    case 'date':
      return `2026-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    case 'uri':
    case 'url':
      return `https://example.test/${rng.int(0, 1e6)}`;
  }
  const min = (s.minLength as number) ?? 1;
  const max = (s.maxLength as number) ?? Math.max(min, 24);
  if (typeof s.pattern === 'string') {
    const made = fromPattern(s.pattern, rng);
    if (made !== undefined && made.length >= min && made.length <= max) return made;
  }
  const length = rng.int(min, Math.min(max, min + 16));
  return Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[rng.int(0, 35)]).join('');
}

/**
 * A string matching a simple regular expression (literals, escapes, classes,
 * non-capturing groups, quantifiers): the patterns zod schemas use. Gives up
 * (undefined) on anything fancier or when the result does not match.
 */
export function fromPattern(pattern: string, rng: Rng): string | undefined {
  let i = 0;
  const classChars = (body: string): string[] => {
    const chars: string[] = [];
    for (let j = 0; j < body.length; j++) {
      let c = body[j] as string;
      if (c === '\\') c = escapeSet(body[++j] as string)[0] ?? '';
      if (body[j + 1] === '-' && j + 2 < body.length) {
        for (let code = c.charCodeAt(0); code <= (body[j + 2] as string).charCodeAt(0); code++) chars.push(String.fromCharCode(code));
        j += 2;
      } else chars.push(c);
    }
    return chars;
  };
  const sequence = (): string | undefined => {
    let out = '';
    while (i < pattern.length && pattern[i] !== ')' && pattern[i] !== '|') {
      const c = pattern[i++] as string;
      let atom: () => string | undefined;
      if (c === '^' || c === '$') continue;
      if (c === '\\') {
        const set = escapeSet(pattern[i++] as string);
        atom = () => rng.pick(set);
      } else if (c === '[') {
        const end = pattern.indexOf(']', i);
        const set = classChars(pattern.slice(i, end));
        i = end + 1;
        atom = () => rng.pick(set);
      } else if (c === '(') {
        if (pattern.startsWith('?:', i)) i += 2;
        const start = i;
        if (sequence() === undefined || pattern[i] !== ')') return undefined;
        i++;
        atom = () => {
          const saved = i;
          i = start;
          const value = sequence();
          i = saved;
          return value;
        };
      } else if ('.*+?{|'.includes(c)) return undefined;
      else atom = () => c;
      let [lo, hi] = [1, 1];
      const q = pattern[i];
      if (q === '*' || q === '+' || q === '?') [lo, hi, i] = [q === '+' ? 1 : 0, q === '?' ? 1 : 3, i + 1];
      else if (q === '{') {
        const end = pattern.indexOf('}', i);
        const [a, b] = pattern.slice(i + 1, end).split(',');
        [lo, hi, i] = [Number(a), b === undefined ? Number(a) : b === '' ? Number(a) + 3 : Number(b), end + 1];
      }
      const savedEnd = i;
      for (let n = rng.int(lo, hi); n > 0; n--) {
        const part = atom();
        if (part === undefined) return undefined;
        out += part;
      }
      i = savedEnd;
    }
    return out;
  };
  try {
    const made = sequence();
    return made !== undefined && i === pattern.length && new RegExp(pattern, 'u').test(made) ? made : undefined;
  } catch {
    return undefined;
  }
}

function escapeSet(c: string): string[] {
  if (c === 'd') return [...'0123456789'];
  if (c === 'w') return [...'abcxyzABC019_'];
  if (c === 's') return [' '];
  return [c];
}
