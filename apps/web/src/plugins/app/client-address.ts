import { isIP } from 'node:net';
import fp from 'fastify-plugin';

const FORWARDED_FOR = 'x-forwarded-for';

/**
 * The trustworthy tail of an X-Forwarded-For chain: the entries after the nearest one that is not
 * an IP address. Proxies append real addresses; anything else was written by a client, and so was
 * everything before it. Returns undefined when nothing usable is left.
 */
export function forwardedForTail(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const entries = (Array.isArray(value) ? value.join(',') : value).split(',').map((entry) => entry.trim());
  let start = entries.length;
  while (start > 0 && isIP(entries[start - 1]!) !== 0) start--;
  return start === entries.length ? undefined : entries.slice(start).join(', ');
}

/**
 * With trusted proxies (TRUST_PROXY_HOPS > 0) request.ip comes from X-Forwarded-For. A peer in
 * the trusted range could otherwise send `X-Forwarded-For: foo` and get "foo" as its address and
 * rate-limit key: the chain is cut at the nearest entry that is not an address, before anything
 * reads request.ip (this hook is registered first; request.ip is computed when read).
 */
export default fp(
  async (fastify) => {
    if (fastify.config.TRUST_PROXY_HOPS === 0) return;
    fastify.addHook('onRequest', (request, _reply, done) => {
      const given = request.headers[FORWARDED_FOR];
      if (given !== undefined) {
        const tail = forwardedForTail(given);
        if (tail === undefined) delete request.headers[FORWARDED_FOR];
        else request.headers[FORWARDED_FOR] = tail;
      }
      done();
    });
  },
  { name: 'client-address', dependencies: ['config'] },
);
