/**
 * Content sniffing: the stored type comes from the file's first bytes, never
 * from the client's Content-Type or the filename. Only formats with an
 * unambiguous signature are allowed, so an executable renamed `.png` (or
 * sent as `image/png`) matches nothing and is refused. SVG and HTML are left
 * out on purpose: they can carry script.
 */

interface Signature {
  contentType: string;
  matches: (bytes: Uint8Array) => boolean;
}

const ascii = (text: string) => [...text].map((ch) => ch.charCodeAt(0));

/** True when `bytes` holds `expected` at `offset`. */
const at = (bytes: Uint8Array, offset: number, expected: number[]) =>
  bytes.length >= offset + expected.length && expected.every((b, i) => bytes[offset + i] === b);

const SIGNATURES: Signature[] = [
  { contentType: 'image/png', matches: (b) => at(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { contentType: 'image/jpeg', matches: (b) => at(b, 0, [0xff, 0xd8, 0xff]) },
  { contentType: 'image/gif', matches: (b) => at(b, 0, ascii('GIF87a')) || at(b, 0, ascii('GIF89a')) },
  { contentType: 'image/webp', matches: (b) => at(b, 0, ascii('RIFF')) && at(b, 8, ascii('WEBP')) },
  { contentType: 'application/pdf', matches: (b) => at(b, 0, ascii('%PDF-')) },
];

/** The media types an upload may have. */
export const ALLOWED_TYPES = SIGNATURES.map((s) => s.contentType);

/** The allowed media type the bytes are, or undefined when they are none of them. */
export function sniffContentType(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find((s) => s.matches(bytes))?.contentType;
}

export const isImage = (contentType: string) => contentType.startsWith('image/');
