import t from 'tap';
import { bootUntilExit, portAnswers } from '../helper.js';

t.test('an invalid environment stops the service before it listens, naming every bad variable', async (t) => {
  const { code, stderr, port } = await bootUntilExit({
    LOG_LEVEL: 'chatty',
    RELEASE: 'not-a-sha',
    MESSAGE_RATE_LIMIT: '-5',
    SENTRY_DSN: 'http://nope',
    DATABASE_PATH: `${t.testdir({})}/zumo.db`,
  });
  t.equal(code, 1, 'exit code 1');
  t.match(stderr, /^Invalid environment \(4 settings\):/, 'one error');
  for (const name of ['LOG_LEVEL', 'RELEASE', 'MESSAGE_RATE_LIMIT', 'SENTRY_DSN']) {
    t.match(stderr, new RegExp(`- ${name}: received "`), `${name} is named with its value`);
  }
  t.notMatch(stderr, /\n\s+at /, 'no stack trace');
  t.equal(await portAnswers(port), false, 'the port was never opened');
});

t.test('a CIDR that passes the pattern but is not an address stops the boot with a config error', async (t) => {
  const { code, stderr } = await bootUntilExit({
    TRUST_PROXY_HOPS: '2',
    TRUSTED_PROXY_CIDRS: '10.0.0.0/99',
    DATABASE_PATH: `${t.testdir({})}/zumo.db`,
  });
  t.equal(code, 1, 'exit code 1');
  t.match(stderr, /^Invalid environment \(1 setting\):\n {2}- TRUSTED_PROXY_CIDRS: received "10.0.0.0\/99"/);
  t.notMatch(stderr, /TypeError|\n\s+at /, 'no stack trace');
});

t.test('a /0 trusted range stops the boot with a config error, not a crash of the proxy matcher', async (t) => {
  for (const cidrs of ['0.0.0.0/0', '10.0.0.0/8,::/0']) {
    const { code, stderr, port } = await bootUntilExit({
      TRUST_PROXY_HOPS: '2',
      TRUSTED_PROXY_CIDRS: cidrs,
      DATABASE_PATH: `${t.testdir({})}/zumo.db`,
    });
    t.equal(code, 1, `${cidrs}: exit code 1`);
    t.match(
      stderr,
      `Invalid environment (1 setting):\n  - TRUSTED_PROXY_CIDRS: received ${JSON.stringify(cidrs)}`,
      `${cidrs}: one config error naming the variable and its value`,
    );
    t.notMatch(stderr, /TypeError|\n\s+at /, `${cidrs}: no stack trace`);
    t.equal(await portAnswers(port), false, `${cidrs}: the port was never opened`);
  }
});
