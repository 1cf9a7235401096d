import type { Test } from 'tap';
import type { Registered } from '../mocks.js';
import { ARGOCD_FINALIZER } from '../../src/lib/argocd-applications.js';
import {
  allApplications,
  clusterSecretsOf,
  generateApplications,
  renderApplication,
  syncOptions,
  type Manifest,
} from './argocd-render.js';
import { CONTROLLERS_RUN_ON, FINALIZERS, identityOf } from './finalizers.js';
import { ResourceGraph } from './graph.js';
import { select } from './order-rules.js';

/**
 * What deleting an Application makes Argo CD delete: the Application itself, and every object its
 * source renders that is not marked Delete=false; child Applications (app of apps) recursively.
 */
export function objectsDeletedWith(application: { metadata: Manifest['metadata']; spec: never }): Manifest[] {
  const self = application as unknown as Manifest;
  const rendered = (renderApplication(application.spec) ?? []).filter((m) => !syncOptions(m).includes('Delete=false'));
  const children = rendered
    .filter((m) => m.kind === 'Application')
    .flatMap((child) => objectsDeletedWith(child as never).slice(1));
  return [self, ...rendered, ...children];
}

const hasFinalizer = (m: Manifest, kind: string, finalizer: string) =>
  m.kind === kind &&
  (kind !== 'Application' || ((m.metadata as { finalizers?: string[] }).finalizers ?? []).includes(finalizer));

/** Whether a value (chart values) asks for volume claims anywhere (a volumeClaimTemplate). */
function asksForClaims(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  return Object.entries(value).some(
    ([key, child]) => key === 'volumeClaimTemplate' || key === 'volumeClaimTemplates' || asksForClaims(child),
  );
}

/**
 * Namespaces in which an Application's workloads create volume claims: claims and StatefulSet
 * claim templates it renders, or chart values with a volumeClaimTemplate (kube-prometheus-stack's
 * Prometheus), in its destination namespace.
 */
export function claimNamespaces(application: Manifest): string[] {
  const spec = application.spec as {
    source: { helm?: { valuesObject?: unknown } };
    destination?: { namespace?: string };
  };
  const rendered = renderApplication(application.spec) ?? [];
  const fromObjects = rendered
    .filter((m) => m.kind === 'PersistentVolumeClaim' || (m.kind === 'StatefulSet' && m.spec?.volumeClaimTemplates))
    .map((m) => m.metadata.namespace ?? spec.destination?.namespace);
  const fromChart = asksForClaims(spec.source.helm?.valuesObject) ? [spec.destination?.namespace] : [];
  const children = rendered.filter((m) => m.kind === 'Application').flatMap(claimNamespaces);
  return [...new Set([...fromObjects, ...fromChart, ...children].filter((n): n is string => n !== undefined))];
}

/**
 * A namespace Pulumi deletes takes its claims with it; the EBS CSI driver must still run to delete
 * (dev) or release their volumes, and the nodes to detach them, or the volumes stay behind.
 */
function checkClaimNamespaces(t: Test, graph: ResourceGraph) {
  const holding = new Set(
    graph.all('kubernetes:argoproj.io/v1alpha1:Application').flatMap((a) => claimNamespaces(a.inputs as never)),
  );
  const namespaces = graph.all('kubernetes:core/v1:Namespace', (n) => holding.has(n.inputs['metadata'].name));
  if (holding.size > 0)
    t.ok(namespaces.length > 0, `Pulumi declares a namespace that holds claims (${[...holding].join(', ')})`);
  else t.comment('no Application creates volume claims');
  const needed = graph.resources.filter(select.any(select.addon('aws-ebs-csi-driver'), CONTROLLERS_RUN_ON));
  for (const namespace of namespaces)
    for (const n of needed)
      t.ok(
        graph.waitsFor(namespace, n),
        `Namespace ${namespace.inputs['metadata'].name} (holds volume claims) is deleted before ${ResourceGraph.label(n)}`,
      );
}

/** Every controller that clears a finalizer keeps its AWS identity until it is itself deleted. */
function checkControllerIdentities(t: Test, graph: ResourceGraph) {
  for (const f of FINALIZERS)
    for (const controller of graph.resources.filter(f.clearedBy)) {
      const identity = identityOf(graph, controller);
      const aws = f.kind !== 'Application';
      if (aws) t.ok(identity.length > 0, `${ResourceGraph.label(controller)} (${f.kind}): its AWS identity is found`);
      for (const needed of identity)
        t.ok(
          graph.waitsFor(controller, needed),
          `${ResourceGraph.label(controller)} is deleted before ${ResourceGraph.label(needed)}: it clears ${f.finalizer} with AWS calls`,
        );
    }
}

/**
 * Argo CD never finishes deleting an Application whose AppProject is gone (argo-cd
 * controller/appcontroller.go finalizeApplicationDeletion; argoproj/argo-cd#4369). Pulumi's order
 * cannot keep a project long enough: the Applications an ApplicationSet generates, or a root syncs,
 * are deleted by Argo CD in the background, after Pulumi has moved on. So every project an
 * Application runs in carries Argo CD's finalizer, which the controller clears only once no
 * Application names the project (finalizeProjectDeletion).
 */
function checkProjectsOutliveApplications(t: Test, graph: ResourceGraph) {
  const projects = graph.all('kubernetes:argoproj.io/v1alpha1:AppProject');
  const used = new Set(allApplications(graph).map((a) => (a.spec as { project: string }).project));
  t.ok(used.size > 0, 'the Applications name their projects');
  for (const name of used) {
    const project = projects.find((p) => p.inputs['metadata'].name === name);
    t.ok(project, `AppProject ${name}: declared by the program`);
    t.ok(
      ((project?.inputs['metadata'].finalizers as string[] | undefined) ?? []).includes(ARGOCD_FINALIZER),
      `AppProject ${name}: carries ${ARGOCD_FINALIZER}, so it outlives every Application in it`,
    );
  }
}

/** A controller outlives every object carrying its finalizer; the nodes outlive the controllers' clients. */
export function checkDeletionOrder(t: Test, graph: ResourceGraph) {
  t.test('projects outlive their Applications', async (t) => checkProjectsOutliveApplications(t, graph));
  t.test('namespaces holding volume claims', async (t) => checkClaimNamespaces(t, graph));
  t.test('controllers that clear finalizers keep their AWS permissions', async (t) =>
    checkControllerIdentities(t, graph),
  );
  const applications = graph.all('kubernetes:argoproj.io/v1alpha1:Application');
  t.ok(applications.length > 0, 'the stack declares Applications');
  // Deleting the cluster Secret makes the ApplicationSets delete what they generated from it.
  const secrets = clusterSecretsOf(graph);
  const appSets = applications
    .flatMap((a) => renderApplication(a.inputs['spec']) ?? [])
    .filter((m) => m.kind === 'ApplicationSet');
  const deleters = [
    ...applications.map((app) => ({ app, deleted: () => objectsDeletedWith(app.inputs as never) })),
    ...graph.resources.filter(select.clusterFacts).map((app) => ({
      app,
      deleted: () =>
        appSets.flatMap((s) => generateApplications(s, secrets)).flatMap((g) => objectsDeletedWith(g as never)),
    })),
  ];
  for (const { app, deleted: deletes } of deleters) {
    t.test(`destroying ${ResourceGraph.label(app)}`, async (t) => {
      const deleted = deletes();
      for (const f of FINALIZERS) {
        const carriers = deleted.filter((m) => hasFinalizer(m, f.kind, f.finalizer));
        if (carriers.length === 0) continue;
        const controllers = graph.resources.filter(f.clearedBy);
        const nodes = graph.resources.filter(CONTROLLERS_RUN_ON);
        t.ok(controllers.length > 0 && nodes.length > 0, `${f.kind}: its controller and nodes are declared`);
        for (const needed of [...controllers, ...nodes] as Registered[])
          t.ok(
            graph.waitsFor(app, needed),
            `${carriers.map((c) => `${c.kind}/${c.metadata.name}`).join(', ')} (${f.finalizer}): ${ResourceGraph.label(needed)} is deleted after the Application; ${f.why}`,
          );
      }
    });
  }
}
