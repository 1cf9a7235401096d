// quiet-stack.sh: the nightly drift check never reports an `up` that ran beside it as drift. The
// stack's lock (what `aws s3api list-objects-v2` lists under its lock prefix) and its newest
// history entry (`pulumi stack history --json --page-size 1`) answer from files; the check itself
// is a script that can start an update while it runs, as an `up` on the same stack would.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { SCRIPTS_DIR } from '../workflows.js';

function stand(t: Test) {
  const dir = t.testdir({ 'Pulumi.yaml': 'name: zumo\nruntime: nodejs\n' });
  const file = (name: string, text: string, mode = 0o644) => {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), mode);
    return join(dir, name);
  };
  // The lock: held for as many more reads as lock-reads says (an update that ends after them).
  file('lock-reads', '0');
  const aws = file(
    'aws',
    `#!/bin/sh\necho "$*" >> "${dir}/aws-calls"\nn=$(cat "${dir}/lock-reads")\nif [ "$n" -gt 0 ]; then echo $((n - 1)) > "${dir}/lock-reads"; echo 1; else echo 0; fi\n`,
    0o755,
  );
  file('history', '[{"version":1}]');
  const pulumi = file('pulumi', `#!/bin/sh\ncat "${dir}/history"\n`, 0o755);
  // The drift check: the first N runs start an update of the stack (lock held for LOCK reads,
  // then a new history entry), every run exits with EXIT.
  file('runs', '0');
  const check = (updates: number, lockReads: number, exit: number) =>
    file(
      'check',
      `#!/bin/sh\nn=$(($(cat "${dir}/runs") + 1)); echo $n > "${dir}/runs"\nif [ $n -le ${updates} ]; then echo ${lockReads} > "${dir}/lock-reads"; echo "[{\\"version\\":$((n + 1))}]" > "${dir}/history"; fi\nexit ${exit}\n`,
      0o755,
    );
  const run = (command: string, env: Record<string, string> = {}) =>
    spawnSync('bash', [join(SCRIPTS_DIR, 'quiet-stack.sh'), 'prod', command], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS: aws,
        PULUMI: pulumi,
        PULUMI_BACKEND_URL: 's3://zumo-pulumi-state-123456789012?region=eu-west-1',
        POLL_SECONDS: '0',
        LOCK_WAIT_SECONDS: '3',
        ...env,
      },
    });
  const runs = () => Number(readFileSync(join(dir, 'runs'), 'utf8'));
  const awsCalls = () => readFileSync(join(dir, 'aws-calls'), 'utf8');
  return { dir, check, run, runs, awsCalls, file };
}

t.test('a quiet stack: the check runs once and its result is the answer', async (t) => {
  const s = stand(t);
  for (const exit of [0, 1]) {
    const result = s.run(s.check(0, 0, exit));
    t.equal(result.status, exit, `the check's own status (${exit}): ${result.stderr}`);
  }
  t.equal(s.runs(), 2);
  t.match(
    s.awsCalls(),
    's3api list-objects-v2 --bucket zumo-pulumi-state-123456789012 --prefix .pulumi/locks/organization/zumo/prod/',
    "the stack's own lock prefix in the state bucket",
  );
});

t.test('an up that starts during the check: the result is dropped and the check runs again after it', async (t) => {
  for (const [what, lockReads] of [
    ['still running at the end', 2],
    ['over before the end (its history entry shows it)', 0],
  ] as const) {
    const s = stand(t);
    const result = s.run(s.check(1, lockReads, 1));
    t.equal(s.runs(), 2, `${what}: checked again`);
    t.equal(result.status, 1, `${what}: the second check's answer`);
    t.match(result.stderr, 'an update of prod ran during the check (attempt 1 of 2)');
  }
});

t.test('every attempt overlaps an up: skipped, neither drift nor clean', async (t) => {
  const s = stand(t);
  const result = s.run(s.check(2, 0, 1));
  t.equal(result.status, 75);
  t.match(result.stderr, 'every attempt overlapped an update of prod; skipped');
});

t.test('a stack locked all night is reported, and the check never runs against it', async (t) => {
  const s = stand(t);
  writeFileSync(join(s.dir, 'lock-reads'), '1000');
  const result = s.run(s.check(0, 0, 0), { POLL_SECONDS: '1', LOCK_WAIT_SECONDS: '2' });
  t.equal(result.status, 1);
  t.match(result.stderr, /prod has been locked for 2s: .* left its lock/);
  t.equal(s.runs(), 0);
});

t.test('bad input is refused with the reason', async (t) => {
  const s = stand(t);
  const result = s.run(s.check(0, 0, 0), { PULUMI_BACKEND_URL: 'file://.' });
  t.equal(result.status, 2);
  t.match(result.stderr, "PULUMI_BACKEND_URL must be s3://<state bucket>[?region=...], not 'file://.'");
});
