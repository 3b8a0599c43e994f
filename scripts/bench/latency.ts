/**
 * Latency profiles for `npm run bench -- --latency <profile>`: the one-way
 * delay, in milliseconds, the local stand-ins add per message to each kind of
 * service (scripts/stack/network.ts). A profile is a preset's name, a list
 * `postgres=45,redis=45,stripe=90`, or a preset followed by overrides
 * (`tashkent,redis=1`: what if Redis sat in the colo). Kinds not named are 0.
 * The figures of the presets are justified in docs/performance.md
 * ("Latency profiles and network calls per request").
 */
import { type Network, SERVICE_KINDS, type ServiceKind } from '../stack/network';

export type OneWayDelays = Record<ServiceKind, number>;

export interface LatencyProfile {
  /** The spec as given on the command line (a preset's name, or the list). */
  name: string;
  oneWayMs: OneWayDelays;
}

/** A longer one-way delay is a typo (45000 for 45), not a distance on Earth. */
export const MAX_ONE_WAY_MS = 2_000;

export const LATENCY_PRESETS: Readonly<Record<string, Readonly<Partial<OneWayDelays>>>> = {
  /**
   * A Cloudflare colo in Tashkent; Neon and Upstash in eu-central-1
   * (Frankfurt, 4,670 km); Stripe's API in the US east (10,480 km, through
   * Frankfurt); Payme and Click in Tashkent; the email API in us-east-1.
   */
  tashkent: { postgres: 45, redis: 45, stripe: 90, payme: 2, click: 2, email: 90 },
};

export class LatencySpecError extends Error {}

const isKind = (name: string): name is ServiceKind => (SERVICE_KINDS as readonly string[]).includes(name);

const zero = (): OneWayDelays => Object.fromEntries(SERVICE_KINDS.map((k) => [k, 0])) as OneWayDelays;

/** Parses a `--latency` value; a bad one throws a LatencySpecError that says what is wrong. */
export function parseLatency(spec: string): LatencyProfile {
  const items = spec.split(',').map((s) => s.trim());
  const presets = Object.keys(LATENCY_PRESETS).join(', ');
  if (!spec.trim() || items.some((s) => !s)) {
    throw new LatencySpecError(`--latency: expected a preset (${presets}) or kind=ms pairs like postgres=45,redis=45 (got ${JSON.stringify(spec)})`);
  }
  const oneWayMs = zero();
  const named = new Set<ServiceKind>();
  items.forEach((item, i) => {
    const eq = item.indexOf('=');
    if (eq === -1) {
      const preset = LATENCY_PRESETS[item];
      if (!preset) throw new LatencySpecError(`--latency: unknown preset ${JSON.stringify(item)} (presets: ${presets}; or kind=ms pairs)`);
      if (i > 0) throw new LatencySpecError(`--latency: a preset comes first, before any kind=ms override (got ${JSON.stringify(spec)})`);
      Object.assign(oneWayMs, preset);
      return;
    }
    const kind = item.slice(0, eq).trim();
    const raw = item.slice(eq + 1).trim();
    if (!isKind(kind)) throw new LatencySpecError(`--latency: unknown kind ${JSON.stringify(kind)} (kinds: ${SERVICE_KINDS.join(', ')})`);
    if (named.has(kind)) throw new LatencySpecError(`--latency: ${kind} is given twice`);
    const ms = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || ms > MAX_ONE_WAY_MS) {
      throw new LatencySpecError(`--latency: ${kind} must be a one-way delay from 0 to ${MAX_ONE_WAY_MS} ms (got ${JSON.stringify(raw)})`);
    }
    named.add(kind);
    oneWayMs[kind] = ms;
  });
  return { name: spec.trim(), oneWayMs };
}

/** Sets every kind's one-way delay (all 0 without a profile). */
export function applyLatency(network: Network, profile: LatencyProfile | undefined): void {
  const delays = profile?.oneWayMs ?? zero();
  for (const kind of SERVICE_KINDS) network.setDelay(kind, delays[kind]);
}

/** `postgres=45 redis=45 stripe=90` (kinds at 0 left out). */
export function describeLatency(profile: LatencyProfile): string {
  const set = SERVICE_KINDS.filter((k) => profile.oneWayMs[k] > 0).map((k) => `${k}=${profile.oneWayMs[k]}`);
  return `${profile.name}${profile.name.includes('=') ? '' : ` (${set.join(' ') || 'no delay'})`} ms one way`;
}
