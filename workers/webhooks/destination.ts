import type { Config } from '../../shared/env';
import { ValidationFailed } from '../../shared/errors';
import { specialHostReason } from './special-hosts';

/** Local receivers (a developer's tunnel, the test suite's stand-in) speak plain http. */
const allowsPlainHttp = (config: Config) => config.APP_ENV === 'development' || config.APP_ENV === 'test';

/**
 * Why a delivery URL is refused in this environment, or null when it may be
 * used. https only outside development/test; no credentials (the signature
 * authenticates us; a password in a URL would be shown in every listing); no
 * fragment; and, in deployed environments, a host that is a public name or a
 * public address in every notation (see special-hosts.ts). `new URL()` does
 * the canonicalising first: case, IDN → punycode, IPv4 in decimal, octal or
 * hex, IPv6 compression.
 */
export function deliveryUrlProblem(config: Config, raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowsPlainHttp(config))) {
    return allowsPlainHttp(config) ? 'must be an http(s) URL' : 'must be an https URL';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.hash) return 'must not contain a fragment';
  if (allowsPlainHttp(config)) return null;
  const reason = specialHostReason(url.hostname);
  return reason ? `must be a public host: ${url.hostname} ${reason}` : null;
}

/** Checks a delivery URL when an endpoint is registered or changed; answers the canonical URL. */
export function assertDeliverableUrl(config: Config, raw: string): string {
  const problem = deliveryUrlProblem(config, raw);
  if (problem) throw new ValidationFailed([{ path: 'url', message: problem }]);
  return new URL(raw).toString();
}
