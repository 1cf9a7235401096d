import type { Test } from 'tap';
import { PATHS } from '@zumo/config';
import { ALERTMANAGER_SECRET, MONITORING_NAMESPACE } from '../src/lib/alertmanager.js';
import { ALARMS } from '../src/lib/operations.js';
import { find, one, secretValue, type Recorded } from './mocks.js';

/** Alerting and the monitoring Secrets, on both stacks. */
export function checkOperations(t: Test, stack: string, recorded: Recorded[], outputs: Record<string, string>) {
  t.test('VPC flow logs: the role may do what the Amazon VPC user guide lists, but create log groups', async (t) => {
    const statements = JSON.parse(one(recorded, 'aws:iam/rolePolicy:RolePolicy', '-flow-logs').inputs['policy'])
      .Statement as { Action: string | string[] }[];
    const actions = statements.flatMap((s) => s.Action).sort();
    t.same(actions, ['logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents']);
    t.match(one(recorded, 'aws:ec2/flowLog:FlowLog').inputs, {
      logDestinationType: 'cloud-watch-logs',
      trafficType: 'ALL',
    });
  });
  t.test('alerting: SNS topics, CloudWatch alarms and the uptime check', async (t) => {
    const topics = find(recorded, 'aws:sns/topic:Topic');
    t.equal(topics.length, 2, 'one topic in the region, one in us-east-1');
    const alarms = find(recorded, 'aws:cloudwatch/metricAlarm:MetricAlarm');
    const alarm = (suffix: string) => one(recorded, 'aws:cloudwatch/metricAlarm:MetricAlarm', `-${suffix}`).inputs;
    t.same(alarms.map((a) => a.name.replace(`zumo-${stack}-`, '')).sort(), [
      'alb-no-healthy-target',
      'alb-target-5xx',
      'alb-unhealthy-targets',
      'cloudfront-5xx',
      'uptime',
    ]);
    for (const a of alarms) {
      t.equal(a.inputs['alarmActions'].length, 1, `${a.name} notifies a topic`);
      t.same(a.inputs['okActions'], a.inputs['alarmActions'], `${a.name} also says when it recovers`);
      t.match(a.inputs['alarmDescription'], /Runbook: docs\/operations\.md#[a-z0-9]+$/, `${a.name} links its runbook`);
    }

    const cf = alarm('cloudfront-5xx');
    t.match(cf, {
      namespace: 'AWS/CloudFront',
      metricName: '5xxErrorRate',
      statistic: 'Average',
      threshold: 1,
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparisonOperator: 'GreaterThanThreshold',
    });
    t.same(cf['dimensions'], { DistributionId: outputs['distributionId'], Region: 'Global' });
    t.equal(
      cf['alarmActions'][0],
      outputs['globalAlertTopicArn'],
      'CloudFront metrics live in us-east-1: so do alarm and topic',
    );

    const dims = { LoadBalancer: /^app\//, TargetGroup: /^targetgroup\// };
    t.match(alarm('alb-unhealthy-targets'), {
      namespace: 'AWS/ApplicationELB',
      metricName: 'UnHealthyHostCount',
      threshold: ALARMS.albUnhealthyTargets.threshold,
      evaluationPeriods: 3,
      comparisonOperator: 'GreaterThanThreshold',
      dimensions: dims,
    });
    t.match(alarm('alb-no-healthy-target'), {
      metricName: 'HealthyHostCount',
      statistic: 'Minimum',
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'breaching',
      dimensions: dims,
    });
    const target5xx = alarm('alb-target-5xx');
    t.match(target5xx, { threshold: 1, evaluationPeriods: 5, comparisonOperator: 'GreaterThanThreshold' });
    const queries = target5xx['metricQueries'] as {
      id: string;
      expression?: string;
      metric?: { metricName: string };
    }[];
    t.equal(queries.find((q) => q.id === 'ratio')?.expression, 'IF(requests > 0, 100 * errors / requests, 0)');
    t.same(
      queries
        .filter((q) => q.metric)
        .map((q) => q.metric!.metricName)
        .sort(),
      ['HTTPCode_Target_5XX_Count', 'RequestCount'],
      'a ratio of target 5xx to requests, not a raw count',
    );
    t.equal(target5xx['alarmActions'][0], outputs['alertTopicArn'], 'ALB alarms use the regional topic');

    const check = one(recorded, 'aws:route53/healthCheck:HealthCheck').inputs;
    t.match(check, { type: 'HTTPS', port: 443, resourcePath: PATHS.health, requestInterval: 30, failureThreshold: 3 });
    t.equal(`https://${check['fqdn']}`, outputs['appUrl'], 'the uptime check requests the public URL');
    t.match(alarm('uptime'), {
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
    });
  });

  t.test('monitoring: Alertmanager config and the Grafana login live in Secrets, not in git', async (t) => {
    const secrets = find(recorded, 'kubernetes:core/v1:Secret').filter(
      (s) => s.inputs['metadata'].namespace === MONITORING_NAMESPACE,
    );
    const alertmanager = secrets.find((s) => s.inputs['metadata'].name === ALERTMANAGER_SECRET);
    t.ok(alertmanager, 'the Secret kube-prometheus-stack is told to use');
    const data = secretValue(alertmanager!.inputs['stringData']);
    t.ok(data, 'the webhook URLs are stored as a Pulumi secret (encrypted in the state)');
    const config = JSON.parse(data!['alertmanager.yaml']!);
    t.equal(
      config.receivers.find((r: { name: string }) => r.name === 'critical').slack_configs[0].api_url,
      'https://hooks.example.test/services/critical',
      'the webhook comes from the stack secret',
    );
    const grafana = secrets.find((s) => s.inputs['metadata'].name === 'grafana-admin');
    t.equal(secretValue(grafana?.inputs['stringData'])?.['admin-password']?.length, 32, 'a generated password, secret');
  });
}
