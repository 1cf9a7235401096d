import type { Test } from 'tap';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { APP } from '@zumo/config';
import { PLATFORM_PROJECT, SYNC_RETRY } from '../../src/lib/argocd-applications.js';
import { KUBE_PROMETHEUS_STACK, METRICS_SERVER } from '../../src/lib/argocd-projects.js';
import { REPO_ROOT } from '../mocks.js';
import { allApplications, applicationNamed, renderApplication, type Manifest } from './argocd-render.js';
import type { ResourceGraph } from './graph.js';

/** Kinds that live outside namespaces (the ones the platform Applications create). */
const CLUSTER_SCOPED = new Set([
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'Namespace',
  'PriorityClass',
  'APIService',
]);

const applicationsOf = (graph: ResourceGraph) =>
  graph.all('kubernetes:argoproj.io/v1alpha1:Application').map((a) => a.inputs as unknown as Manifest);

/**
 * What the Applications make Argo CD do, checked on the rendered objects: the web app's project
 * admits exactly what it ships, the service trusts exactly the ALB's subnets, every Application
 * (Pulumi's, the root's children and the generated web app) retries long enough for a first bring-up.
 */
export function checkApplications(t: Test, graph: ResourceGraph) {
  const apps = applicationsOf(graph);
  const web = applicationNamed(graph, APP.name);
  const objects = renderApplication(web.spec)!;

  t.test('the web AppProject admits exactly what the web app ships, in its namespace only', async (t) => {
    const project = graph.one(
      'kubernetes:argoproj.io/v1alpha1:AppProject',
      (p) => p.inputs['metadata'].name === APP.name,
    ).inputs;
    t.equal(web.spec.project, project['metadata'].name, 'the web Application uses it');
    t.same(project['spec'].destinations, [{ server: 'https://kubernetes.default.svc', namespace: APP.namespace }]);
    t.same(project['spec'].sourceRepos, [web.spec.source.repoURL], 'this repository only');
    const group = (m: Manifest) => (m.apiVersion.includes('/') ? m.apiVersion.split('/')[0]! : '');
    const shipped = (clusterScoped: boolean) =>
      objects
        .filter((m) => (m.metadata.namespace === undefined) === clusterScoped)
        .map((m) => `${group(m)}/${m.kind}${clusterScoped ? `/${m.metadata.name}` : ''}`)
        .sort();
    const listed = (entries: { group: string; kind: string; name?: string }[]) =>
      entries.map((e) => `${e.group}/${e.kind}${e.name ? `/${e.name}` : ''}`).sort();
    t.same(listed(project['spec'].namespaceResourceWhitelist), [...new Set(shipped(false))], 'namespaced kinds');
    t.same(listed(project['spec'].clusterResourceWhitelist), shipped(true), 'cluster-wide objects, by name');
  });

  t.test('the platform project admits exactly what the root and its children deploy', async (t) => {
    const project = graph.one(
      'kubernetes:argoproj.io/v1alpha1:AppProject',
      (p) => p.inputs['metadata'].name === PLATFORM_PROJECT,
    ).inputs['spec'];
    const root = apps.find((a) => a.metadata.name === 'root')!;
    t.equal(root.spec.project, PLATFORM_PROJECT, 'the root is in it');
    const rootRendered = renderApplication(root.spec)!;
    t.ok(rootRendered.length > 0, 'the root renders its children');
    for (const child of rootRendered) {
      t.ok(
        ['Application', 'ApplicationSet'].includes(child.kind),
        `root creates ${child.kind}/${child.metadata.name}: only Applications and ApplicationSets`,
      );
      t.equal(child.metadata.namespace ?? root.spec.destination.namespace, 'argocd', 'in argocd');
      if (child.kind === 'Application')
        t.equal(child.spec.project, PLATFORM_PROJECT, `${child.metadata.name}: forced into the platform project`);
      else
        t.equal(
          child.spec.template.spec.project,
          APP.name,
          `${child.metadata.name}: generates into the web project, named outright, never templated (ApplicationSet Security docs)`,
        );
    }
    const rootObjects = rootRendered.filter((m) => m.kind === 'Application');
    const platformApps = [root, ...rootObjects];
    // Sources: what the Applications name; the chart's is the one whose kinds are listed.
    t.same(
      [...project.sourceRepos].sort(),
      [...new Set(platformApps.map((a) => a.spec.source.repoURL))].sort(),
      'this repository and the chart repository, nothing else',
    );
    for (const chart of [KUBE_PROMETHEUS_STACK, METRICS_SERVER]) {
      const chartApp = rootObjects.find((a) => a.spec.source.chart === chart.chart)!;
      t.equal(chartApp.spec.source.repoURL, chart.repoURL, `${chart.chart}: from its chart repository`);
      t.equal(
        chartApp.spec.source.targetRevision,
        chart.version,
        `${chart.chart}: the chart version its kinds were read at (argocd-projects.ts): a bump re-reads them`,
      );
    }
    t.ok(
      existsSync(join(REPO_ROOT, `infra/reference/metrics-server-${METRICS_SERVER.version}.values.yaml`)),
      "metrics-server: the chart's values at that version are vendored",
    );
    // Destinations: where the Applications and what they render go.
    const rendered = platformApps.flatMap((a) =>
      (renderApplication(a.spec) ?? []).map((m) => ({
        m,
        namespace: m.metadata.namespace ?? a.spec.destination.namespace,
      })),
    );
    const namespaces = new Set([
      ...platformApps.map((a) => a.spec.destination.namespace as string),
      ...rendered.filter(({ m }) => !CLUSTER_SCOPED.has(m.kind)).map(({ namespace }) => namespace as string),
      ...KUBE_PROMETHEUS_STACK.extraNamespaces,
    ]);
    t.same(
      project.destinations.map((d: { namespace: string }) => d.namespace).sort(),
      [...namespaces].sort(),
      'exactly the namespaces they deploy to',
    );
    t.ok(
      project.destinations.every((d: { server: string }) => d.server === 'https://kubernetes.default.svc'),
      'this cluster only',
    );
    const group = (m: Manifest) => (m.apiVersion.includes('/') ? m.apiVersion.split('/')[0]! : '');
    const listed = new Set(
      project.namespaceResourceWhitelist.map((e: { group: string; kind: string }) => `${e.group}/${e.kind}`),
    );
    for (const { m } of rendered.filter(({ m }) => !CLUSTER_SCOPED.has(m.kind)))
      t.ok(listed.has(`${group(m)}/${m.kind}`), `${m.kind}/${m.metadata.name} is admitted`);
    t.ok(
      project.clusterResourceWhitelist.every((e: { name?: string }) => e.name),
      'cluster-scoped kinds only by name',
    );
  });

  t.test('the default project admits nothing', async (t) => {
    const patch = graph.one('kubernetes:argoproj.io/v1alpha1:AppProjectPatch').inputs;
    t.equal(patch['metadata'].name, 'default');
    t.equal(patch['metadata'].annotations['pulumi.com/patchForce'], 'true', 'it takes over the server-created fields');
    for (const field of [
      'sourceRepos',
      'sourceNamespaces',
      'destinations',
      'clusterResourceWhitelist',
      'namespaceResourceWhitelist',
    ])
      t.same(patch['spec'][field], [], `${field}: [] (an omitted whitelist admits every namespaced kind)`);
    t.notOk(
      apps.some((a) => a.spec.project === 'default'),
      'no Application Pulumi declares uses it',
    );
  });

  t.test('the service trusts X-Forwarded-For only from the ALB', async (t) => {
    const alb = graph.one('aws:lb/loadBalancer:LoadBalancer');
    const vpc = graph.one('awsx:ec2:Vpc');
    const lbRanges = (vpc.inputs['subnetSpecs'] as { type: string; cidrBlocks: string[] }[]).find(
      (s) => s.type === 'Isolated',
    )!.cidrBlocks;
    t.same(alb.inputs['subnets'], vpc.state['isolatedSubnetIds'], 'the ALB sits in the isolated subnets');
    const env = objects.find((m) => m.kind === 'Deployment')!.spec.template.spec.containers[0].env;
    const trusted = env.find((e: { name: string }) => e.name === 'TRUSTED_PROXY_CIDRS');
    t.equal(trusted?.value, lbRanges.join(','), 'the nearest proxy is the ALB: its subnets, nothing wider');
    // X-Forwarded-For as the pod receives it: [what the visitor sent, ]visitor, CloudFront's
    // address as the ALB saw it. CloudFront appends the viewer's address; the ALB appends its
    // client's (CloudFront's) unless its xff_header_processing.mode is preserve or remove.
    const albAppends = [undefined, 'append'].includes(alb.inputs['xffHeaderProcessingMode']);
    const hops = env.find((e: { name: string }) => e.name === 'TRUST_PROXY_HOPS');
    t.equal(
      Number(hops?.value),
      1 + (albAppends ? 1 : 0),
      'one trusted hop per proxy that appends to X-Forwarded-For (CloudFront, the ALB): the visitor is the next entry',
    );
  });

  t.test('every Application retries long enough for a first bring-up', async (t) => {
    const every = allApplications(graph);
    t.ok(every.length > apps.length, "the root's children and the generated web app are checked too");
    for (const app of every)
      t.same(app.spec.syncPolicy.retry, SYNC_RETRY, `${app.metadata.name}: the shared retry policy`);
  });
}
