/** A single byte range of a file, resolved against its size. */
export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * Reads a `Range` header (RFC 9110 §14.1.2) for a file of `size` bytes:
 * `bytes=a-b`, `bytes=a-` and `bytes=-n`. Returns undefined when the whole file
 * should be sent — no header, a syntax we do not understand, or several
 * ranges (a server may ignore Range, and multipart/byteranges is not worth
 * its complexity here) — and 'unsatisfiable' when no byte of it exists.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/i.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    const length = Math.min(suffix, size);
    return { offset: size - length, length };
  }
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  if (end < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { offset: start, length: Math.min(end, size - 1) - start + 1 };
}
