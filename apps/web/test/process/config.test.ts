import t from 'tap';
import { START_ARGS, WEB_ROOT, spawnService, freePort, portAnswers } from '../helper.js';

t.test('an invalid environment stops the service before it listens, naming every bad variable', async (t) => {
  const port = await freePort();
  const child = spawnService(START_ARGS, {
    cwd: WEB_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: String(port),
      LOG_LEVEL: 'chatty',
      RELEASE: 'not-a-sha',
      MESSAGE_RATE_LIMIT: '-5',
      SENTRY_DSN: 'http://nope',
      DATABASE_PATH: `${t.testdir({})}/zumo.db`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  t.equal(code, 1, 'exit code 1');
  t.match(stderr, /^Invalid environment \(4 settings\):/, 'one error');
  for (const name of ['LOG_LEVEL', 'RELEASE', 'MESSAGE_RATE_LIMIT', 'SENTRY_DSN']) {
    t.match(stderr, new RegExp(`- ${name}: received "`), `${name} is named with its value`);
  }
  t.notMatch(stderr, /\n\s+at /, 'no stack trace');
  t.equal(await portAnswers(port), false, 'the port was never opened');
});

t.test('a CIDR that passes the pattern but is not an address stops the boot with a config error', async (t) => {
  const child = spawnService(START_ARGS, {
    cwd: WEB_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: String(await freePort()),
      TRUST_PROXY_HOPS: '2',
      TRUSTED_PROXY_CIDRS: '10.0.0.0/99',
      DATABASE_PATH: `${t.testdir({})}/zumo.db`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  t.equal(await new Promise((resolve) => child.on('exit', resolve)), 1, 'exit code 1');
  t.match(stderr, /^Invalid environment \(1 setting\):\n {2}- TRUSTED_PROXY_CIDRS: received "10.0.0.0\/99"/);
  t.notMatch(stderr, /TypeError|\n\s+at /, 'no stack trace');
});
