import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import t from 'tap';
import { totalsLine, verdict } from '../totals.mjs';
import { fakeBin } from './fake-bin.js';

const RUN_TESTS = resolve(import.meta.dirname, '../../run-tests.mjs');
const TOTALS_LINE = /^\d+ passed, \d+ failed(, \d+ skipped)?$/;

const summary = (fields: string) => `# { total: 9, ${fields} }`;

t.test('verdict: what fails the run besides a failing test', async (t) => {
  const cases = [
    { name: 'all pass', output: summary('pass: 5'), exit: 0, line: '5 passed, 0 failed', problems: [] },
    {
      name: 'a reasoned skip is counted, not failed',
      output: `ok 1 - a # SKIP no browser\n${summary('pass: 5, skip: 1')}`,
      exit: 0,
      line: '5 passed, 0 failed, 1 skipped',
      problems: [],
    },
    {
      name: 'a skip without a reason fails',
      output: `ok 1 - a # SKIP\n${summary('pass: 5, skip: 1')}`,
      exit: 0,
      line: '5 passed, 1 failed, 1 skipped',
      problems: [/skipped without a reason: ok 1 - a # SKIP/],
    },
    {
      name: 'failing tests from several projects add up',
      output: `${summary('pass: 3, fail: 1')}\n${summary('pass: 2, fail: 2')}`,
      exit: 1,
      line: '5 passed, 3 failed',
      problems: [],
    },
    {
      name: 'a failing lint or typecheck target fails the run',
      output: summary('pass: 5'),
      exit: 1,
      line: '5 passed, 1 failed',
      problems: [/nx exited with code 1/],
    },
    {
      name: 'no test at all fails the run',
      output: 'NX Successfully ran targets',
      exit: 0,
      line: '0 passed, 1 failed',
      problems: [/no test ran/],
    },
  ];
  for (const c of cases) {
    const v = verdict(c.output, c.exit);
    t.equal(totalsLine(v), c.line, c.name);
    t.match(totalsLine(v), TOTALS_LINE, `${c.name}: the plain totals line`);
    t.equal(v.problems.length, c.problems.length, `${c.name}: problems`);
    c.problems.forEach((p, i) => t.match(v.problems[i], p, c.name));
  }
});

t.test('npm test ends with the totals line alone on the last line, and its exit code follows it', async (t) => {
  const bin = fakeBin(t);
  bin.addAllTestTools();
  const lines = (text: string) => `printf '%s\\n' '${text.split('\n').join("' '")}'`;
  /** A stand-in Nx: the test lane prints `tests`; each step exits with its own code. */
  const runWith = (tests: string, exit: { build?: number; checks?: number; tests?: number } = {}) => {
    bin.add(
      'npx',
      [
        'case "$*" in',
        `  *"-t build "*) exit ${exit.build ?? 0} ;;`,
        `  *"-t lint typecheck format-check "*) echo checked; exit ${exit.checks ?? 0} ;;`,
        `  *"-t test "*) ${lines(tests)}; exit ${exit.tests ?? 0} ;;`,
        'esac',
        'exit 9',
      ].join('\n'),
    );
    return spawnSync(process.execPath, [RUN_TESTS], { env: bin.env, encoding: 'utf8', timeout: 30_000 });
  };
  const last = (run: { stdout: string }) => run.stdout.trim().split('\n').at(-1);

  const green = runWith(`ok 1 - works\n${summary('pass: 1')}`);
  t.equal(green.status, 0);
  t.equal(last(green), '1 passed, 0 failed');
  const nxCalls = bin.calls().filter((c) => c.startsWith('npx'));
  t.match(nxCalls[0], /^npx nx run-many -t build --outputStyle=static /, 'the builds come first');
  const lanes = nxCalls.slice(1).map((c) => c.replace(/ DEBIAN_FRONTEND=.*/, ''));
  t.equal(lanes.length, 2, 'then two lanes');
  t.ok(
    lanes.includes(
      'npx nx run-many -t lint typecheck format-check --outputStyle=static --parallel=1 --excludeTaskDependencies',
    ),
    'the checks, one at a time, without running the builds again',
  );
  t.ok(
    lanes.some((c) =>
      /^npx nx run-many -t test --outputStyle=static --parallel=\d+ --excludeTaskDependencies$/.test(c),
    ),
    'the tests, without running the builds again',
  );

  const silentSkip = runWith(`ok 1 - works # SKIP\n${summary('pass: 1, skip: 1')}`);
  t.equal(silentSkip.status, 1, 'a silent skip fails the run');
  t.equal(last(silentSkip), '1 passed, 1 failed, 1 skipped');

  const empty = runWith('nothing to run');
  t.equal(empty.status, 1, 'zero tests fail the run');
  t.match(empty.stdout, /^no test ran$/m);

  const badTypes = runWith(`ok 1 - works\n${summary('pass: 1')}`, { checks: 1 });
  t.equal(badTypes.status, 1, 'a failing lint or typecheck fails the run though every test passed');
  t.equal(last(badTypes), '1 passed, 1 failed');

  const before = bin.calls().length;
  const badBuild = runWith(`ok 1 - works\n${summary('pass: 1')}`, { build: 2 });
  t.equal(badBuild.status, 1, 'a failing build fails the run');
  t.match(badBuild.stdout, /^nx exited with code 2/m);
  t.same(
    bin
      .calls()
      .slice(before)
      .filter((c) => c.startsWith('npx'))
      .map((c) => c.split(' ').slice(0, 5).join(' ')),
    ['npx nx run-many -t build'],
    'nothing runs after a failed build',
  );
});
