import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { network, type ServiceKind } from './network';

/**
 * A stand-in's request listener with the network's distance in front of it
 * (scripts/stack/network.ts). A request that `crosses` is counted once as a
 * call of `kind`, reaches `listener` one one-way delay after it arrived, and
 * its answer leaves one more delay after the handler ends it: one call costs
 * a round trip, as it does to a hosted service. Requests that do not cross (a
 * stand-in's own control routes, pages a person opens in a browser) go
 * straight through, uncounted.
 */
export function acrossNetwork(
  kind: ServiceKind,
  listener: RequestListener,
  crosses: (req: IncomingMessage) => boolean = () => true,
): RequestListener {
  return (req, res) => {
    if (!crosses(req)) return listener(req, res);
    network.count(kind);
    holdAnswer(res, kind);
    if (network.delayOf(kind) === 0) return listener(req, res);
    void network.wait(kind).then(() => listener(req, res));
  };
}

/**
 * The answer leaves one one-way delay after `res.end`: the stand-ins send each
 * answer whole with `end` (headers are held until then), so holding `end`
 * holds the answer.
 */
function holdAnswer(res: ServerResponse, kind: ServiceKind): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    if (network.delayOf(kind) === 0) return end(...args);
    void network.wait(kind).then(() => end(...args));
    return res;
  }) as ServerResponse['end'];
}
