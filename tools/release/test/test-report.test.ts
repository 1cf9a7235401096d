import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { readCases, renderHtml } from '../src/test-report.js';

const cli = join(import.meta.dirname, '../src/test-report-cli.ts');
const tapBin = join(createRequire(import.meta.url).resolve('tap/package.json'), '../dist/esm/run.mjs');
// The workspace's own tap setup: another plugin list would make tap rebuild itself under the other runs.
const sharedTapConfig = join(import.meta.dirname, '../../test-command/taprc');
// Children run without the outer tap's instrumentation (it would make them part of this run).
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS' && !key.startsWith('TAP')),
);

/** Runs a command to its end without blocking the others: the runs of a test start together. */
function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** A tiny workspace with two projects whose tests really ran under tap (one fails, one skips). */
async function workspace(t: Test) {
  const project = (name: string, test: string) => ({
    'package.json': JSON.stringify({
      name,
      type: 'module',
      nx: { name },
      tap: { extends: sharedTapConfig, include: ['test/**/*.test.js'] },
    }),
    test: { 'a.test.js': test },
  });
  const root = t.testdir({
    'package.json': JSON.stringify({ name: 'ws', private: true, workspaces: ['libs/*'] }),
    libs: {
      good: project(
        'good',
        "import t from 'tap';\nt.test('adds', async (t) => { t.equal(1 + 1, 2, 'one plus one'); });\nt.test('later', { skip: 'needs a cluster' }, async () => {});\n",
      ),
      bad: project(
        'bad',
        "import t from 'tap';\nt.test('compares <b>', async (t) => { t.equal(1, 2, 'one is <script>two</script>'); });\n",
      ),
    },
  });
  await Promise.all(
    ['good', 'bad'].map((name) => run(process.execPath, [tapBin], { cwd: join(root, 'libs', name), env: cleanEnv })),
  );
  return root;
}

t.test('JUnit per project, merged JUnit and an HTML page from real tap results', async (t) => {
  const root = await workspace(t);
  const out = join(root, 'report');
  const result = spawnSync(
    process.execPath,
    [...process.execArgv, cli, '--root', root, '--out', out, '--commit', 'abc1234'],
    {
      encoding: 'utf8',
    },
  );
  t.equal(result.status, 1, 'a failing test makes the exit code 1, after writing the report');
  t.match(result.stdout, /2 projects/);

  const merged = readFileSync(join(out, 'junit.xml'), 'utf8');
  const cases = readCases(merged);
  const byName = (name: string) => cases.find((c) => c.name === name);
  t.equal(byName('one plus one')?.status, 'passed');
  t.equal(byName('later')?.status, 'skipped');
  t.equal(byName('one is <script>two</script>')?.status, 'failed');
  t.match(byName('one is <script>two</script>')?.details, /expected[\s\S]*actual/, 'tap diagnostics are kept');
  t.match(merged, '<testsuite name="bad: test/a.test.js"', 'suites are prefixed with their project');
  t.ok(readFileSync(join(out, 'junit/good.xml'), 'utf8').includes('one plus one'), 'per-project file');

  const html = readFileSync(join(out, 'index.html'), 'utf8');
  t.match(html, /<span id="failed">\d+ failed<\/span>/);
  t.match(html, 'one is &#60;script&#62;two&#60;/script&#62;', 'names are escaped, never markup');
  t.notMatch(html, '<script>', 'the page has no script at all');
  t.match(html, 'Commit <code>abc1234</code>');
  t.ok(html.indexOf('<h2>Failures</h2>') < html.indexOf('<h2>All tests</h2>'), 'failures come first');
});

t.test('no results is a clear error (exit 2)', async (t) => {
  const root = t.testdir({ 'package.json': JSON.stringify({ workspaces: ['libs/*'] }), libs: {} });
  const [result, empty] = await Promise.all([
    run(process.execPath, [...process.execArgv, cli, '--root', root, '--out', join(root, 'refused')]),
    run(process.execPath, [...process.execArgv, cli, '--root', root, '--out', join(root, 'r'), '--allow-empty']),
  ]);
  t.equal(result.status, 2);
  t.match(result.stderr, /no tap results under/);
  t.equal(empty.status, 0, 'CI after an affected run that tested nothing');
  t.match(readFileSync(join(root, 'r/index.html'), 'utf8'), '<span id="passed">0 passed</span>');
  t.match(readFileSync(join(root, 'r/junit.xml'), 'utf8'), '<testsuites');
});

t.test('renderHtml counts every status', async (t) => {
  const html = renderHtml(
    [
      { suite: 's', name: 'a', status: 'passed' },
      { suite: 's', name: 'b', status: 'skipped' },
      { suite: 's', name: 'c', status: 'failed', details: 'boom & bust' },
    ],
    { title: 'T', generatedAt: new Date(0) },
  );
  t.match(
    html,
    '<span id="passed">1 passed</span><span id="failed">1 failed</span><span id="skipped">1 skipped</span>',
  );
  t.match(html, '<pre>boom &#38; bust</pre>');
  t.match(html, '1970-01-01T00:00:00.000Z');
});
