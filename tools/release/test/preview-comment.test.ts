import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { markerFor, MAX_BODY, renderPreviewReport, summarizeChanges } from '../src/preview-comment.js';

// The tail of a real `pulumi preview --diff` (colours included, as the CLI prints them in CI).
const preview = `Previewing update (dev)

\u001b[32m+ \u001b[0maws:cloudwatch:MetricAlarm zumo-alb-5xx create
~ aws:s3:Bucket zumo-site update [diff: ~tags]

Resources:
    + 1 to create
    ~ 1 to update
    2 changes. 87 unchanged

Duration: 14s
`;

t.test('one comment for all stacks, found again by its marker', async (t) => {
  const body = renderPreviewReport({
    title: 'Infrastructure preview',
    commit: 'abc1234',
    stacks: [
      { stack: 'dev', outcome: 'success', output: preview },
      { stack: 'prod', outcome: 'failure', output: 'error: getting stack: access denied' },
    ],
  });
  t.equal(body.split('\n')[0], '<!-- zumo:infrastructure-preview -->', 'the first line is the marker');
  t.equal(markerFor('Infrastructure preview'), body.split('\n')[0]);
  t.match(body, '| dev | ✅ no errors | + 1 to create, ~ 1 to update, 2 changes. 87 unchanged |');
  t.match(body, '| prod | ❌ failed | no resource summary |');
  t.match(body, 'access denied', 'the failure is shown');
  t.notMatch(body, '\u001b[', 'colour codes are removed');
  t.match(body, 'Commit `abc1234`');
});

t.test('summaries read pulumi output', async (t) => {
  t.equal(summarizeChanges(preview), '+ 1 to create, ~ 1 to update, 2 changes. 87 unchanged');
  t.equal(summarizeChanges('Resources:\n    42 unchanged\n'), '42 unchanged');
  t.equal(summarizeChanges('error: no stack named dev'), 'no resource summary');
});

t.test('output cannot break out of its code block or the table', async (t) => {
  const body = renderPreviewReport({
    title: 'Infrastructure preview',
    stacks: [{ stack: 'dev', outcome: 'success', output: 'a ```` fence\n</details><script>x</script>' }],
  });
  t.match(body, '`````diff\na ```` fence', 'the fence is longer than any backtick run in the output');
  t.equal(body.match(/<\/details>/g)?.length, 2, 'one closing tag of ours, one inside the code block');
});

t.test("stays under GitHub's body limit and keeps the end of long output", async (t) => {
  const long = `${'~ aws:iam:Role r update\n'.repeat(20_000)}Resources:\n    ~ 20000 to update\n`;
  const body = renderPreviewReport({
    title: 'Infrastructure preview',
    stacks: [
      { stack: 'dev', outcome: 'success', output: long },
      { stack: 'prod', outcome: 'success', output: long },
    ],
  });
  t.ok(body.length < MAX_BODY, `${body.length} characters`);
  t.match(body, /characters cut; full log in the run/);
  t.equal(body.match(/~ 20000 to update/g)?.length, 4, 'summary row and tail of both stacks survive');
});

t.test('CLI writes the file; a missing output file is reported, not a crash', async (t) => {
  const dir = t.testdir({ 'dev.txt': preview });
  const cli = join(import.meta.dirname, '../src/preview-comment-cli.ts');
  const out = join(dir, 'comment.md');
  execFileSync(process.execPath, [
    ...process.execArgv,
    cli,
    '--stack',
    `dev=success=${join(dir, 'dev.txt')}`,
    '--stack',
    `prod=skipped=${join(dir, 'missing.txt')}`,
    '--out',
    out,
  ]);
  const body = readFileSync(out, 'utf8');
  t.match(body, '| prod | ⏭ skipped |');
  t.match(body, '(no output file');
  try {
    execFileSync(process.execPath, [...process.execArgv, cli, '--stack', 'dev', '--out', out], { stdio: 'pipe' });
    t.fail('should have failed');
  } catch (err) {
    const e = err as { status: number; stderr: Buffer };
    t.equal(e.status, 2);
    t.match(e.stderr.toString(), /--stack "dev" is not name=outcome=file/);
  }
});
