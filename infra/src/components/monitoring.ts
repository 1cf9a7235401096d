import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import * as random from '@pulumi/random';
import {
  ALERTMANAGER_SECRET,
  GRAFANA_ADMIN_SECRET,
  MONITORING_NAMESPACE,
  alertmanagerConfig,
} from '../lib/alertmanager.js';

export interface MonitoringArgs {
  readonly provider: k8s.Provider;
  readonly environment: string;
  readonly criticalWebhookUrl: pulumi.Output<string> | undefined;
  readonly warningWebhookUrl: pulumi.Output<string> | undefined;
  /** The external heartbeat the Watchdog pings (the dead man's switch); undefined in dev only. */
  readonly heartbeatUrl?: pulumi.Output<string> | undefined;
  /** The nodes and the cluster's add-ons: the namespace is created after them and deleted before them. */
  readonly after: pulumi.Resource[];
}

/**
 * What kube-prometheus-stack (synced by Argo CD from deploy/monitoring) needs but git must not hold:
 * the monitoring namespace, Alertmanager's configuration with the receivers' webhook URLs and the
 * heartbeat URL, and a generated Grafana admin password (the chart's default one is public).
 */
export class Monitoring extends pulumi.ComponentResource {
  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:operations:Monitoring', name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const namespace = new k8s.core.v1.Namespace(
      `${name}-monitoring`,
      { metadata: { name: MONITORING_NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'zumo' } } },
      { ...k8sOpts, dependsOn: args.after },
    );
    const inNamespace = { ...k8sOpts, dependsOn: [namespace] };

    const config = pulumi
      .all([args.criticalWebhookUrl, args.warningWebhookUrl, args.heartbeatUrl])
      .apply(([criticalWebhookUrl, warningWebhookUrl, heartbeatUrl]) =>
        alertmanagerConfig({ criticalWebhookUrl, warningWebhookUrl, heartbeatUrl, environment: args.environment }),
      );
    new k8s.core.v1.Secret(
      `${name}-alertmanager`,
      {
        metadata: { name: ALERTMANAGER_SECRET, namespace: MONITORING_NAMESPACE },
        stringData: { 'alertmanager.yaml': pulumi.secret(config) },
      },
      inNamespace,
    );

    const password = new random.RandomPassword(
      `${name}-grafana-admin`,
      { length: 32, special: false },
      { parent: this },
    );
    new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: GRAFANA_ADMIN_SECRET, namespace: MONITORING_NAMESPACE },
        stringData: { 'admin-user': 'admin', 'admin-password': password.result },
      },
      inNamespace,
    );
    this.registerOutputs({});
  }
}
