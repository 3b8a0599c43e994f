/**
 * Tables for the bench's console output, columns padded to their widest cell:
 * plain text, or Markdown (padded too, so it reads in a terminal and pastes
 * into docs/performance.md as it is).
 */
export function formatTable(head: string[], rows: string[][], rightAligned: (column: number) => boolean, markdown = false): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length), markdown ? 3 : 0));
  const pad = (c: string, i: number) => (rightAligned(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!));
  if (!markdown) {
    const line = (cells: string[]) => cells.map(pad).join('  ').trimEnd();
    return [line(head), widths.map((w) => '-'.repeat(w)).join('  ').trimEnd(), ...rows.map(line)];
  }
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (rightAligned(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(head), rule, ...rows.map(line)];
}
