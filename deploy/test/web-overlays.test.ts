import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { APP, DOWNWARD_API_ENV, EnvSchema, MEMORY_BUDGET, PATHS, loadConfig } from '@zumo/config';
import { byKind, crdValidator, render, type Manifest } from './render.js';

/** Kinds without a namespace in this tree. */
const CLUSTER_SCOPED = new Set(['Namespace', 'PriorityClass']);
/** The fewest replicas each environment runs: two zones in dev, three in prod. */
const FLOOR: Record<string, number> = { dev: 2, prod: 3 };

/** Kubernetes schemas (kubernetes-models validates with the upstream OpenAPI definitions). */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  Namespace,
  ServiceAccount,
  Service,
  Deployment,
  PodDisruptionBudget,
  HorizontalPodAutoscaler,
  NetworkPolicy,
  ServiceMonitor,
  PriorityClass,
};

for (const environment of ['dev', 'prod']) {
  t.test(`deploy/web/overlays/${environment}`, async (t) => {
    const manifests = render(`web/overlays/${environment}`);

    t.test('every object validates against its schema', async (t) => {
      const tgb = crdValidator('crds/aws-load-balancer-controller.crds.yaml', 'TargetGroupBinding');
      for (const manifest of manifests) {
        const label = `${manifest.kind}/${manifest.metadata.name}`;
        if (manifest.kind === 'TargetGroupBinding') {
          t.equal(manifest.apiVersion, tgb.version, `${label}: served version of the CRD`);
          t.ok(tgb.validate(manifest), `${label}: valid against the CRD (${JSON.stringify(tgb.validate.errors)})`);
          continue;
        }
        const Model = MODELS[manifest.kind];
        t.ok(Model, `${label}: a known kind`);
        if (Model) t.doesNotThrow(() => new Model(manifest).validate(), `${label}: valid Kubernetes object`);
      }
      t.throws(
        () => new Deployment({ ...byKind(manifests, 'Deployment'), spec: { replicas: 'one' } } as never).validate(),
        'control: an invalid Deployment is refused',
      );
    });

    const deployment = byKind(manifests, 'Deployment');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const env = new Map<string, any>(container.env.map((e: { name: string }) => [e.name, e]));

    t.test('names, port and paths come from the contract', async (t) => {
      t.equal(deployment.metadata.name, APP.name);
      t.ok(
        manifests.every((m) => CLUSTER_SCOPED.has(m.kind) || m.metadata.namespace === APP.namespace),
        `everything namespaced is in ${APP.namespace}`,
      );
      t.notOk(
        manifests.some((m) => CLUSTER_SCOPED.has(m.kind) && m.metadata.namespace),
        'cluster-scoped objects carry no namespace',
      );
      t.notOk(
        manifests.some((m) => m.kind === 'Namespace'),
        'the namespace is not in git: Pulumi owns it and its PodSecurity labels',
      );
      t.equal(container.ports[0].containerPort, APP.containerPort);
      t.equal(container.livenessProbe.httpGet.path, PATHS.health);
      t.equal(container.readinessProbe.httpGet.path, PATHS.ready);
      t.equal(deployment.spec.template.metadata.annotations['prometheus.io/path'], PATHS.metrics);
      t.equal(env.get('PORT').value, String(APP.containerPort));
      t.equal(byKind(manifests, 'TargetGroupBinding').spec.serviceRef.name, byKind(manifests, 'Service').metadata.name);
    });

    t.test('Prometheus scrapes the service through its ServiceMonitor', async (t) => {
      const monitor = byKind(manifests, 'ServiceMonitor');
      const service = byKind(manifests, 'Service');
      for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels))
        t.equal(service.metadata.labels?.[key], value, `the Service carries ${key}=${value}`);
      const endpoint = monitor.spec.endpoints[0];
      t.ok(
        service.spec.ports.some((p: { name: string }) => p.name === endpoint.port),
        `the Service has a port named ${endpoint.port}`,
      );
      t.equal(endpoint.path, PATHS.metrics);
      t.equal(monitor.metadata.namespace, APP.namespace, 'same namespace as the Service (job label "web")');
      t.equal(
        monitor.metadata.annotations?.['argocd.argoproj.io/sync-options'],
        'SkipDryRunOnMissingResource=true',
        'the app syncs even before the monitoring CRDs exist',
      );
    });

    t.test('the workload gives the service a valid environment', async (t) => {
      const known = new Set(Object.keys(EnvSchema.properties));
      for (const name of env.keys()) t.ok(known.has(name), `${name} is a variable the service reads`);
      for (const name of EnvSchema.required ?? []) {
        // Required variables all have defaults today; should one lose its default, the pod must set it.
        const schema = (EnvSchema.properties as Record<string, { default?: unknown }>)[name]!;
        t.ok(schema.default !== undefined || env.has(name), `${name}: set by the pod or defaulted`);
      }
      for (const [name, fieldPath] of Object.entries(DOWNWARD_API_ENV)) {
        t.equal(
          env.get(name)?.valueFrom?.fieldRef?.fieldPath,
          fieldPath,
          `${name} from the Downward API (${fieldPath})`,
        );
      }
      t.equal(env.get('SENTRY_DSN').valueFrom.secretKeyRef.optional, true, 'Sentry DSN from an optional Secret');
      t.equal(env.get('SENTRY_ENVIRONMENT').value, environment);
      t.match(
        env.get('RELEASE').valueFrom.fieldRef.fieldPath,
        /app\.kubernetes\.io\/version/,
        'RELEASE is the version label',
      );
      // What the pod would see, with the Downward API filled in: the service must accept it.
      const literal: Record<string, string> = Object.fromEntries(
        [...env.values()].filter((e) => e.value !== undefined).map((e) => [e.name, e.value]),
      );
      const version = deployment.spec.template.metadata.labels['app.kubernetes.io/version'];
      const config = loadConfig({
        ...literal,
        RELEASE: version,
        POD_NAME: 'web-abc',
        POD_NAMESPACE: APP.namespace,
        POD_IP: '10.40.1.2',
        NODE_NAME: 'ip-10-40-1-1',
      });
      t.equal(config.PORT, APP.containerPort, 'loadConfig accepts the pod environment');
      t.ok(
        config.SHUTDOWN_DRAIN_MS > 0,
        'the pod sets a drain (the service drains on SIGTERM only for SHUTDOWN_DRAIN_MS; its default is 0)',
      );
      const budgetMs = config.SHUTDOWN_DRAIN_MS + config.SHUTDOWN_GRACE_MS;
      t.ok(
        pod.terminationGracePeriodSeconds * 1000 > budgetMs,
        `terminationGracePeriodSeconds (${pod.terminationGracePeriodSeconds} s) exceeds drain + grace (${budgetMs} ms)`,
      );
    });

    t.test('no state in the pod: no volume claim, no database file', async (t) => {
      t.notOk(
        manifests.some((m) => m.kind === 'PersistentVolumeClaim'),
        'no claim: the replicas share the database',
      );
      t.notOk(
        pod.volumes.some((v: { persistentVolumeClaim?: unknown }) => v.persistentVolumeClaim),
        'no volume from a claim',
      );
      t.notOk(env.has('DATABASE_PATH'), 'no SQLite file');
      t.notOk(pod.nodeSelector, 'not pinned to a node group: any zone may run a replica');
    });

    t.test(`at least ${FLOOR[environment]} replicas, one per zone before two in any`, async (t) => {
      t.ok(deployment.spec.replicas >= FLOOR[environment]!, `${deployment.spec.replicas} replicas at creation`);
      const labels = deployment.spec.template.metadata.labels;
      const selects = (selector: { matchLabels: Record<string, string> }) =>
        Object.entries(selector.matchLabels).every(([k, v]) => labels[k] === v);
      const spread = new Map<string, any>(
        pod.topologySpreadConstraints.map((c: { topologyKey: string }) => [c.topologyKey, c]),
      );
      const zone = spread.get('topology.kubernetes.io/zone');
      t.match(zone, { maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor' }, 'zones: hard');
      t.ok(zone && selects(zone.labelSelector), "the zone spread counts this Deployment's pods");
      t.ok(spread.has('kubernetes.io/hostname'), 'and spreads over nodes within a zone');
      const priority = byKind(manifests, 'PriorityClass');
      t.equal(pod.priorityClassName, priority.metadata.name);
      t.ok(
        (priority.value as number) > 0 && (priority.value as number) < 1e9,
        'above default pods, below system-critical ones',
      );
    });

    t.test('a release or a node drain never leaves fewer replicas serving than wanted', async (t) => {
      t.equal(deployment.spec.strategy.type, 'RollingUpdate');
      t.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0, 'no old pod goes before a new one is ready');
      t.ok(deployment.spec.strategy.rollingUpdate.maxSurge >= 1, 'a new pod starts beside the old ones');
      const budget = byKind(manifests, 'PodDisruptionBudget');
      t.same(budget.spec.selector, deployment.spec.selector, "the budget covers the Deployment's pods");
      t.ok(
        budget.spec.maxUnavailable < FLOOR[environment]!,
        `a drain evicts at most ${budget.spec.maxUnavailable} of ${FLOOR[environment]}`,
      );
    });

    t.test('the autoscaler scales on CPU between the floor and its maximum', async (t) => {
      const hpa = byKind(manifests, 'HorizontalPodAutoscaler');
      t.same(
        hpa.spec.scaleTargetRef,
        { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name },
        'it scales the web Deployment',
      );
      t.equal(hpa.spec.minReplicas, deployment.spec.replicas, 'its floor is the replica count at creation');
      t.ok(hpa.spec.maxReplicas > hpa.spec.minReplicas, 'room to grow');
      t.same(
        hpa.spec.metrics.map((m: { resource: { name: string } }) => m.resource.name),
        ['cpu'],
        'on CPU',
      );
      t.ok(container.resources.requests.cpu, 'a CPU request, which utilization is a share of');
    });

    t.test('hardened pod', async (t) => {
      t.match(pod.securityContext, {
        runAsNonRoot: true,
        runAsUser: APP.runAsUser,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      t.match(container.securityContext, {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      t.equal(pod.automountServiceAccountToken, false, 'no API token in the pod');
      t.equal(byKind(manifests, 'ServiceAccount').automountServiceAccountToken, false);
      t.notOk(
        manifests.some((m) => /Role/.test(m.kind)),
        'no RBAC: the app does not call the API',
      );
      t.ok(container.resources.requests.cpu, 'a CPU request');
      t.same(
        [container.resources.requests.memory, container.resources.limits.memory],
        [MEMORY_BUDGET.containerLimit, MEMORY_BUDGET.containerLimit],
        "memory requested and limited at the memory budget's container limit (packages/config)",
      );
      t.equal(byKind(manifests, 'Service').spec.type, 'ClusterIP');
      const policy = byKind(manifests, 'NetworkPolicy');
      t.same(policy.spec.policyTypes, ['Ingress', 'Egress']);
      t.same(
        policy.spec.ingress[0].ports,
        [{ port: APP.containerPort, protocol: 'TCP' }],
        'only the app port is reachable',
      );
      t.same(
        policy.spec.ingress[0].from,
        [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
          },
        ],
        "in git only Prometheus's pods are admitted (the web ApplicationSet adds the load balancer's subnets)",
      );
      t.same(
        policy.spec.egress[0].to,
        [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        "DNS goes to CoreDNS only, selected by the kube-dns Service's own selector (the VPC CNI admits its ClusterIP by it)",
      );
    });

    t.test('the image comes only from the overlay images entry', async (t) => {
      const kustomization = readFileSync(
        join(import.meta.dirname, `../web/overlays/${environment}/kustomization.yaml`),
        'utf8',
      );
      t.match(kustomization, /images:\n {2}- name: zumo\/web/);
      t.match(
        container.image,
        new RegExp(`\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/${APP.imageRepository}-${environment}[:@]`),
      );
    });
  });
}

t.test('the app-of-apps roots render', async (t) => {
  for (const environment of ['dev', 'prod'])
    t.same(
      render(`apps/${environment}`).filter((m: Manifest) => !['Application', 'ApplicationSet'].includes(m.kind)),
      [],
      `${environment}: only Applications and ApplicationSets`,
    );
});
