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
  const runWith = (nxOutput: string, nxExit: number) => {
    bin.add('npx', `printf '%s\\n' '${nxOutput.split('\n').join("' '")}'; exit ${nxExit}`);
    return spawnSync(process.execPath, [RUN_TESTS], { env: bin.env, encoding: 'utf8', timeout: 30_000 });
  };

  const green = runWith(`ok 1 - works\n${summary('pass: 1')}`, 0);
  t.equal(green.status, 0);
  t.equal(green.stdout.trim().split('\n').at(-1), '1 passed, 0 failed');

  const silentSkip = runWith(`ok 1 - works # SKIP\n${summary('pass: 1, skip: 1')}`, 0);
  t.equal(silentSkip.status, 1, 'a silent skip fails the run');
  t.equal(silentSkip.stdout.trim().split('\n').at(-1), '1 passed, 1 failed, 1 skipped');

  const empty = runWith('nothing to run', 0);
  t.equal(empty.status, 1, 'zero tests fail the run');
  t.match(empty.stdout, /^no test ran$/m);

  t.match(
    bin.calls().find((c) => c.startsWith('npx')),
    /^npx nx run-many -t lint typecheck test --outputStyle=static --parallel=\d+/,
  );
});
