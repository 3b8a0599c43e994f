/**
 * The catalogue of hostile values the mutators draw from. Strings here must
 * survive `JSON.stringify` (lone surrogates are escaped as \udXXX, which the
 * server's JSON.parse turns back into lone surrogates).
 */

/** A raw JSON number text the mutator splices in where JSON.stringify cannot write it (1e309, -0, 2^63). */
export const raw = (text: string) => `RAW§${text}§`;
export const RAW_MARKER = /"RAW§([^"§]*)§"/g;

export const HUGE_STRING_LENGTH = 100_000;

export const UNICODE = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  'tail\ud83d',
  '\u202eevil\u202c.exe',
  '👨‍👩‍👧‍👦',
  'e\u0301\u0301\u0301\u0301\u0301',
  'Z̴̡̪̫͎̣̈́̈́̓a̸̛͔l̷g̶o',
  '\ufeffbom',
  '\uffff\ufffe',
  'zero\u200bwidth',
  'İıſK',
  '𝕏'.repeat(300),
  '\r\n\t\u000b\u000c',
  '\u2028\u2029',
  'ＡＢＣ',
  '\u00c0\u00af\u00e0\u0080\u00af',
  '🏳️‍🌈'.repeat(40),
  'ـ'.repeat(500),
  '  ',
  '',
];

export const INJECTION = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  "1); SELECT pg_sleep(2); --",
  '" OR ""="',
  "admin'--",
  "%' AND 1=1 --",
  "' UNION SELECT null, version() --",
  '||(SELECT current_user)||',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '"><svg/onload=alert(1)>',
  '../../etc/passwd',
  '{"$gt": ""}',
  '${jndi:ldap://example.test/a}',
  '%00%0d%0a',
  '\\x00\\',
  'constructor',
  '__proto__',
];

export const WRONG_TYPES: unknown[] = [null, true, false, 'text', 123, 1.5, [], {}, [1, 'a'], { nested: { deep: true } }, '', 'true', '123', '[]'];

export const HUGE_NUMBERS = [
  '1e308',
  '-1e308',
  '1e309',
  '-1e309',
  '9223372036854775808',
  '-9223372036854775809',
  '9007199254740993',
  '18446744073709551616',
  '-0',
  '1e-400',
  '0.5',
  '4294967296',
  '2147483648',
  '123456789012345678901234567890',
];

export const NEGATIVE_OR_ZERO: unknown[] = [-1, 0, -0.01, -2147483648, -1e9, 0.0001, -100];

/** Bodies sent as application/json that are not (one valid JSON text each). */
export const MALFORMED_JSON = [
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  'NaN',
  '{"a":NaN}',
  'undefined',
  ' ',
  '['.repeat(5000),
  '{"a":1}{"b":2}',
  '{"a": 01}',
  '{"a":"\u0001"}',
  '{"a":1e999}',
  '{"a":"\\ud800\\udc00\\u"}',
  '{"a": tru}',
  '\ufeff{}',
  '{"a":1}\u0000',
  '{"a":'.repeat(2000) + '1' + '}'.repeat(2000),
];

/** Valid JSON texts of the wrong shape. */
export const WRONG_SHAPE_JSON = ['null', 'true', '"text"', '123', '[]', '[{}]', '{}'];

export const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/xml',
  'application/json; charset=utf-16',
  'application/jsonx',
  'APPLICATION/JSON',
  'json',
  '*/*',
  'text/html; charset=utf-8',
  'application/octet-stream',
];

/** Ids for path parameters; `raw` ones are put in the URL unencoded (the URL parser may change the route). */
export const HOSTILE_IDS: Array<{ value: string; raw?: boolean }> = [
  { value: '../../etc/passwd' },
  { value: '../../etc/passwd', raw: true },
  { value: '..%2f..%2fetc%2fpasswd', raw: true },
  { value: '%2e%2e%2f%2e%2e%2f', raw: true },
  { value: '%2e%2e', raw: true },
  { value: '....//....//' },
  { value: '..\\..\\windows\\win.ini' },
  { value: '%00', raw: true },
  { value: '\u0000' },
  { value: 'a'.repeat(10_000) },
  { value: '0' },
  { value: '-1' },
  { value: '99999999999999999999' },
  { value: 'null' },
  { value: 'undefined' },
  { value: "' OR 1=1--" },
  { value: '<script>alert(1)</script>' },
  { value: '00000000-0000-0000-0000-000000000000' },
  { value: 'ffffffff-ffff-ffff-ffff-ffffffffffff' },
  { value: '{00000000-0000-0000-0000-000000000000}' },
  { value: ' ' },
  { value: '😀' },
  { value: '\u202e' },
  { value: 'ln_000000000000000000000000' },
  { value: '.' },
  { value: ';' },
  { value: '?x=1', raw: true },
  { value: '#frag', raw: true },
];

export const BAD_QUERY_VALUES = ['-1', '0', '1e9', 'abc', '', '101', '1.5', '%00', '[]', '{"a":1}', 'x'.repeat(20_000), 'eyJpZCI6IjEifQ', '!!!', 'true', 'null'];

/** Authorization headers; `TAMPER` is replaced with the role's token with its signature altered. */
export const BAD_AUTH = ['Bearer', 'Bearer ', 'Bearer x', 'Bearer a.b.c', 'Basic dXNlcjpwYXNz', `Bearer ${'A'.repeat(10_000)}`, 'TAMPER', 'Bearer null', 'Token abc'];

/** Header values must be ByteStrings without CR/LF/NUL: fetch refuses anything else. */
export const BAD_HEADER_VALUES = ['', 'x'.repeat(10_000), 'ÿþ'.repeat(8), "' OR 1=1--", '../../etc/passwd', '\t', '<script>'];

/**
 * Hosts that reach a private network, this machine or a special-purpose
 * range, spelled every way a URL parser accepts: outgoing webhook
 * destinations must refuse every one (test/worker/webhooks/destination.test.ts).
 */
export const HOSTILE_WEBHOOK_URLS = [
  // names: case, trailing dots, IDN full-width letters, single labels, private suffixes
  'https://localhost./x',
  'https://LOCALHOST/x',
  'https://ｌｏｃａｌｈｏｓｔ/x',
  'https://app.localhost/x',
  'https://metadata.google.internal./x',
  'https://metadata/computeMetadata/v1',
  'https://printer.local/x',
  'https://router.home.arpa/x',
  // wildcard DNS: the name spells the address it resolves to
  'https://127.0.0.1.nip.io/x',
  'https://169-254-169-254.sslip.io/x',
  'https://7f000001.sslip.io/x',
  'https://10.0.0.1.xip.io/x',
  'https://app.traefik.me/x',
  'https://anything.localtest.me/x',
  'https://lvh.me/x',
  'https://7f000001.c0a80001.rbndr.us/x',
  // IPv4 in every notation and every special-purpose range
  'https://0x7f.1/x',
  'https://2130706433/x',
  'https://017700000001/x',
  'https://127.1/x',
  'https://0/x',
  'https://0x7f000001/x',
  'https://0251.0376.0251.0376/x',
  'https://100.64.0.1/x',
  'https://172.31.255.255/x',
  'https://192.0.0.8/x',
  'https://192.0.2.1/x',
  'https://192.88.99.1/x',
  'https://198.18.0.1/x',
  'https://198.19.255.1/x',
  'https://198.51.100.7/x',
  'https://203.0.113.9/x',
  'https://224.0.0.1/x',
  'https://240.0.0.1/x',
  'https://255.255.255.255/x',
  // IPv6, and IPv4 embedded in IPv6
  'https://[::]/x',
  'https://[::1]/x',
  'https://[0:0:0:0:0:0:0:1]/x',
  'https://[::127.0.0.1]/x',
  'https://[::ffff:127.0.0.1]/x',
  'https://[::ffff:a9fe:a9fe]/x',
  'https://[::ffff:8.8.8.8]/x',
  'https://[64:ff9b::a9fe:a9fe]/x',
  'https://[64:ff9b::10.0.0.1]/x',
  'https://[64:ff9b:1::a00:1]/x',
  'https://[100::1]/x',
  'https://[2001::1]/x',
  'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x',
  'https://[2001:db8::1]/x',
  'https://[2002:7f00:1::]/x',
  'https://[2002:a9fe:a9fe::1]/x',
  'https://[3fff::1]/x',
  'https://[fc00::1]/x',
  'https://[fd12:3456::1]/x',
  'https://[fe80::1]/x',
  'https://[fec0::1]/x',
  'https://[ff02::1]/x',
];

/**
 * Product `images` entries a storefront must never be handed: script and data
 * URLs, plain http, relative and protocol-relative paths, credentials, and
 * whitespace or control characters that browsers strip before reading the
 * scheme. Both POST and PUT /products refuse each one (test/worker/catalog/validation.test.ts).
 */
export const HOSTILE_IMAGE_URLS = [
  'javascript:alert(1)',
  'JavaScript:alert(document.cookie)',
  'java\tscript:alert(1)',
  ' javascript:alert(1)',
  'javascript://cdn.example.com/%0aalert(1)',
  'data:image/svg+xml,<svg onload=alert(1)>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'http://cdn.example.com/x.jpg',
  '//evil.example/x.jpg',
  'a.jpg',
  '/api/v1/files/../../admin',
  'https://user:pw@cdn.example.com/x.jpg',
  'https://cdn.example.com/x.jpg\u0000',
  'https://cdn.example.com/\u202egpj.exe',
];

/** Search input past the bounds (`q` length, number of terms, page size). */
export const OVERSIZED_SEARCH: Array<[string, string]> = [
  ['q', 'x'.repeat(201)],
  ['q', Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')],
  ['q', 'a '.repeat(5_000)],
  ['limit', '101'],
  ['limit', '1000000'],
];
