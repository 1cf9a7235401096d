import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { PATHS } from '@zumo/config';
import { ALARMS } from '../lib/operations.js';

export interface AlertingArgs {
  /** Addresses subscribed to both alert topics (each confirms once, by the mail SNS sends). */
  readonly emails: readonly string[];
  readonly distributionId: pulumi.Input<string>;
  /** Public host name of the site; the uptime check requests https://<hostname>/healthz. */
  readonly hostname: pulumi.Input<string>;
  readonly albArnSuffix: pulumi.Input<string>;
  readonly targetGroupArnSuffix: pulumi.Input<string>;
  readonly tags?: Record<string, string>;
}

/**
 * Someone is told when the site breaks, even if the cluster (and its Prometheus) is gone:
 * CloudWatch alarms on CloudFront, the load balancer and an external uptime check, to SNS topics
 * that e-mail the on-call addresses. CloudFront and Route 53 health check metrics exist only in
 * us-east-1, so their alarms and topic live there; the ALB's are in the stack's region.
 */
export class Alerting extends pulumi.ComponentResource {
  public readonly topicArn: pulumi.Output<string>;
  public readonly globalTopicArn: pulumi.Output<string>;
  public readonly healthCheckId: pulumi.Output<string>;

  constructor(name: string, args: AlertingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:operations:Alerting', name, {}, opts);
    const parent = { parent: this };
    const usEast1 = new aws.Provider(`${name}-alerts-us-east-1`, { region: 'us-east-1' }, parent);
    const global = { parent: this, provider: usEast1 };

    // Alarm notifications carry alarm names and numbers only, so the topics use SNS's default
    // encryption-free delivery: CloudWatch cannot publish to topics under the AWS-managed SNS key.
    const topic = (suffix: string, options: pulumi.CustomResourceOptions) => {
      const created = new aws.sns.Topic(`${name}-${suffix}`, { tags: args.tags }, options);
      args.emails.forEach(
        (endpoint, i) =>
          new aws.sns.TopicSubscription(
            `${name}-${suffix}-email-${i}`,
            { topic: created.arn, protocol: 'email', endpoint },
            options,
          ),
      );
      return created;
    };
    const regional = topic('alerts', parent);
    const globalTopic = topic('alerts-global', global);

    // Every alarm evaluates one-minute datapoints and fires after `minutes` breaching ones in a
    // row, and tells the topic both when it fires and when it recovers.
    const alarm = (
      suffix: string,
      {
        minutes,
        ...alarmArgs
      }: Omit<
        aws.cloudwatch.MetricAlarmArgs,
        'alarmActions' | 'okActions' | 'period' | 'evaluationPeriods' | 'datapointsToAlarm'
      > & {
        minutes: number;
      },
      topicArn: pulumi.Output<string>,
      options: pulumi.CustomResourceOptions,
    ) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${suffix}`,
        {
          ...alarmArgs,
          // Metric-math alarms set the period on each query instead.
          ...(alarmArgs.metricName ? { period: 60 } : {}),
          evaluationPeriods: minutes,
          datapointsToAlarm: minutes,
          alarmActions: [topicArn],
          okActions: [topicArn],
          tags: args.tags,
        },
        options,
      );

    const cf = ALARMS.cloudFront5xxPercent;
    alarm(
      'cloudfront-5xx',
      {
        alarmDescription: `CloudFront 5xx error rate above ${cf.threshold}% for ${cf.minutes} minutes. Runbook: docs/operations.md#cloudfront5xx`,
        namespace: 'AWS/CloudFront',
        metricName: '5xxErrorRate',
        dimensions: { DistributionId: args.distributionId, Region: 'Global' },
        statistic: 'Average',
        minutes: cf.minutes,
        threshold: cf.threshold,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
      },
      globalTopic.arn,
      global,
    );

    const lb = { LoadBalancer: args.albArnSuffix, TargetGroup: args.targetGroupArnSuffix };
    const unhealthy = ALARMS.albUnhealthyTargets;
    alarm(
      'alb-unhealthy-targets',
      {
        alarmDescription: `A web target failed its readiness check for ${unhealthy.minutes} minutes. Runbook: docs/operations.md#albunhealthytargets`,
        namespace: 'AWS/ApplicationELB',
        metricName: 'UnHealthyHostCount',
        dimensions: lb,
        statistic: 'Maximum',
        minutes: unhealthy.minutes,
        threshold: unhealthy.threshold,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
      },
      regional.arn,
      parent,
    );
    const none = ALARMS.albNoHealthyTarget;
    alarm(
      'alb-no-healthy-target',
      {
        alarmDescription: `No healthy web target for ${none.minutes} minutes: the site is down. Runbook: docs/operations.md#albnohealthytarget`,
        namespace: 'AWS/ApplicationELB',
        metricName: 'HealthyHostCount',
        dimensions: lb,
        statistic: 'Minimum',
        minutes: none.minutes,
        threshold: none.threshold,
        comparisonOperator: 'LessThanThreshold',
        // No datapoints means no targets reported at all: that is the outage, not an absence of news.
        treatMissingData: 'breaching',
      },
      regional.arn,
      parent,
    );
    const t5xx = ALARMS.albTarget5xxPercent;
    alarm(
      'alb-target-5xx',
      {
        alarmDescription: `Web (target) 5xx above ${t5xx.threshold}% of load balancer requests for ${t5xx.minutes} minutes. Runbook: docs/operations.md#albtarget5xx`,
        minutes: t5xx.minutes,
        threshold: t5xx.threshold,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
        metricQueries: [
          {
            id: 'ratio',
            label: 'Target 5xx (% of requests)',
            expression: 'IF(requests > 0, 100 * errors / requests, 0)',
            returnData: true,
          },
          {
            id: 'errors',
            metric: {
              namespace: 'AWS/ApplicationELB',
              metricName: 'HTTPCode_Target_5XX_Count',
              dimensions: lb,
              stat: 'Sum',
              period: 60,
            },
          },
          {
            id: 'requests',
            metric: {
              namespace: 'AWS/ApplicationELB',
              metricName: 'RequestCount',
              dimensions: lb,
              stat: 'Sum',
              period: 60,
            },
          },
        ],
      },
      regional.arn,
      parent,
    );

    // Uptime from outside AWS's network path: Route 53 checkers in several regions request the
    // public URL's liveness path through CloudFront, exactly as a visitor would.
    const uptime = ALARMS.uptime;
    const healthCheck = new aws.route53.HealthCheck(
      `${name}-uptime`,
      {
        type: 'HTTPS',
        fqdn: args.hostname,
        port: 443,
        resourcePath: PATHS.health,
        requestInterval: uptime.requestIntervalSeconds,
        failureThreshold: uptime.failureThreshold,
        enableSni: true,
        tags: { ...args.tags, Name: `${name}-uptime` },
      },
      parent,
    );
    alarm(
      'uptime',
      {
        alarmDescription: `The public /healthz has failed Route 53's checkers for ${uptime.minutes} minutes. Runbook: docs/operations.md#uptime`,
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensions: { HealthCheckId: healthCheck.id },
        statistic: 'Minimum',
        minutes: uptime.minutes,
        threshold: uptime.threshold,
        comparisonOperator: 'LessThanThreshold',
        treatMissingData: 'breaching',
      },
      globalTopic.arn,
      global,
    );

    this.topicArn = regional.arn;
    this.globalTopicArn = globalTopic.arn;
    this.healthCheckId = healthCheck.id;
    this.registerOutputs({ topicArn: this.topicArn, globalTopicArn: this.globalTopicArn });
  }
}
