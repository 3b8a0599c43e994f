import { branches, deref, type Json, type Rng, sample, type Schema } from './generate';
import * as H from './hostile';
import type { Document, Operation } from './spec';

export type Role = 'anonymous' | 'customer' | 'seller' | 'admin';
export const ROLES: Role[] = ['anonymous', 'customer', 'seller', 'admin'];

/** One request, before the role's token is attached. */
export interface Draft {
  kind: string;
  role: Role;
  path: Record<string, { value: string; raw?: boolean }>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  json?: Json;
  /** A body sent as is instead of `json`. */
  body?: string | Uint8Array | FormData;
  contentType?: string;
  /** An Authorization header instead of the role's bearer token. */
  auth?: string;
  note: string;
}

export interface MutationContext {
  doc: Document;
  maxBodyBytes: number;
  /** A real id for a path parameter, from the fixtures (or undefined: a random one is used). */
  realId(operation: Operation, param: string, role: Role): string | undefined;
}

const JSON_TYPE = 'application/json';
const MULTIPART = 'multipart/form-data';

/** A request the operation should accept: values from its schemas, ids of real resources. */
export function baseDraft(operation: Operation, rng: Rng, ctx: MutationContext, role: Role): Draft {
  const draft: Draft = { kind: 'valid', role, path: {}, query: [], headers: {}, note: '' };
  for (const p of operation.spec.parameters ?? []) {
    const value = () => {
      const v = sample(ctx.doc, p.schema, rng);
      return typeof v === 'string' ? v : JSON.stringify(v);
    };
    if (p.in === 'path') draft.path[p.name] = { value: ctx.realId(operation, p.name, role) ?? value() };
    else if (p.in === 'query' && (p.required || rng.chance(0.4))) draft.query.push([p.name, value()]);
    else if (p.in === 'header' && (p.required || rng.chance(0.7))) draft.headers[p.name] = p.name.toLowerCase() === 'idempotency-key' ? rng.uuid() : value();
  }
  const content = operation.spec.requestBody?.content ?? {};
  if (content[JSON_TYPE]) draft.json = sample(ctx.doc, content[JSON_TYPE].schema, rng);
  else if (content[MULTIPART]) {
    draft.body = multipartFrom(ctx.doc, content[MULTIPART].schema, rng);
  }
  return draft;
}

function multipartFrom(doc: Document, schema: Schema | undefined, rng: Rng): FormData {
  const form = new FormData();
  const s = branches(doc, schema ?? {})[0] ?? {};
  for (const [key, sub] of Object.entries((s.properties as Record<string, Schema>) ?? {})) {
    const field = deref(doc, sub);
    if (field.format === 'binary' || field.type === 'file' || key === 'file') {
      form.append(key, new Blob([`fuzz ${rng.int(0, 1e6)}`], { type: rng.pick(['image/png', 'text/plain', 'application/pdf']) }), 'fuzz.png');
    } else {
      const v = sample(doc, sub, rng);
      form.append(key, typeof v === 'string' ? v : JSON.stringify(v));
    }
  }
  return form;
}

/** Every (path to a node, that node's schema) of a JSON value, root first. */
function nodes(doc: Document, value: Json, schema: Schema | undefined, path: Array<string | number> = []): Array<{ path: Array<string | number>; schema: Schema }> {
  const s = branches(doc, schema ?? {})[0] ?? {};
  const out = [{ path, schema: s }];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...nodes(doc, v, s.items as Schema, [...path, i])));
  else if (value && typeof value === 'object') {
    const props = (s.properties as Record<string, Schema>) ?? {};
    for (const [k, v] of Object.entries(value)) out.push(...nodes(doc, v, props[k] ?? (s.additionalProperties as Schema), [...path, k]));
  }
  return out;
}

function setAt(root: Json, path: Array<string | number>, value: unknown): Json {
  if (!path.length) return value as Json;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let cursor = copy;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string | number, unknown>;
  cursor[path[path.length - 1] as string | number] = value;
  return copy as Json;
}

const isBodyMethod = (method: string) => method !== 'GET';

/**
 * Puts a hostile value somewhere the operation reads input: a body field (of
 * the given JSON type when one exists), else a query, path or header parameter,
 * else an unknown query parameter.
 */
function plant(draft: Draft, op: Operation, rng: Rng, ctx: MutationContext, value: unknown, prefer?: string) {
  if (draft.json !== undefined) {
    const all = nodes(ctx.doc, draft.json, op.spec.requestBody?.content[JSON_TYPE]?.schema).filter((n) => n.path.length);
    const typed = all.filter((n) => prefer && [n.schema.type].flat().includes(prefer));
    const target = rng.pick(typed.length ? typed : all.length ? all : [{ path: [] as Array<string | number>, schema: {} }]);
    draft.json = setAt(draft.json, target.path, value);
    draft.note = `body.${target.path.join('.') || '(root)'} = ${preview(value)}`;
    return;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value).replace(H.RAW_MARKER, '$1');
  const slots = [...draft.query.map((_, i) => ['query', i] as const), ...Object.keys(draft.path).map((k) => ['path', k] as const)];
  const slot = slots.length && rng.chance(0.8) ? rng.pick(slots) : undefined;
  if (slot?.[0] === 'query') {
    const entry = draft.query[slot[1]] as [string, string];
    entry[1] = text;
    draft.note = `query.${entry[0]} = ${preview(text)}`;
  } else if (slot?.[0] === 'path') {
    draft.path[slot[1]] = { value: text };
    draft.note = `path.${slot[1]} = ${preview(text)}`;
  } else {
    draft.query.push([rng.pick(['q', 'limit', 'cursor', 'fuzz', 'id']), text]);
    draft.note = `query += ${preview(text)}`;
  }
}

export const preview = (value: unknown) => {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
};

/** Where hostile URLs go: webhook destinations and product images (docs/testing.md, `hostile-url`). */
const HOSTILE_URL_FIELDS = [
  { method: 'POST', path: '/api/v1/webhooks/endpoints', field: 'url' },
  { method: 'POST', path: '/api/v1/products', field: 'images' },
  { method: 'PUT', path: '/api/v1/products/{id}', field: 'images' },
];

type Mutator = (draft: Draft, op: Operation, rng: Rng, ctx: MutationContext) => void;

export const MUTATORS: Record<string, { weight: number; applies?: (op: Operation) => boolean; mutate: Mutator }> = {
  valid: { weight: 2, mutate: () => {} },
  'missing-required': {
    weight: 2,
    mutate: (d, op, rng, ctx) => {
      const required = (op.spec.parameters ?? []).filter((p) => p.required && p.in !== 'path');
      const objects = d.json !== undefined ? nodes(ctx.doc, d.json, op.spec.requestBody?.content[JSON_TYPE]?.schema).filter((n) => n.schema.required) : [];
      if (objects.length && (!required.length || rng.chance(0.7))) {
        const node = rng.pick(objects);
        const key = rng.pick(node.schema.required as string[]);
        const parent = structuredClone(node.path.reduce<Json>((v, k) => (v as Record<string, Json>)[k] as Json, d.json as Json)) as Record<string, Json>;
        delete parent[key];
        d.json = setAt(d.json as Json, node.path, parent);
        d.note = `drop body.${[...node.path, key].join('.')}`;
      } else if (required.length) {
        const p = rng.pick(required);
        d.query = d.query.filter(([k]) => k !== p.name);
        delete d.headers[p.name];
        d.note = `drop ${p.in}.${p.name}`;
      } else if (d.json !== undefined || d.body !== undefined) {
        d.json = undefined;
        d.body = undefined;
        d.note = 'no body';
      }
    },
  },
  'extra-field': {
    weight: 1,
    applies: (op) => isBodyMethod(op.method),
    mutate: (d, _op, rng) => {
      const base = d.json && typeof d.json === 'object' && !Array.isArray(d.json) ? JSON.stringify(d.json).slice(1, -1) : '';
      const extra = rng.pick(['"__proto__":{"role":"admin","isAdmin":true}', '"constructor":{"prototype":{"isAdmin":true}}', '"role":"admin"', '"fuzzExtra":"x"', '"id":"00000000-0000-0000-0000-000000000000"']);
      d.body = `{${extra}${base ? `,${base}` : ''}}`;
      d.note = `extra ${extra.split(':')[0]}`;
    },
  },
  'wrong-type': { weight: 2, mutate: (d, op, rng, ctx) => plant(d, op, rng, ctx, rng.pick(H.WRONG_TYPES)) },
  'huge-string': { weight: 1, mutate: (d, op, rng, ctx) => plant(d, op, rng, ctx, rng.pick(['A', '€', '😀', "'"]).repeat(H.HUGE_STRING_LENGTH), 'string') },
  'huge-number': { weight: 1, mutate: (d, op, rng, ctx) => plant(d, op, rng, ctx, H.raw(rng.pick(H.HUGE_NUMBERS)), 'integer') },
  'negative-or-zero': { weight: 1, mutate: (d, op, rng, ctx) => plant(d, op, rng, ctx, rng.pick(H.NEGATIVE_OR_ZERO), 'integer') },
  unicode: { weight: 2, mutate: (d, op, rng, ctx) => plant(d, op, rng, ctx, rng.pick(H.UNICODE), 'string') },
  injection: { weight: 2, mutate: (d, op, rng, ctx) => plant(d, op, rng, ctx, rng.pick(H.INJECTION), 'string') },
  'malformed-json': {
    weight: 1,
    applies: (op) => isBodyMethod(op.method),
    mutate: (d, _op, rng) => {
      if (rng.chance(0.2)) {
        // Not UTF-8 at all: lone continuation and overlong bytes inside a JSON string.
        d.body = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0xff, 0xfe, 0x80, 0x22, 0x7d]);
        d.contentType = JSON_TYPE;
        d.note = 'invalid UTF-8';
        return;
      }
      d.body = rng.pick([...H.MALFORMED_JSON, ...H.WRONG_SHAPE_JSON]);
      d.contentType = JSON_TYPE;
      d.note = `body ${preview(d.body)}`;
    },
  },
  'content-type': {
    weight: 1,
    applies: (op) => isBodyMethod(op.method),
    mutate: (d, _op, rng) => {
      d.contentType = rng.pick([...H.CONTENT_TYPES, 'none']);
      if (d.contentType === 'application/x-www-form-urlencoded') d.body = 'email=a%40b.c&password=x&quantity=1';
      else d.body = new TextEncoder().encode(JSON.stringify(d.json ?? {}));
      d.note = `content-type ${d.contentType}`;
    },
  },
  oversized: {
    weight: 0.5,
    applies: (op) => isBodyMethod(op.method),
    mutate: (d, _op, _rng, ctx) => {
      d.body = JSON.stringify({ ...(typeof d.json === 'object' && !Array.isArray(d.json) ? d.json : {}), padding: 'x'.repeat(ctx.maxBodyBytes + 1024) });
      d.note = `body of ${ctx.maxBodyBytes + 1024}+ bytes`;
    },
  },
  'path-id': {
    weight: 2,
    applies: (op) => op.path.includes('{'),
    mutate: (d, _op, rng) => {
      const name = rng.pick(Object.keys(d.path));
      d.path[name] = rng.pick(H.HOSTILE_IDS);
      d.note = `path.${name} = ${preview(d.path[name]?.value)}${d.path[name]?.raw ? ' (raw)' : ''}`;
    },
  },
  'bad-query': {
    weight: 1,
    mutate: (d, op, rng) => {
      const names = (op.spec.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const name = names.length && rng.chance(0.8) ? rng.pick(names) : rng.pick(['limit', 'cursor', 'unknown']);
      const value = rng.pick([...H.BAD_QUERY_VALUES, ...H.INJECTION, ...H.UNICODE]);
      d.query = rng.chance(0.3) ? [...d.query, [name, value], [name, value]] : [...d.query.filter(([k]) => k !== name), [name, value]];
      d.note = `query.${name} = ${preview(value)}`;
    },
  },
  'bad-auth': {
    weight: 1,
    mutate: (d, _op, rng) => {
      d.auth = rng.pick(H.BAD_AUTH);
      d.note = `authorization ${preview(d.auth)}`;
    },
  },
  'bad-headers': {
    weight: 0.5,
    mutate: (d, _op, rng) => {
      const name = rng.pick(['idempotency-key', 'x-request-id', 'x-cart-id', 'stripe-signature', 'if-none-match']);
      d.headers[name] = rng.pick(H.BAD_HEADER_VALUES);
      d.note = `${name}: ${preview(d.headers[name])}`;
    },
  },
  'hostile-url': {
    weight: 2,
    applies: (op) => HOSTILE_URL_FIELDS.some((f) => f.method === op.method && f.path === op.path),
    mutate: (d, op, rng) => {
      const body = d.json && typeof d.json === 'object' && !Array.isArray(d.json) ? { ...d.json } : {};
      if (HOSTILE_URL_FIELDS.find((f) => f.method === op.method && f.path === op.path)?.field === 'url') {
        body.url = rng.pick(H.HOSTILE_WEBHOOK_URLS);
        d.note = `body.url = ${preview(body.url)}`;
      } else {
        body.images = [rng.pick(H.HOSTILE_IMAGE_URLS)];
        d.note = `body.images = ${preview(body.images)}`;
      }
      d.json = body;
    },
  },
  'oversized-search': {
    weight: 2,
    applies: (op) => op.method === 'GET' && op.path === '/api/v1/search',
    mutate: (d, _op, rng) => {
      const [name, value] = rng.pick(H.OVERSIZED_SEARCH);
      d.query = [...d.query.filter(([k]) => k !== name), [name, value]];
      d.note = `query.${name} = ${preview(value)}`;
    },
  },
  multipart: {
    weight: 2,
    applies: (op) => Boolean(op.spec.requestBody?.content[MULTIPART]),
    mutate: (d, _op, rng, ctx) => {
      const form = new FormData();
      const variant = rng.int(0, 5);
      const big = () => new Blob([new Uint8Array(ctx.maxBodyBytes + 1024)]);
      if (variant === 0) form.append('other', 'no file field');
      if (variant === 1) form.append('file', 'a plain string, not a file');
      if (variant === 2) form.append('file', new Blob([]), 'empty.png');
      if (variant === 3) form.append('file', new Blob(['<script>alert(1)</script>'], { type: 'image/png' }), rng.pick(['../../etc/passwd', 'a'.repeat(5000), '\u202egnp.exe', 'x\u0000.png']));
      if (variant === 4) form.append('file', big(), 'big.bin');
      if (variant === 5) {
        d.body = '--fuzz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nunterminated';
        d.contentType = rng.pick(['multipart/form-data; boundary=other', 'multipart/form-data', 'multipart/form-data; boundary=fuzz']);
      } else d.body = form;
      d.note = `hostile multipart #${variant}`;
    },
  },
};
