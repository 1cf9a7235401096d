// What of a prod preview may be posted where a public repository shows it to everyone: the
// operations, types and names, the violated policy rules and the counts; never property values,
// outputs or error text (alert e-mail addresses, CIDRs, the account id in ARNs).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { previewSummary } from '../src/preview-summary.js';

// `pulumi preview --diff` as the CLI prints it (pulumi/pulumi pkg/backend/display: step headers,
// [urn=...] pseudo-properties, policy violations, the closing Resources block), with the values a
// prod stack really holds.
const SECRETLESS = ['oncall@example.com', '203.0.113.0/24', '123456789012', 'hooks.slack.com', 'AccessDenied'];
const prodPreview = `Previewing update (prod):
  pulumi:pulumi:Stack: (same)
    [urn=urn:pulumi:prod::zumo::pulumi:pulumi:Stack::zumo-prod]
    \u001b[32m+ aws:sns/topicSubscription:TopicSubscription: (create)\u001b[0m
        [urn=urn:pulumi:prod::zumo::zumo:ops:Alerting$aws:sns/topicSubscription:TopicSubscription::zumo-prod-alerts-email-0]
        endpoint : "oncall@example.com"
        protocol : "email"
        topic    : "arn:aws:sns:eu-west-1:123456789012:zumo-prod-alerts"
    ~ aws:eks/cluster:Cluster: (update)
        [id=zumo-prod-eks]
        [urn=urn:pulumi:prod::zumo::zumo:k8s:Cluster$aws:eks/cluster:Cluster::zumo-prod-eks]
      ~ vpcConfig: {
          ~ publicAccessCidrs: [
              + [1]: "203.0.113.0/24"
            ]
        }
    +-kubernetes:core/v1:Secret: (replace)
        [id=monitoring/alertmanager-webhooks]
        [urn=urn:pulumi:prod::zumo::kubernetes:core/v1:Secret::alertmanager-webhooks]
      ~ stringData: "https://hooks.slack.com/services/T000/B000/XXXX"
    - aws:route53/healthCheck:HealthCheck: (delete)
        [id=hc-1234]
        [urn=urn:pulumi:prod::zumo::aws:route53/healthCheck:HealthCheck::zumo-prod-uptime]
Policy Violations:
    zumo-policy@v0.0.0 [mandatory]  no-public-cluster-endpoint (aws:eks/cluster:Cluster: zumo-prod-eks)
    The cluster endpoint admits 203.0.113.0/24 in prod.
Outputs:
  ~ infraRoleArn: "arn:aws:iam::123456789012:role/zumo-prod-infra-1234567"
error: update failed: AccessDenied: User: arn:aws:sts::123456789012:assumed-role/zumo-prod-preview is not authorized
Resources:
    + 1 to create
    ~ 1 to update
    - 1 to delete
    +-1 to replace
    4 changes. 120 unchanged

Duration: 41s
`;

t.test('a prod preview summary: what changes, which rules, how many errors; no value', async (t) => {
  const summary = previewSummary(prodPreview, { stack: 'prod' });
  for (const value of SECRETLESS) t.notMatch(summary, value, `${value} is not shown`);
  t.match(summary, 'create aws:sns/topicSubscription:TopicSubscription zumo-prod-alerts-email-0');
  t.match(summary, 'update aws:eks/cluster:Cluster zumo-prod-eks');
  t.match(summary, 'replace kubernetes:core/v1:Secret alertmanager-webhooks');
  t.match(summary, 'delete aws:route53/healthCheck:HealthCheck zumo-prod-uptime');
  t.notMatch(summary, 'pulumi:pulumi:Stack', 'unchanged resources are not listed');
  t.match(summary, '[mandatory] no-public-cluster-endpoint (aws:eks/cluster:Cluster: zumo-prod-eks)');
  t.match(summary, 'Errors: 1 (not shown here)');
  t.match(
    summary,
    'Resources:\n    + 1 to create\n    ~ 1 to update\n    - 1 to delete\n    +-1 to replace\n    4 changes. 120 unchanged',
  );
  t.match(summary, 'npx nx run infra:preview:prod', 'where the details are');
});

t.test('a preview that failed before planning, or never ran', async (t) => {
  const failed = previewSummary('error: could not read the stack: AccessDenied for 123456789012\n', { stack: 'prod' });
  t.notMatch(failed, '123456789012');
  t.match(failed, 'Changes:\n  (none listed)');
  t.match(failed, 'Errors: 1 (not shown here)');
  t.match(failed, 'Resources: no resource summary');
});

t.test('the CLIs: the drift issue and the run summary show prod as its summary only', async (t) => {
  const dir = t.testdir({ 'preview-prod.txt': prodPreview, 'preview-dev.txt': 'Resources:\n    7 unchanged\n' });
  // The CLIs from source, with this test's TypeScript loader (as preview-comment.test.ts does).
  const cli = (name: string) => [...process.execArgv, join(import.meta.dirname, `../src/${name}-cli.ts`)];
  const summary = execFileSync(
    process.execPath,
    [
      ...cli('preview-summary'),
      '--stack',
      'prod',
      '--in',
      join(dir, 'preview-prod.txt'),
      '--out',
      join(dir, 'preview-prod.txt'),
    ],
    { encoding: 'utf8' },
  );
  t.equal(readFileSync(join(dir, 'preview-prod.txt'), 'utf8'), summary, 'the file is replaced by its summary');
  for (const value of SECRETLESS) t.notMatch(summary, value);

  writeFileSync(join(dir, 'raw-prod.txt'), prodPreview);
  execFileSync(process.execPath, [
    ...cli('preview-comment'),
    '--stack',
    `dev=success=${join(dir, 'preview-dev.txt')}`,
    '--stack',
    `prod=failure=${join(dir, 'raw-prod.txt')}`,
    '--summary-only',
    'prod',
    '--out',
    join(dir, 'issue.md'),
  ]);
  const issue = readFileSync(join(dir, 'issue.md'), 'utf8');
  for (const value of SECRETLESS) t.notMatch(issue, value, `the issue does not show ${value}`);
  t.match(
    issue,
    '| prod | ❌ failed | + 1 to create, ~ 1 to update, - 1 to delete, +-1 to replace, 4 changes. 120 unchanged |',
  );
  t.match(issue, '| dev | ✅ no errors | 7 unchanged |');

  const bad = (() => {
    try {
      execFileSync(
        process.execPath,
        [...cli('preview-comment'), '--stack', `dev=success=x`, '--summary-only', 'prd', '--out', join(dir, 'x.md')],
        { encoding: 'utf8', stdio: 'pipe' },
      );
      return '';
    } catch (err) {
      return String((err as { stderr: string }).stderr);
    }
  })();
  t.match(bad, '--summary-only prd: no such --stack', 'a misspelt stack is refused, not shown in full');
});
