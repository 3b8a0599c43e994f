/**
 * Which hosts an outgoing webhook must never be sent to: IP literals in a
 * special-purpose range (IANA's IPv4 and IPv6 special-purpose address
 * registries, plus multicast) and names that only resolve inside someone's
 * network or to whatever address is spelled in them.
 *
 * The input is a hostname as `new URL()` leaves it: lower-cased, IDN in
 * punycode, IPv4 in any notation (decimal, octal, hex, short forms) already
 * rewritten as a dotted quad, and IPv6 in brackets, compressed, with an
 * embedded IPv4 rewritten as hex. The parsers below still accept the other
 * spellings, so a caller that skipped `new URL()` is not caught out.
 */

/** [network, prefix length] pairs over 32-bit IPv4 addresses. */
const IPV4_SPECIAL: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata endpoints)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.31.196.0', 24], // AS112-v4
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['192.175.48.0', 24], // direct delegation AS112
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast: never a unicast receiver
  ['240.0.0.0', 4], // reserved, including 255.255.255.255 (limited broadcast)
];

function ipv4ToInt(dotted: string): number {
  return dotted.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

const IPV4_RANGES = IPV4_SPECIAL.map(([net, bits]) => ({ base: ipv4ToInt(net), size: 2 ** (32 - bits) }));

/** True when the 32-bit address lies in a special-purpose range. */
export function isSpecialIpv4(address: number): boolean {
  return IPV4_RANGES.some(({ base, size }) => address >= base && address < base + size);
}

/** One IPv4 part in C `inet_aton` notation: decimal, 0-prefixed octal or 0x-prefixed hex. */
function parseIpv4Part(part: string): number | null {
  if (/^0x[0-9a-f]*$/i.test(part)) return part.length === 2 ? 0 : parseInt(part.slice(2), 16);
  if (/^0[0-7]+$/.test(part)) return parseInt(part.slice(1), 8);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return Number(part);
  return null;
}

/**
 * Parses an IPv4 literal in any notation URL parsers accept (`127.0.0.1`,
 * `0x7f.1`, `017700000001`, `2130706433`, `127.1`); null when it is not one.
 */
export function parseIpv4(host: string): number | null {
  const parts = host.replace(/\.$/, '').split('.');
  if (parts.length > 4 || parts.some((p) => p === '')) return null;
  const numbers = parts.map(parseIpv4Part);
  if (numbers.some((n) => n === null || !Number.isFinite(n))) return null;
  const values = numbers as number[];
  const last = values.pop() ?? 0;
  if (values.some((n) => n > 255) || last >= 256 ** (4 - values.length)) return null;
  return values.reduce((n, part, i) => n + part * 256 ** (3 - i), 0) + last;
}

/** Parses an IPv6 literal (brackets optional, `::` and a trailing dotted IPv4 allowed) into eight 16-bit groups. */
export function parseIpv6(literal: string): number[] | null {
  let host = literal.replace(/^\[|\]$/g, '').toLowerCase();
  const zone = host.indexOf('%');
  if (zone >= 0) host = host.slice(0, zone);
  if (!host.includes(':')) return null;
  const tail = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (tail?.[1]) {
    const v4 = parseIpv4(tail[1]);
    if (v4 === null || !/^\d+\.\d+\.\d+\.\d+$/.test(tail[1])) return null;
    host = `${host.slice(0, host.length - tail[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = host.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0] ?? '');
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}

const v4Of = (hi: number, lo: number) => hi * 65536 + lo;

/**
 * True when an IPv6 address is not plain global unicast: outside 2000::/3
 * (which leaves out ::, ::1, IPv4-compatible ::/96, IPv4-mapped
 * ::ffff:0:0/96, NAT64 64:ff9b::/96 and 64:ff9b:1::/48, discard 100::/64,
 * SRv6 5f00::/16, unique-local fc00::/7, link-local fe80::/10, multicast
 * ff00::/8), or inside one of the special blocks of 2000::/3: IETF protocol
 * assignments 2001::/23 (Teredo 2001::/32 among them), documentation
 * 2001:db8::/32 and 3fff::/20, and 6to4 2002::/16 whose embedded IPv4 is
 * itself special.
 */
export function isSpecialIpv6(groups: number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0] = groups;
  if ((g0 & 0xe000) !== 0x2000) return true;
  if (g0 === 0x2001 && g1 < 0x0200) return true;
  if (g0 === 0x2001 && g1 === 0x0db8) return true;
  if ((g0 & 0xfff0) === 0x3ff0) return true;
  if (g0 === 0x2002) return isSpecialIpv4(v4Of(g1, g2));
  return false;
}

/** Names that resolve only inside a network (RFC 6761/6762/8375 and common private suffixes). */
const PRIVATE_SUFFIXES = [
  'localhost',
  'local',
  'internal',
  'intranet',
  'lan',
  'home',
  'corp',
  'localdomain',
  'home.arpa',
  'arpa',
  'test',
  'invalid',
  'example',
  'onion',
  'alt',
];

/**
 * Public DNS services that answer any name under them with the address the
 * name spells (`127.0.0.1.nip.io`, `7f000001.sslip.io`) or always with
 * loopback (`anything.localtest.me`), or rebind between two (`rbndr.us`).
 */
export const WILDCARD_DNS_SUFFIXES = [
  'nip.io',
  'sslip.io',
  'xip.io',
  'xip.name',
  'traefik.me',
  'localtest.me',
  'lvh.me',
  'vcap.me',
  'fuf.me',
  'lacolhost.com',
  'localhost.direct',
  'local.gd',
  'rbndr.us',
  '1u.ms',
];

const underSuffix = (name: string, suffix: string) => name === suffix || name.endsWith(`.${suffix}`);

/** Why the host is refused, or null for a public name or address. */
export function specialHostReason(hostname: string): string | null {
  const bracketed = hostname.startsWith('[');
  if (bracketed || hostname.includes(':')) {
    const groups = parseIpv6(hostname);
    if (!groups) return 'is not a valid address';
    return isSpecialIpv6(groups) ? 'is a special-purpose IPv6 address' : null;
  }
  // Trailing dots make a name absolute (`localhost.`); they change nothing about where it points.
  const name = hostname.toLowerCase().replace(/\.+$/, '');
  if (!name) return 'is not a host';
  const v4 = parseIpv4(name);
  if (v4 !== null) return isSpecialIpv4(v4) ? 'is a special-purpose IPv4 address' : null;
  if (!name.includes('.')) return 'is a single-label name, resolved only inside a network';
  if (PRIVATE_SUFFIXES.some((s) => underSuffix(name, s))) return 'is a private or special-use name';
  if (WILDCARD_DNS_SUFFIXES.some((s) => underSuffix(name, s))) return 'is under a wildcard-DNS service that resolves to any address';
  return null;
}
