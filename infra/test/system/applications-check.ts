import type { Test } from 'tap';
import { APP } from '@zumo/config';
import { SYNC_RETRY } from '../../src/lib/argocd-applications.js';
import { renderApplication, type Manifest } from './argocd-render.js';
import type { ResourceGraph } from './graph.js';

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
    const project = graph.one('kubernetes:argoproj.io/v1alpha1:AppProject').inputs;
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
