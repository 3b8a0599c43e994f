import type { Config } from '../../shared/env';
import { ValidationFailed } from '../../shared/errors';

/** Local receivers (a developer's tunnel, the test suite's stand-in) speak plain http. */
const allowsPlainHttp = (config: Config) => config.APP_ENV === 'development' || config.APP_ENV === 'test';

/** Hosts that only make sense inside someone's network: never a deployed integrator's endpoint. */
function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || /\.(localhost|local|internal)$/.test(host)) return true;
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  return host.includes(':') && (host === '::1' || host === '::' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith('::ffff:'));
}

/**
 * Checks a delivery URL against what the zod schema cannot know (the
 * environment): https only outside development/test, no credentials (the
 * signature authenticates us; a password in a URL would be shown in every
 * listing), no fragment, and no private or loopback host in deployed
 * environments.
 */
export function assertDeliverableUrl(config: Config, raw: string): string {
  const fail = (message: string): never => {
    throw new ValidationFailed([{ path: 'url', message }]);
  };
  const url = new URL(raw);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowsPlainHttp(config))) {
    fail(allowsPlainHttp(config) ? 'must be an http(s) URL' : 'must be an https URL');
  }
  if (url.username || url.password) fail('must not contain credentials');
  if (url.hash) fail('must not contain a fragment');
  if (!allowsPlainHttp(config) && isPrivateHost(url.hostname)) fail('must be a public host');
  return url.toString();
}
