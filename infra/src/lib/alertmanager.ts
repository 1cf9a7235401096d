/**
 * Alertmanager's configuration, rendered by Pulumi into the Secret kube-prometheus-stack mounts
 * (alertmanager.alertmanagerSpec.configSecret): the receivers' webhook URLs are credentials, so
 * the whole file lives in a Secret that is never in git. Tested with amtool (check-config and
 * routing) in infra/test/monitoring/alertmanager.ts.
 */

/** Name of the Secret (namespace monitoring) that holds alertmanager.yaml. */
export const ALERTMANAGER_SECRET = 'alertmanager-zumo';
export const MONITORING_NAMESPACE = 'monitoring';
/** The Secret the Grafana chart reads its admin login from (grafana.admin.existingSecret). */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

export interface AlertmanagerInputs {
  /** Slack-compatible incoming webhook for severity=critical; undefined drops alerts (dev only). */
  readonly criticalWebhookUrl: string | undefined;
  /** For severity=warning (and anything unlabelled); defaults to the critical one. */
  readonly warningWebhookUrl: string | undefined;
  /**
   * The dead man's switch: a heartbeat check outside the cluster (healthchecks.io-style: it alerts
   * when pings stop) that Alertmanager pings with the always-firing Watchdog every few minutes.
   * Undefined: the Watchdog goes nowhere (dev only).
   */
  readonly heartbeatUrl?: string | undefined;
  readonly environment: string;
}

/**
 * How often the Watchdog pings the heartbeat: Alertmanager re-sends a firing group every
 * repeat_interval, checked every group_interval (prometheus/alertmanager dispatch/dispatch.go).
 * Configure the external check with this period and a grace of at least as long.
 */
export const HEARTBEAT_PERIOD = '5m';

const slack = (url: string, environment: string) => ({
  slack_configs: [
    {
      api_url: url,
      send_resolved: true,
      title: `[${environment}] {{ .Status | toUpper }}{{ if eq .Status "firing" }} ({{ .Alerts.Firing | len }}){{ end }}: {{ .CommonLabels.alertname }}`,
      text: '{{ range .Alerts }}{{ .Annotations.summary }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}',
    },
  ],
});

/** alertmanager.yaml as JSON (a YAML subset Alertmanager reads as is). */
export function alertmanagerConfig(input: AlertmanagerInputs): string {
  const critical = input.criticalWebhookUrl;
  const warning = input.warningWebhookUrl ?? critical;
  const receiver = (name: string, url: string | undefined) =>
    url ? { name, ...slack(url, input.environment) } : { name };
  return JSON.stringify(
    {
      route: {
        receiver: 'warning',
        group_by: ['alertname', 'namespace'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
        routes: [
          // kube-prometheus-stack's always-firing Watchdog proves the pipeline: it pings the
          // heartbeat outside the cluster, which alerts when the pings stop; it pages nobody.
          input.heartbeatUrl
            ? {
                receiver: 'heartbeat',
                matchers: ['alertname = "Watchdog"'],
                group_wait: '0s',
                group_interval: '1m',
                repeat_interval: HEARTBEAT_PERIOD,
              }
            : { receiver: 'null', matchers: ['alertname = "Watchdog"'] },
          { receiver: 'critical', matchers: ['severity = "critical"'], group_wait: '10s', repeat_interval: '1h' },
          { receiver: 'warning', matchers: ['severity = "warning"'] },
          { receiver: 'null', matchers: ['severity = "none"'] },
        ],
      },
      // While the site is down, its other alerts are consequences: send only the cause.
      inhibit_rules: [
        {
          source_matchers: ['alertname = "WebDown"'],
          target_matchers: ['severity = "warning"', 'namespace = "zumo"'],
        },
      ],
      receivers: [
        receiver('critical', critical),
        receiver('warning', warning),
        { name: 'null' },
        ...(input.heartbeatUrl
          ? [{ name: 'heartbeat', webhook_configs: [{ url: input.heartbeatUrl, send_resolved: false }] }]
          : []),
      ],
    },
    null,
    2,
  );
}
