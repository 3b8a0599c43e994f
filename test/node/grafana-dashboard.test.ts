import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BLOB_FIELDS, DOUBLE_FIELDS } from '../../shared/analytics';

interface Panel {
  title: string;
  type: string;
  targets: Array<{ query: string; rawQuery: boolean }>;
}
const dashboard = JSON.parse(readFileSync('docs/dashboards/grafana-ultramarket.json', 'utf8')) as {
  panels: Panel[];
  templating: { list: Array<{ name: string; query: string }> };
};
const queries = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, sql: t.query })));

describe('the Grafana dashboard (docs/dashboards)', () => {
  it('covers traffic, errors, p95 by route, orders and revenue', () => {
    const all = queries.map((q) => q.sql).join('\n');
    expect(all).toMatch(/quantileExactWeighted\(0\.95\)\(double1, _sample_interval\)/);
    expect(all).toMatch(/GROUP BY route/);
    expect(all).toMatch(/double2 >= 500/);
    expect(all).toMatch(/blob7 = 'order\.paid'/);
    expect(all).toMatch(/order\.partially_refunded/);
  });

  it.each(queries)('$panel: reads the chosen dataset within the time range, weighted by _sample_interval', ({ sql }) => {
    expect(sql).toContain('FROM $dataset');
    expect(sql).toContain('timestamp >= toDateTime($from) AND timestamp <= toDateTime($to)');
    // Sampled rows: counts are SUM(_sample_interval), never count().
    expect(sql).not.toMatch(/\bcount\s*\(/i);
    for (const sum of sql.match(/SUM\((?:[^()]|\([^()]*\))*\)/g) ?? []) expect(sum).toContain('_sample_interval');
  });

  it.each(queries)('$panel: names only columns the data point layout defines', ({ sql }) => {
    const blobs = [...sql.matchAll(/\bblob(\d+)\b/g)].map((m) => Number(m[1]));
    const doubles = [...sql.matchAll(/\bdouble(\d+)\b/g)].map((m) => Number(m[1]));
    for (const n of blobs) expect(n).toBeLessThanOrEqual(BLOB_FIELDS.length);
    for (const n of doubles) expect(n).toBeLessThanOrEqual(DOUBLE_FIELDS.length);
  });

  it('offers every dataset the Worker writes to', () => {
    const wrangler = readFileSync('wrangler.toml', 'utf8');
    const datasets = [...wrangler.matchAll(/dataset\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
    const offered = dashboard.templating.list.find((v) => v.name === 'dataset')!.query.split(',');
    expect(datasets.length).toBeGreaterThan(0);
    for (const d of datasets) expect(offered).toContain(d);
  });
});
