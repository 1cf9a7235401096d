import type { Test } from 'tap';
import { APP } from '@zumo/config';
import { PLATFORM_PROJECT, SYNC_RETRY } from '../../src/lib/argocd-applications.js';
import { KUBE_PROMETHEUS_STACK } from '../../src/lib/argocd-projects.js';
import { renderApplication, type Manifest } from './argocd-render.js';
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
]);

const applicationsOf = (graph: ResourceGraph) =>
  graph.all('kubernetes:argoproj.io/v1alpha1:Application').map((a) => a.inputs as unknown as Manifest);

/**
 * What the Applications make Argo CD do, checked on the rendered objects: the web app's project
 * admits exactly what it ships, the service trusts exactly the ALB's subnets, every Application
 * (Pulumi's and the root's children) retries long enough for a first bring-up.
 */
export function checkApplications(t: Test, graph: ResourceGraph) {
  const apps = applicationsOf(graph);
  const web = apps.find((a) => a.metadata.name === APP.name)!;
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
    const rootObjects = renderApplication(root.spec)!;
    t.ok(rootObjects.length > 0, 'the root renders its children');
    for (const child of rootObjects) {
      t.equal(child.kind, 'Application', `root creates ${child.kind}/${child.metadata.name}: only Applications`);
      t.equal(child.metadata.namespace ?? root.spec.destination.namespace, 'argocd', 'in argocd');
      t.equal(child.spec.project, PLATFORM_PROJECT, `${child.metadata.name}: forced into the platform project`);
    }
    const platformApps = [root, ...rootObjects];
    // Sources: what the Applications name; the chart's is the one whose kinds are listed.
    t.same(
      [...project.sourceRepos].sort(),
      [...new Set(platformApps.map((a) => a.spec.source.repoURL))].sort(),
      'this repository and the chart repository, nothing else',
    );
    const chartApp = rootObjects.find((a) => a.spec.source.chart === KUBE_PROMETHEUS_STACK.chart)!;
    t.equal(chartApp.spec.source.repoURL, KUBE_PROMETHEUS_STACK.repoURL);
    t.equal(
      chartApp.spec.source.targetRevision,
      KUBE_PROMETHEUS_STACK.version,
      'the chart version its kinds were read at (argocd-projects.ts): a bump re-reads them',
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
    const children = apps.flatMap((a) => (renderApplication(a.spec) ?? []).filter((m) => m.kind === 'Application'));
    t.ok(children.length > 0, "the root's children are checked too");
    for (const app of [...apps, ...children])
      t.same(app.spec.syncPolicy.retry, SYNC_RETRY, `${app.metadata.name}: the shared retry policy`);
  });
}
