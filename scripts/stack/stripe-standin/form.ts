/**
 * Stripe's v1 request encoding: `application/x-www-form-urlencoded` with bracket
 * notation for nesting, as the official SDKs send it:
 *   metadata[order_id]=42   automatic_payment_methods[enabled]=true
 *   expand[0]=latest_charge (what stripe-node sends)   payment_method_types[]=card (curl style)
 * Every value arrives as a string; the readers below coerce and validate them with
 * Stripe's error messages.
 */
import { paramError } from './errors';

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

/** Objects without a prototype, so keys like `__proto__` are plain data. */
function emptyObject(): FormObject {
  return Object.create(null) as FormObject;
}

/** `a[b][]` -> ['a', 'b', '']; a key that is not well-formed bracket notation stays whole. */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  const bracket = /\[([^[\]]*)\]/y;
  bracket.lastIndex = open;
  while (bracket.lastIndex < key.length) {
    const match = bracket.exec(key);
    if (!match) return [key];
    segments.push(match[1] ?? '');
  }
  return segments;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw paramError('Invalid request: the body is not valid application/x-www-form-urlencoded data.');
  }
}

/**
 * Parses a form body (or a query string) into nested objects. Containers are
 * objects while parsing (`[]` appends with the next free index); afterwards an
 * object whose keys are exactly 0..n-1 becomes an array.
 */
export function parseForm(text: string): FormObject {
  const root = emptyObject();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = decode(eq === -1 ? '' : pair.slice(eq + 1));
    const path = splitKey(key);
    let container = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i] === '' ? String(Object.keys(container).length) : (path[i] ?? '');
      if (i === path.length - 1) {
        container[segment] = value;
      } else {
        const next = container[segment];
        if (next === undefined || typeof next === 'string' || Array.isArray(next)) {
          const created = emptyObject();
          container[segment] = created;
          container = created;
        } else {
          container = next;
        }
      }
    }
  }
  return arrayify(root) as FormObject;
}

function arrayify(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  for (const key of keys) value[key] = arrayify(value[key] as FormValue);
  const isList = keys.length > 0 && keys.every((key, index) => key === String(index));
  return isList ? keys.map((key) => value[key] as FormValue) : value;
}

/** Deterministic JSON (sorted keys): two requests carry the same parameters iff these match. */
export function canonicalJson(value: FormValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as FormValue)}`).join(',')}}`;
}

function describe(value: FormValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A metadata change: `metadata=` clears all keys; `metadata[k]=` removes k. */
export type MetadataUpdate = { clear: true } | { clear: false; set: Record<string, string | null> };

export function applyMetadata(current: Record<string, string>, update: MetadataUpdate | undefined): Record<string, string> {
  if (!update) return current;
  if (update.clear) return {};
  // Built from entries, never by assignment: a key named "__proto__" must stay data.
  const next = new Map(Object.entries(current));
  for (const [key, value] of Object.entries(update.set)) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  return Object.fromEntries(next);
}

/**
 * Reads one request's parameters. Construction rejects parameters the endpoint
 * does not take (Stripe answers `parameter_unknown`); parameters that real Stripe
 * accepts but this stand-in does not model get a message saying so.
 */
export class ParamReader {
  private readonly form: FormObject;
  /** For nested hashes: `automatic_payment_methods`, so errors name `automatic_payment_methods[enabled]`. */
  private readonly prefix: string;

  constructor(form: FormObject, allowed: readonly string[], notModelled: readonly string[] = [], prefix = '') {
    this.form = form;
    this.prefix = prefix;
    for (const key of Object.keys(form)) {
      if (allowed.includes(key) || (key === 'expand' && prefix === '')) continue;
      const param = this.param(key);
      if (notModelled.includes(key)) {
        throw paramError(
          `Received unknown parameter: ${param}. (Stripe accepts it, but the local Stripe stand-in does not implement it; ` +
            'see scripts/stack/stripe-standin.ts, or use Stripe test mode for this flow.)',
          { code: 'parameter_unknown', param },
        );
      }
      throw paramError(`Received unknown parameter: ${param}`, { code: 'parameter_unknown', param });
    }
  }

  private param(name: string): string {
    return this.prefix ? `${this.prefix}[${name}]` : name;
  }

  has(name: string): boolean {
    return this.form[name] !== undefined;
  }

  private scalar(name: string, required: boolean): string | undefined {
    const value = this.form[name];
    const param = this.param(name);
    if (value === undefined) {
      if (required) throw paramError(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
      return undefined;
    }
    if (typeof value !== 'string') {
      throw paramError(`Invalid ${param}: must be a string, got ${describe(value)}`, { code: 'parameter_invalid_string', param });
    }
    return value;
  }

  /** A string; `''` is returned as is (Stripe's way of unsetting a field). */
  string(name: string, options: { required?: boolean; maxLength?: number } = {}): string | undefined {
    const value = this.scalar(name, options.required ?? false);
    const param = this.param(name);
    if (value === '' && options.required) {
      throw paramError(
        `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. ` +
          `You should remove '${param}' from your request or supply a non-empty value.`,
        { code: 'parameter_invalid_empty', param },
      );
    }
    if (value !== undefined && options.maxLength !== undefined && value.length > options.maxLength) {
      throw paramError(`Invalid ${param}: must be at most ${options.maxLength} characters`, { code: 'parameter_invalid_string', param });
    }
    return value;
  }

  integer(name: string, options: { required?: boolean; min?: number } = {}): number | undefined {
    const value = this.scalar(name, options.required ?? false);
    if (value === undefined) return undefined;
    const param = this.param(name);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw paramError(`Invalid integer: ${value}`, { code: 'parameter_invalid_integer', param });
    }
    const number = Number(value);
    if (options.min !== undefined && number < options.min) {
      throw paramError(`This value must be greater than or equal to ${options.min}.`, { code: 'parameter_invalid_integer', param });
    }
    return number;
  }

  boolean(name: string): boolean | undefined {
    const value = this.scalar(name, false);
    if (value === undefined) return undefined;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw paramError(`Invalid boolean: ${value}`, { param: this.param(name) });
  }

  enumeration<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.scalar(name, false);
    if (value === undefined || value === '') return undefined;
    if (!(values as readonly string[]).includes(value)) {
      const list = values.length > 1 ? `${values.slice(0, -1).join(', ')}, or ${values[values.length - 1]}` : values.join('');
      throw paramError(`Invalid ${this.param(name)}: must be one of ${list}`, { param: this.param(name) });
    }
    return value as T;
  }

  /** A nested hash whose keys must be in `keys`; returns a reader over it. */
  hash(name: string, keys: readonly string[]): ParamReader | undefined {
    const value = this.form[name];
    if (value === undefined) return undefined;
    if (typeof value === 'string' || Array.isArray(value)) throw paramError('Invalid object', { param: this.param(name) });
    return new ParamReader(value, keys, [], this.param(name));
  }

  stringArray(name: string): string[] | undefined {
    const value = this.form[name];
    if (value === undefined) return undefined;
    const list = typeof value === 'string' ? (value === '' ? [] : null) : Array.isArray(value) ? value : null;
    if (list === null || list.some((item) => typeof item !== 'string')) throw paramError('Invalid array', { param: this.param(name) });
    return list as string[];
  }

  /** Stripe's metadata rules: up to 50 keys, keys up to 40 characters, string values up to 500. */
  metadata(name = 'metadata'): MetadataUpdate | undefined {
    const value = this.form[name];
    if (value === undefined) return undefined;
    if (value === '') return { clear: true };
    const param = this.param(name);
    if (typeof value === 'string') throw paramError('Invalid object', { param });
    const entries: [string, FormValue][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    if (entries.length > 50) throw paramError('You can only specify up to 50 keys in metadata.', { param });
    const set: [string, string | null][] = [];
    for (const [key, item] of entries) {
      const itemParam = `${param}[${key}]`;
      if (typeof item !== 'string') throw paramError(`Invalid value type: ${describe(item)} must be a string`, { param: itemParam });
      if (key.length > 40) throw paramError(`Metadata keys can have up to 40 characters; "${key}" has ${key.length}.`, { param: itemParam });
      if (item.length > 500) throw paramError(`Metadata values can have up to 500 characters; the value for "${key}" has ${item.length}.`, { param: itemParam });
      set.push([key, item === '' ? null : item]);
    }
    return { clear: false, set: Object.fromEntries(set) };
  }

  expand(): string[] {
    return this.stringArray('expand') ?? [];
  }
}
