import t from 'tap';
import { APP, ConfigError, EnvSchema, describeAllowed, loadConfig } from '../src/index.js';

t.test('loadConfig with an empty environment returns every default', async (t) => {
  const config = loadConfig({});
  t.equal(config.PORT, APP.containerPort);
  t.equal(config.DATABASE_PATH, './data/zumo.db');
  t.equal(config.RELEASE, 'dev');
  t.equal(config.MESSAGE_RATE_LIMIT, 30);
  t.equal(config.SENTRY_TRACES_SAMPLE_RATE, 0);
  t.equal(config.SENTRY_DSN, undefined, 'Sentry stays off without a DSN');
  t.ok(Object.isFrozen(config), 'config cannot be changed after boot');
});

t.test('loadConfig converts text to the declared types and ignores unrelated variables', async (t) => {
  const config = loadConfig({
    PORT: '9000',
    SENTRY_TRACES_SAMPLE_RATE: '0.25',
    RELEASE: '0123abc',
    SENTRY_DSN: 'https://public@o1.ingest.sentry.io/42',
    PATH: '/usr/bin',
  });
  t.equal(config.PORT, 9000);
  t.equal(config.SENTRY_TRACES_SAMPLE_RATE, 0.25);
  t.equal(config.RELEASE, '0123abc');
  t.equal(config.SENTRY_DSN, 'https://public@o1.ingest.sentry.io/42');
  t.notOk('PATH' in config, 'only schema variables are kept');
});

t.test('an empty variable counts as unset', async (t) => {
  const config = loadConfig({ SENTRY_DSN: '', PORT: '' });
  t.equal(config.SENTRY_DSN, undefined);
  t.equal(config.PORT, APP.containerPort);
});

const badCases: { name: string; value: string; allowed: RegExp }[] = [
  { name: 'PORT', value: 'eighty', allowed: /integer from 1 to 65535/ },
  { name: 'PORT', value: '70000', allowed: /integer from 1 to 65535/ },
  { name: 'PORT', value: '80.5', allowed: /integer/ },
  { name: 'HOST', value: 'bad host!', allowed: /text matching/ },
  { name: 'LOG_LEVEL', value: 'loud', allowed: /one of fatal, error, warn, info, debug, trace, silent/ },
  { name: 'SENTRY_DSN', value: 'not-a-dsn', allowed: /Sentry DSN/ },
  { name: 'SENTRY_ENVIRONMENT', value: 'prod env', allowed: /letters, digits/ },
  { name: 'SENTRY_TRACES_SAMPLE_RATE', value: '1.5', allowed: /number from 0 to 1/ },
  { name: 'SENTRY_TRACES_SAMPLE_RATE', value: '-0.1', allowed: /number from 0 to 1/ },
  { name: 'RELEASE', value: 'HEAD', allowed: /git short SHA/ },
  { name: 'MESSAGE_RATE_LIMIT', value: '0', allowed: /integer from 1 to 1000000/ },
  { name: 'SHUTDOWN_GRACE_MS', value: '-1', allowed: /integer from 0 to 120000/ },
  { name: 'TRUST_PROXY_HOPS', value: '9', allowed: /integer from 0 to 5/ },
  { name: 'TRUSTED_PROXY_CIDRS', value: '10.0.0.0', allowed: /CIDRs/ },
  { name: 'KUBERNETES_SERVICE_PORT', value: 'https', allowed: /integer from 1 to 65535/ },
  { name: 'MAX_CONNECTIONS_PER_CLIENT', value: '0', allowed: /integer from 1 to 2000/ },
  { name: 'MAX_CONNECTIONS_PER_CLIENT', value: '2001', allowed: /integer from 1 to 2000/ },
  { name: 'READY_MAX_EVENT_LOOP_DELAY_MS', value: '5', allowed: /integer from 10 to 60000/ },
  { name: 'READY_MAX_HEAP_USED_MB', value: 'lots', allowed: /integer from 16 to 65536/ },
  { name: 'POD_NAME', value: 'x'.repeat(300), allowed: /1 to 253 characters/ },
];

t.test('every bad variable is refused with its name, the value received and what is allowed', async (t) => {
  for (const { name, value, allowed } of badCases) {
    const error = t.throws(
      () => loadConfig({ [name]: value }),
      ConfigError,
      `${name}=${value} is refused`,
    ) as ConfigError;
    t.same(
      error.problems.map((p) => p.name),
      [name],
      `${name}=${value}: only ${name} is named`,
    );
    t.match(error.message, `${name}: received ${JSON.stringify(value)}`, `${name}: the message quotes the value`);
    t.match(error.problems[0]!.allowed, allowed, `${name}: the message says what is allowed`);
  }
});

t.test('all bad variables are reported in one error', async (t) => {
  const error = t.throws(() =>
    loadConfig({ PORT: 'x', LOG_LEVEL: 'loud', RELEASE: 'nope', SENTRY_TRACES_SAMPLE_RATE: '7' }),
  ) as ConfigError;
  t.same(error.problems.map((p) => p.name).sort(), ['LOG_LEVEL', 'PORT', 'RELEASE', 'SENTRY_TRACES_SAMPLE_RATE']);
  t.match(error.message, /^Invalid environment \(4 settings\):/);
});

t.test('every schema variable has a description and an allowed-values text', async (t) => {
  for (const [name, schema] of Object.entries(EnvSchema.properties)) {
    t.ok((schema as { description?: string }).description, `${name} is described`);
    t.ok(describeAllowed(schema as never).length > 0, `${name} has an allowed-values text`);
  }
});

t.test('TRUSTED_PROXY_CIDRS: every entry a CIDR the proxy matcher can compile', async (t) => {
  const refused = ['10.0.0.0/99', '999.1.1.1/8', 'abc/8', '10.0.0.0/8,::1/129', '1.2.3/8', '10.0.0.0/33'];
  // A /0 ("every peer") is refused by proxy-addr itself, and would let any client pick its address.
  refused.push('0.0.0.0/0', '::/0', '10.0.0.0/8,::/0', '10.0.0.0/000');
  for (const value of refused) {
    const error = t.throws(() => loadConfig({ TRUSTED_PROXY_CIDRS: value, TRUST_PROXY_HOPS: '2' }), ConfigError, value);
    t.same(
      (error as ConfigError).problems.map((p) => p.name),
      ['TRUSTED_PROXY_CIDRS'],
      `${value}: one config error`,
    );
  }
  for (const value of ['10.40.0.0/16', '0.0.0.0/1,128.0.0.0/1,::/1', '127.0.0.1/32,2001:db8::/32', 'fd00::/8']) {
    t.equal(loadConfig({ TRUSTED_PROXY_CIDRS: value }).TRUSTED_PROXY_CIDRS, value, `${value}: accepted`);
  }
});

t.test(
  'DATABASE_URL: a PostgreSQL URL selects PostgreSQL; anything else is refused without showing its password',
  async (t) => {
    t.equal(loadConfig({}).DATABASE_URL, undefined, 'unset: SQLite');
    t.equal(
      loadConfig({ DATABASE_URL: 'postgres://zumo@db.internal:5432/zumo?sslmode=verify-full' }).DATABASE_URL,
      'postgres://zumo@db.internal:5432/zumo?sslmode=verify-full',
    );
    t.ok(loadConfig({ DATABASE_URL: 'postgresql://zumo@127.0.0.1/zumo' }).DATABASE_URL, 'postgresql: scheme too');
    for (const bad of [
      'mysql://root:hunter2@db/zumo',
      'postgres://root:hunter2@db',
      'postgres://root:hunter2@/zumo',
      'not a url hunter2',
    ]) {
      const error = (() => {
        try {
          loadConfig({ DATABASE_URL: bad });
        } catch (err) {
          return err as ConfigError;
        }
        return undefined;
      })();
      t.equal(error?.problems[0]?.name, 'DATABASE_URL', `${bad.replace('hunter2', '…')}: refused, naming the variable`);
      t.notMatch(error?.message, /hunter2/, 'the password is never shown');
    }
  },
);
