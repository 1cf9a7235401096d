import type { Test } from 'tap';
import type { Registered } from '../mocks.js';
import { renderApplication, syncOptions, type Manifest } from './argocd-render.js';
import { CONTROLLERS_RUN_ON, FINALIZERS } from './finalizers.js';
import { ResourceGraph } from './graph.js';

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

/** A controller outlives every object carrying its finalizer; the nodes outlive the controllers' clients. */
export function checkDeletionOrder(t: Test, graph: ResourceGraph) {
  const applications = graph.all('kubernetes:argoproj.io/v1alpha1:Application');
  t.ok(applications.length > 0, 'the stack declares Applications');
  for (const app of applications) {
    t.test(`destroying Application ${app.inputs['metadata'].name}`, async (t) => {
      const deleted = objectsDeletedWith(app.inputs as never);
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
