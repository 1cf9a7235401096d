/**
 * Operations settings shared by the Alerting component, their tests and
 * docs/operations.md (kept free of provider imports so tests can read them before mocks start).
 *
 * The AWS-side alarm thresholds. Periods are seconds; an alarm fires after `minutes` consecutive breaching
 * one-minute datapoints.
 */
export const ALARMS = {
  /** CloudFront 5xxErrorRate (percent of viewer requests) above 1% for 5 minutes. */
  cloudFront5xxPercent: { threshold: 1, minutes: 5 },
  /** Target 5xx as a percent of ALB requests above 1% for 5 minutes. */
  albTarget5xxPercent: { threshold: 1, minutes: 5 },
  /** Any unhealthy target for 3 minutes (the pod fails /readyz). */
  albUnhealthyTargets: { threshold: 0, minutes: 3 },
  /** No healthy target at all for 2 minutes: the site is down behind CloudFront. */
  albNoHealthyTarget: { threshold: 1, minutes: 2 },
  /** The Route 53 health check of https://<site>/healthz failing for 2 minutes. */
  uptime: { threshold: 1, minutes: 2, requestIntervalSeconds: 30, failureThreshold: 3 },
} as const;
