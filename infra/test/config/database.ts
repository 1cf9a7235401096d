import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { appUserSql, dataApiScript, dbUserArn, supportsAutoPause, supportsDataApi } from '../../src/lib/database.js';
import { parseStackConfig } from '../../src/config/stack-config.js';

const run = promisify(execFile);

/**
 * Runs the user script with a fake `aws` first on PATH: it answers each call with the next line of
 * `answers` (`ok`, or an error text it prints and exits 255 with, as the CLI does) and logs the SQL.
 */
async function runScript(t: Test, answers: string[], statements = ['SELECT 1'], secretArn = 'arn:s') {
  const dir = await mkdtemp(join(tmpdir(), 'zumo-data-api-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'answers'), answers.join('\n') + '\n');
  await writeFile(
    join(dir, 'aws'),
    [
      '#!/bin/sh',
      `answer=$(head -n 1 "${dir}/answers"); sed -i 1d "${dir}/answers"`,
      `for a; do last=$a; prev_sql=$sql; case "$prev" in --sql) sql=$a ;; esac; prev=$a; done`,
      `echo "$sql" >> "${dir}/calls"`,
      'if [ "$answer" = ok ]; then echo "{}"; exit 0; fi',
      'echo "An error occurred ($answer) when calling the ExecuteStatement operation" >&2; exit 255',
    ].join('\n'),
  );
  await chmod(join(dir, 'aws'), 0o755);
  const script = dataApiScript(statements, 'zumo', { attempts: 3, delaySeconds: 0 });
  const env = { ...process.env, PATH: `${dir}:${process.env['PATH']}`, CLUSTER_ARN: 'arn:c', SECRET_ARN: secretArn };
  const calls = async () => (await readFile(join(dir, 'calls'), 'utf8').catch(() => '')).trim().split('\n');
  try {
    await run('/bin/sh', ['-c', script], { env });
    return { ok: true, calls: await calls(), stderr: '' };
  } catch (err) {
    return { ok: false, calls: await calls(), stderr: String((err as { stderr?: string }).stderr) };
  }
}

t.test('the user command waits for a paused cluster to resume, a bounded number of times', async (t) => {
  const resumed = await runScript(
    t,
    ['DatabaseResumingException', 'DatabaseResumingException', 'ok', 'ok'],
    ['A', "B 'x'"],
  );
  t.ok(resumed.ok, 'succeeds once the cluster answers');
  t.same(resumed.calls, ['A', 'A', 'A', "B 'x'"], 'each statement once it succeeded, quotes intact');

  const stillPaused = await runScript(t, Array(5).fill('DatabaseResumingException'));
  t.notOk(stillPaused.ok, 'gives up');
  t.equal(stillPaused.calls.length, 3, 'after the bounded number of attempts');
  t.match(stillPaused.stderr, /still unavailable after 3 attempts/);

  // The CLI's text for a cluster created seconds ago: "(BadRequestException) ...: HttpEndpoint is not enabled for ...".
  const starting = await runScript(t, [
    'BadRequestException) when calling: HttpEndpoint is not enabled for arn:c (',
    'ok',
  ]);
  t.ok(starting.ok, "waits while a new cluster's Data API is not enabled yet");
  t.equal(starting.calls.length, 2);

  const noSecret = await runScript(t, ['ok'], ['SELECT 1'], '');
  t.notOk(noSecret.ok, 'a cluster without a managed master secret stops the command');
  t.same(noSecret.calls, [''], 'before any call');
  t.match(noSecret.stderr, /no RDS-managed master secret/);

  const denied = await runScript(t, ['AccessDeniedException', 'ok']);
  t.notOk(denied.ok, 'any other error stops at once');
  t.equal(denied.calls.length, 1);
  t.match(denied.stderr, /AccessDeniedException/);
});

t.test('the app user SQL is written to change nothing when run again', async (t) => {
  const sql = appUserSql('zumo_web', 'zumo');
  t.match(sql[0], /IF NOT EXISTS \(SELECT FROM pg_roles WHERE rolname = 'zumo_web'\) THEN CREATE ROLE zumo_web LOGIN/);
  t.ok(
    sql.slice(1).every((s) => s.startsWith('GRANT ')),
    'the rest are grants, which a second run leaves as they are',
  );
  t.ok(sql.includes('GRANT rds_iam TO zumo_web'), 'IAM authentication');
  t.notOk(
    sql.some((s) => /ALL PRIVILEGES|SUPERUSER|CREATEROLE|CREATEDB/i.test(s)),
    'no broad grant',
  );
  t.throws(() => appUserSql('web; DROP ROLE x', 'zumo'), /not a plain PostgreSQL identifier/);
});

t.test('engine versions: auto-pause and the Data API', async (t) => {
  const cases: [string, boolean, boolean][] = [
    ['16.6', true, true],
    ['16.2', false, true],
    ['16.0', false, false],
    ['15.7', true, true],
    ['13.14', false, true],
    ['17.4', true, true],
    ['12.9', false, false],
    ['16', false, false],
  ];
  for (const [version, pause, dataApi] of cases) {
    t.equal(supportsAutoPause(version), pause, `${version} auto-pause`);
    t.equal(supportsDataApi(version), dataApi, `${version} Data API`);
  }
  t.equal(
    dbUserArn('eu-west-1', '123456789012', 'cluster-ABC', 'zumo_web'),
    'arn:aws:rds-db:eu-west-1:123456789012:dbuser:cluster-ABC/zumo_web',
  );
});

const base = {
  githubRepository: 'zumo-platform/zumo',
  stateBucketName: 'zumo-pulumi-state-123456789012',
  githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
  githubConnectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  clusterAdminRoleArns: ['arn:aws:iam::123456789012:role/admin'],
  alertEmails: ['oncall@example.com'],
  ciRunnerActorIds: [1],
};
const stack = (environment: 'dev' | 'prod', extra: Record<string, unknown> = {}) =>
  parseStackConfig(
    {
      ...base,
      environment,
      permissionsBoundaryArn: `arn:aws:iam::123456789012:policy/zumo-${environment}-boundary`,
      ...extra,
    },
    'eu-west-1',
  );

t.test('database config: defaults per stack, and bad values named with what is allowed', async (t) => {
  t.match(stack('dev'), { databaseMinCapacity: 0, databaseInstances: 1 });
  t.match(stack('prod'), { databaseMinCapacity: 0.5, databaseInstances: 2 });
  t.ok(stack('prod').databaseBackupRetentionDays >= 7);
  t.equal(stack('dev', { databaseMaxCapacity: '4.5' }).databaseMaxCapacity, 4.5, 'ACUs as text');
  const refused: [string, 'dev' | 'prod', Record<string, unknown>, RegExp][] = [
    ['prod never pauses', 'prod', { databaseMinCapacity: 0 }, /at least 0.5 in prod/],
    ['prod keeps a reader', 'prod', { databaseInstances: 1 }, /at least 2 in prod/],
    ['prod keeps a week', 'prod', { databaseBackupRetentionDays: 3 }, /at least 7 in prod/],
    ['half steps', 'dev', { databaseMaxCapacity: '1.3' }, /half steps/],
    ['pause needs a recent version', 'dev', { databaseEngineVersion: '16.2' }, /0 needs 13.15, 14.12, 15.7, 16.3/],
    ['no Data API', 'dev', { databaseEngineVersion: '16.0' }, /with the Data API/],
    ['pause window', 'dev', { databaseSecondsUntilAutoPause: 60 }, /300 to 86400/],
  ];
  for (const [why, env, raw, allowed] of refused) t.throws(() => stack(env, raw), { message: allowed }, why);
});
