import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { BENCH_TOOLS, ensureTools, findProblems, postgresBinDirs, TEST_TOOLS, which } from '../system-tools.mjs';
import { fakeBin } from './fake-bin.js';

const RUN_TESTS = resolve(import.meta.dirname, '../../run-tests.mjs');
const NOBODY = 65534;

t.test('npm test without a tool, not as root: one clear message, exit 1, nothing installed, no Nx', async (t) => {
  const bin = fakeBin(t);
  bin.addAllTestTools();
  rmSync(join(bin.dir, 'jq'));
  rmSync(join(bin.dir, 'amtool'));
  bin.add('apt-get');
  bin.add('sudo');
  bin.add('npx');

  // A real unprivileged run: as root, the child drops to uid "nobody".
  const asNobody = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  const run = spawnSync(process.execPath, [RUN_TESTS], {
    env: bin.env,
    encoding: 'utf8',
    timeout: 30_000,
    ...asNobody,
  });

  t.equal(run.status, 1, 'exit code 1');
  t.match(run.stderr, /^Missing system tools \(2\)/m, 'one message, counting the missing tools');
  t.match(run.stderr, /- amtool: not found on the PATH; needed by the Alertmanager configuration check/);
  t.match(run.stderr, /- jq: not found on the PATH; needed by the workflow script tests/);
  t.match(
    run.stderr,
    /^ {2}sudo apt-get update && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y prometheus-alertmanager jq$/m,
    'the exact command that installs both',
  );
  t.match(run.stderr, /Not running as root, so nothing was installed/);
  t.equal(run.stderr.match(/Missing system tools/g)?.length, 1, 'exactly one message');
  t.same(
    bin.calls().filter((c) => !c.startsWith('kubectl version')),
    [],
    'neither apt-get, sudo nor Nx was run',
  );
  t.notMatch(run.stdout, /passed/, 'no totals: the run stopped before Nx');
});

t.test('as root with apt-get: installs the missing packages, then checks again', async (t) => {
  const bin = fakeBin(t);
  bin.addAllTestTools();
  rmSync(join(bin.dir, 'jq'));
  rmSync(join(bin.dir, 'promtool'));
  rmSync(join(bin.dir, 'prometheus'));
  // A stand-in apt-get whose `install` puts the commands in place, as the real packages would.
  bin.add(
    'apt-get',
    `if [ "$1" = install ]; then for c in jq promtool prometheus; do printf '#!/bin/sh\\n' > "${bin.dir}/$c"; /bin/chmod +x "${bin.dir}/$c"; done; fi`,
  );
  const lines: string[] = [];
  const result = ensureTools(TEST_TOOLS, { env: bin.env, isRoot: true, log: (l) => lines.push(l) });
  t.same(result, { ok: true, installed: ['prometheus', 'jq'] }, 'one package per missing tool, prometheus once');
  t.same(
    bin.calls().filter((c) => c.startsWith('apt-get')),
    [
      'apt-get update -qq -o DPkg::Lock::Timeout=600 DEBIAN_FRONTEND=noninteractive',
      'apt-get install -y -qq -o DPkg::Lock::Timeout=600 prometheus jq DEBIAN_FRONTEND=noninteractive',
    ],
    'apt-get update, then a non-interactive install that waits for a concurrent one',
  );
  t.match(
    lines.join('\n'),
    /installing missing system tools: apt-get install -y prometheus jq/,
    'says what it installs',
  );
  t.same(findProblems(TEST_TOOLS, bin.env), [], 'every tool is usable afterwards');
});

t.test('as root, a failing apt-get stops the run with its output', async (t) => {
  const bin = fakeBin(t);
  bin.addAllTestTools();
  rmSync(join(bin.dir, 'chromium'));
  bin.add('apt-get', 'if [ "$1" = install ]; then echo "E: Unable to locate package chromium" >&2; exit 100; fi');
  const result = ensureTools(TEST_TOOLS, { env: bin.env, isRoot: true, log: () => undefined });
  t.equal(result.ok, false);
  t.match(!result.ok && result.message, /- chromium: not found on the PATH/);
  t.match(
    !result.ok && result.message,
    /apt-get install failed \(exit 100\):\n {4}E: Unable to locate package chromium/,
  );
});

t.test('kubectl is never installed from Debian: as root, the message names the upstream binary', async (t) => {
  const bin = fakeBin(t);
  bin.addAllTestTools();
  rmSync(join(bin.dir, 'kubectl'));
  rmSync(join(bin.dir, 'jq'));
  bin.add('apt-get');
  const result = ensureTools(TEST_TOOLS, { env: bin.env, isRoot: true, arch: 'x64' });
  t.equal(result.ok, false);
  const message = result.ok ? '' : result.message;
  t.match(message, /- kubectl: not found on the PATH; needed by rendering deploy\/ with its built-in kustomize/);
  t.match(message, /^ {2}apt-get update && env DEBIAN_FRONTEND=noninteractive apt-get install -y jq$/m);
  t.match(
    message,
    /^ {2}curl -fsSLo \/usr\/local\/bin\/kubectl https:\/\/dl\.k8s\.io\/release\/v1\.32\.4\/bin\/linux\/amd64\/kubectl && chmod \+x \/usr\/local\/bin\/kubectl$/m,
  );
  t.same(
    bin.calls().filter((c) => c.startsWith('apt-get')),
    [],
    'nothing installed when the run would stop anyway',
  );
});

t.test('a kubectl whose kustomize is too old (Debian 12 kubernetes-client) counts as missing', async (t) => {
  const cases = [
    {
      output: 'Client Version: version.Info{Major:"1", Minor:"20", GitVersion:"v1.20.2"}',
      reason: /no built-in kustomize/,
    },
    {
      output: 'Client Version: v1.24.0\nKustomize Version: v4.5.4',
      reason: /has kustomize 4\.5; deploy\/ needs kustomize 5/,
    },
  ];
  for (const { output, reason } of cases) {
    const bin = fakeBin(t);
    bin.addAllTestTools();
    bin.add('kubectl', `echo '${output}'`);
    const problems = findProblems(TEST_TOOLS, bin.env);
    t.equal(problems.length, 1, output);
    t.match(problems[0]?.reason, reason, output);
  }
});

t.test('CHROMIUM_PATH names the browser (GitHub runners use their preinstalled Chrome)', async (t) => {
  const bin = fakeBin(t);
  bin.addAllTestTools();
  rmSync(join(bin.dir, 'chromium'));
  const chrome = bin.add('google-chrome');
  t.same(findProblems(TEST_TOOLS, { ...bin.env, CHROMIUM_PATH: chrome }), []);
  const wrong = findProblems(TEST_TOOLS, { ...bin.env, CHROMIUM_PATH: join(bin.dir, 'nope') });
  t.match(wrong[0]?.reason, /CHROMIUM_PATH=.*nope is not executable/);
});

t.test('the bench needs wrk, from Debian', async (t) => {
  const bin = fakeBin(t);
  const result = ensureTools(BENCH_TOOLS, { env: bin.env, isRoot: false });
  t.match(!result.ok && result.message, /- wrk: not found on the PATH; needed by the load generator of npm run bench/);
  t.match(
    !result.ok && result.message,
    /sudo apt-get update && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk/,
  );
});

t.test(
  "PostgreSQL's server binaries are found off the PATH, where Debian keeps them, newest major first",
  async (t) => {
    const root = t.testdir({ '13': { bin: {} }, '16': { bin: {} }, '9': { bin: {} }, README: 'not a version' });
    t.same(
      postgresBinDirs(root),
      ['16', '13', '9'].map((major) => join(root, major, 'bin')),
    );
    t.same(postgresBinDirs(join(root, 'absent')), [], 'no postgresql installed: nothing to add');
    const pgCtl = join(root, '16', 'bin', 'pg_ctl');
    writeFileSync(pgCtl, '#!/bin/sh\n', { mode: 0o755 });
    t.equal(which('pg_ctl', { PATH: '/nonexistent' }, postgresBinDirs(root)), pgCtl);
    const bin = fakeBin(t);
    bin.addAllTestTools();
    rmSync(join(bin.dir, 'pg_ctl'));
    const tool = TEST_TOOLS.find((candidate) => candidate.command === 'pg_ctl')!;
    const missing = findProblems([{ ...tool, extraDirs: () => postgresBinDirs(join(root, 'absent')) }], bin.env);
    t.equal(missing.length, 1, 'neither on the PATH nor under the root: missing');
    t.equal(missing[0]?.tool.aptPackage, 'postgresql', 'installed from Debian');
  },
);
