/**
 * Turns a client address into the key a limiter counts it under.
 *
 * One IPv6 customer is handed a whole /64 (2^64 addresses), so limiting IPv6 per
 * address would give every attacker unlimited buckets: IPv6 is counted per /64.
 * The same address has many spellings (`2001:DB8::1`, `2001:db8:0:0::1`, an
 * IPv4 address as `::ffff:192.0.2.1`), so every key is built from the parsed
 * address, never from the text.
 */

export type ParsedIp = { version: 4; octets: number[] } | { version: 6; groups: number[] };

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const octets: number[] = [];
  for (const part of parts) {
    // Decimal only, no leading zeros: `010` is octal to some parsers and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    octets.push(n);
  }
  return octets;
}

function parseGroups(text: string): number[] | null {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return null;
      groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      continue;
    }
    if (!/^[0-9a-f]{1,4}$/i.test(part)) return null;
    groups.push(parseInt(part, 16));
  }
  return groups;
}

function parseIpv6(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = parseGroups(halves[0] ?? '');
  if (!head) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const tail = parseGroups(halves[1] ?? '');
  if (!tail || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/**
 * Parses an IPv4 or IPv6 address (brackets and a zone id are dropped). An
 * IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is the IPv4 address it carries:
 * a dual-stack socket reports IPv4 clients that way.
 */
export function parseIp(raw: string): ParsedIp | null {
  let text = raw.trim();
  if (text.length > 64) return null;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  if (!text.includes(':')) {
    const octets = parseIpv4(text);
    return octets ? { version: 4, octets } : null;
  }
  const groups = parseIpv6(text);
  if (!groups) return null;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return { version: 4, octets: [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff] };
  }
  return { version: 6, groups };
}

/** Whatever cannot be parsed shares one bucket, so made-up values never mint fresh budgets. */
const UNPARSEABLE = 'invalid';

/**
 * The network a client is counted under: IPv4 per `ipv4PrefixBits` (32: the
 * address itself), IPv6 always per /64. Canonical text: `203.0.113.7`,
 * `203.0.113.0/24`, `2001:db8:0:1::/64`.
 */
export function clientNetwork(raw: string, ipv4PrefixBits: 24 | 32 = 32): string {
  const ip = parseIp(raw);
  if (!ip) return UNPARSEABLE;
  if (ip.version === 4) {
    if (ipv4PrefixBits === 32) return ip.octets.join('.');
    return `${ip.octets.slice(0, 3).join('.')}.0/24`;
  }
  return `${ip.groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}
