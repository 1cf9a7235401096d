/**
 * Operations settings shared by the Alerting and Backups components, their tests and
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

/**
 * The EBS CSI driver tags every volume it creates with the claim's namespace; selecting on that tag
 * backs up the app's SQLite volume (and any later volume of the app namespace) without naming a
 * volume id, which changes when a volume is restored.
 */
export const BACKUP_SELECTION_TAG = 'kubernetes.io/created-for/pvc/namespace';
/** Daily at 03:00 UTC, a quiet hour for the board. */
export const BACKUP_SCHEDULE = 'cron(0 3 * * ? *)';
