/**
 * bench/results.svg: one row per endpoint, two panels side by side —
 * requests/s (log scale: the baseline runs two orders of magnitude above a
 * database-bound endpoint, and a linear axis would flatten every endpoint to
 * nothing) and p99 latency (linear). The baseline route is the grey bar and
 * the dashed reference line in both panels. Hand-written SVG: no chart
 * library, no browser, the same bytes for the same figures.
 */
import { formatBundle } from './bundle';
import type { BenchReport, BenchResult } from './types';

const ROW = 22;
const BAR = 14;
const LABEL_RIGHT = 190;
const TRIPS_X = 222;
const RPS = { x: 262, width: 380 };
const P99 = { x: 690, width: 270 };
const WIDTH = 1000;
const TOP = 124;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
const COLORS = { baseline: '#9aa0a6', rps: '#3b73b9', p99: '#d9822b', error: '#c62828', grid: '#e3e5e8', text: '#202124', muted: '#5f6368' };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (n: number) => Math.round(n).toLocaleString('en-US');
const px = (n: number) => Math.round(n * 10) / 10;

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${px(x)}" y="${px(y)}" ${attrs}>${esc(content)}</text>`;
}

/** A scale's position (0..1) of a value, and its grid ticks. */
interface Scale {
  at(value: number): number;
  ticks: Array<{ value: number; label: string }>;
}

function logScale(values: number[]): Scale {
  const positive = values.filter((v) => v > 0);
  const lo = Math.max(0, Math.floor(Math.log10(Math.min(...positive, 10))));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...positive, 10))));
  const short = (v: number) => (v >= 1000 ? `${v / 1000}k` : String(v));
  return {
    at: (v) => (v <= 0 ? 0 : Math.min(1, Math.max(0, (Math.log10(v) - lo) / (hi - lo)))),
    ticks: Array.from({ length: hi - lo + 1 }, (_, i) => ({ value: 10 ** (lo + i), label: short(10 ** (lo + i)) })),
  };
}

function linearScale(values: number[]): Scale {
  const max = Math.max(...values, 1);
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => max / s <= 5) ?? 10 * magnitude;
  const top = Math.ceil(max / step) * step;
  return {
    at: (v) => Math.min(1, Math.max(0, v / top)),
    ticks: Array.from({ length: Math.round(top / step) + 1 }, (_, i) => ({ value: i * step, label: num(i * step) })),
  };
}

/** Failed requests, or none completed in the window: `npm run bench` fails on either. */
const failed = (r: BenchResult) => r.errors > 0 || r.requestsPerSec === 0;

/** One panel: grid, reference line, a bar and its value per row. */
function panel(
  results: BenchResult[],
  area: { x: number; width: number },
  scale: Scale,
  value: (r: BenchResult) => number,
  label: (r: BenchResult) => string,
  color: string,
  reference: { value: number; label: string },
): string[] {
  const bottom = TOP + results.length * ROW;
  const out: string[] = [];
  for (const tick of scale.ticks) {
    const x = area.x + scale.at(tick.value) * area.width;
    out.push(`<line x1="${px(x)}" y1="${TOP - 4}" x2="${px(x)}" y2="${bottom}" stroke="${COLORS.grid}"/>`);
    out.push(text(x, bottom + 14, tick.label, `text-anchor="middle" fill="${COLORS.muted}" font-size="10"`));
  }
  results.forEach((r, i) => {
    const y = TOP + i * ROW + (ROW - BAR) / 2;
    const w = Math.max(1, scale.at(value(r)) * area.width);
    const fill = failed(r) ? COLORS.error : r.name === 'baseline' ? COLORS.baseline : color;
    out.push(`<rect x="${area.x}" y="${px(y)}" width="${px(w)}" height="${BAR}" fill="${fill}" rx="2"><title>${esc(`${r.name}: ${label(r)}`)}</title></rect>`);
    // Long bars carry their value inside; short ones after the bar.
    const inside = w > area.width * 0.62;
    const tx = inside ? area.x + w - 4 : area.x + w + 4;
    out.push(text(tx, y + BAR - 3, label(r), `font-size="10.5" ${inside ? 'text-anchor="end" fill="#fff"' : `fill="${COLORS.text}"`}`));
  });
  const rx = area.x + scale.at(reference.value) * area.width;
  out.push(`<line x1="${px(rx)}" y1="${TOP - 10}" x2="${px(rx)}" y2="${bottom}" stroke="${COLORS.text}" stroke-dasharray="4 3" stroke-width="1"/>`);
  out.push(text(rx, TOP - 13, reference.label, `text-anchor="${rx > area.x + area.width * 0.7 ? 'end' : 'middle'}" fill="${COLORS.text}" font-size="10"`));
  return out;
}

export function renderChart(report: BenchReport): string {
  const { results, machine, settings, bundle } = report;
  const base = results.find((r) => r.name === 'baseline') ?? results[0];
  if (!base) throw new Error('renderChart: no results');
  const height = TOP + results.length * ROW + 58;
  const date = report.at.slice(0, 10);
  const caption = [
    `${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, load ${machine.loadAverage.start.toFixed(2)} → ${machine.loadAverage.end.toFixed(2)}; node ${machine.node}, workerd ${machine.workerd}; ${settings.postgres}, ${settings.redis}`,
    `${settings.connections} connections (scenario endpoints: ${settings.scenarioLoops} loops), ${settings.durationS} s per endpoint after ${settings.warmupS} s warm-up; catalog of ${num(settings.catalogProducts)} products`,
    `Worker bundle (wrangler deploy --dry-run --env ${bundle.env}, wrangler ${bundle.wrangler}): ${formatBundle(bundle)}`,
  ];
  const rps = logScale(results.map((r) => r.requestsPerSec));
  const p99 = linearScale(results.map((r) => r.p99Ms));
  const rows = results.flatMap((r, i) => {
    const y = TOP + i * ROW + ROW / 2 + 4;
    return [
      text(LABEL_RIGHT, y, r.name, `text-anchor="end" fill="${COLORS.text}" font-size="12"${r.name === base.name ? ' font-weight="600"' : ''}`),
      text(TRIPS_X, y, String(r.dbRoundTrips), `text-anchor="middle" fill="${COLORS.muted}" font-size="11"`),
    ];
  });
  const bottom = TOP + results.length * ROW;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT} role="img" aria-labelledby="title">`,
    `<title id="title">${esc(`UltraMarket Edge benchmark, ${date}: requests/s and p99 latency per endpoint against the baseline route`)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    text(16, 24, `UltraMarket Edge — npm run bench, ${date}`, `font-size="16" font-weight="600" fill="${COLORS.text}"`),
    ...caption.map((line, i) => text(16, 44 + i * 15, line, `font-size="11" fill="${COLORS.muted}"`)),
    text(TRIPS_X, TOP - 26, 'db trips', `text-anchor="middle" font-size="11" font-weight="600" fill="${COLORS.text}"`),
    text(RPS.x, TOP - 26, 'requests/s (log scale; higher is better)', `font-size="12" font-weight="600" fill="${COLORS.text}"`),
    text(P99.x, TOP - 26, 'p99 latency, ms (lower is better)', `font-size="12" font-weight="600" fill="${COLORS.text}"`),
    ...panel(results, RPS, rps, (r) => r.requestsPerSec, (r) => (r.requestsPerSec === 0 ? 'none completed in the window' : r === base ? num(r.requestsPerSec) : `${num(r.requestsPerSec)} (${((r.requestsPerSec / base.requestsPerSec) * 100).toFixed(1)}%)`), COLORS.rps, { value: base.requestsPerSec, label: `baseline ${num(base.requestsPerSec)}/s` }),
    ...panel(results, P99, p99, (r) => r.p99Ms, (r) => `${num(r.p99Ms)}${r.errors ? ` · ${r.errors} errors` : ''}`, COLORS.p99, { value: base.p99Ms, label: `baseline ${num(base.p99Ms)} ms` }),
    ...rows,
    text(16, bottom + 36, 'Grey: the baseline route (GET /bench/noop: global middleware, no work); dashed lines: its figures. Red: failed requests, or none completed. db trips: Postgres round trips per request.', `font-size="10.5" fill="${COLORS.muted}"`),
    text(16, bottom + 50, 'Figures from bench/results.json; compare an endpoint with the baseline of the same run, not with another run.', `font-size="10.5" fill="${COLORS.muted}"`),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}
