import { describe, expect, it } from 'vitest';
import { clientNetwork, parseIp } from '../../shared/client-network';

describe('clientNetwork', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    [' 203.0.113.7 ', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:CB00:7107', '203.0.113.7'],
    ['0:0:0:0:0:ffff:203.0.113.7', '203.0.113.7'],
    ['[::ffff:203.0.113.7]', '203.0.113.7'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:DB8:0:0:FFFF:1:2:3', '2001:db8:0:0::/64'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['2001:db8:1:2:3:4:192.0.2.1', '2001:db8:1:2::/64'],
  ])('%s → %s', (raw, key) => {
    expect(clientNetwork(raw)).toBe(key);
  });

  it('groups IPv4 per /24 when asked', () => {
    expect(clientNetwork('198.51.100.77', 24)).toBe('198.51.100.0/24');
    expect(clientNetwork('::ffff:198.51.100.77', 24)).toBe('198.51.100.0/24');
    expect(clientNetwork('2001:db8:5:6::7', 24)).toBe('2001:db8:5:6::/64');
  });

  it.each(['', 'unknown', '1.2.3', '1.2.3.256', '01.2.3.4', '1.2.3.4.5', '2001:db8::1::2', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1:2:3:4:5:6:7'])(
    'puts the unparseable %j in one shared bucket',
    (raw) => {
      expect(parseIp(raw)).toBeNull();
      expect(clientNetwork(raw)).toBe('invalid');
    },
  );
});
