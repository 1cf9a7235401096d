import { isIP } from 'node:net';
import t from 'tap';
import fc from 'fast-check';
import { compile } from '@fastify/proxy-addr';
import { ConfigError, loadConfig } from '@zumo/config';
import { proxyTrust } from '../src/server-options.js';

/** Candidate entries: real addresses in every spelling fast-check knows (IPv6 with embedded IPv4,
 * IPv4 in hex or octal), text over the same alphabet, and any prefix, zero and padded ones included. */
const address = fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.stringMatching(/^[0-9a-fA-F:.]{1,12}$/));
const prefix = fc.oneof(fc.integer({ min: 0, max: 200 }).map(String), fc.stringMatching(/^[0-9]{1,4}$/));
const entry = fc.tuple(address, prefix).map(([a, p]) => `${a}/${p}`);
const cidrList = fc.array(entry, { minLength: 1, maxLength: 3 }).map((entries) => entries.join(','));

function compiles(entries: string[]): boolean {
  try {
    compile(entries);
    return true;
  } catch {
    return false;
  }
}

t.test('no TRUSTED_PROXY_CIDRS the schema accepts can crash the boot', async (t) => {
  fc.assert(
    fc.property(cidrList, (cidrs) => {
      let config;
      try {
        config = loadConfig({ TRUST_PROXY_HOPS: '2', TRUSTED_PROXY_CIDRS: cidrs });
      } catch (error) {
        // Refused: it must be the one config error, naming this variable.
        return error instanceof ConfigError && error.problems.some((p) => p.name === 'TRUSTED_PROXY_CIDRS');
      }
      const trust = proxyTrust(config);
      return trust !== false && typeof trust('10.1.2.3', 0) === 'boolean' && typeof trust('::1', 0) === 'boolean';
    }),
    { numRuns: 3000 },
  );
  t.pass('every accepted value compiled into a working trust function');
});

t.test('for address/prefix entries the schema refuses exactly what proxy-addr refuses', async (t) => {
  const plainCidrList = fc
    .array(fc.tuple(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 0, max: 130 })), { minLength: 1, maxLength: 3 })
    .map((pairs) => pairs.map(([a, p]) => `${a}/${p}`));
  fc.assert(
    fc.property(plainCidrList, (entries) => {
      fc.pre(entries.every((e) => isIP(e.split('/')[0]!) !== 0));
      let accepted = true;
      try {
        loadConfig({ TRUSTED_PROXY_CIDRS: entries.join(',') });
      } catch {
        accepted = false;
      }
      return accepted === compiles(entries);
    }),
    { numRuns: 3000 },
  );
  t.pass('accepted exactly when proxy-addr compiles the list');
});
