// The web app's first sync in the order Argo CD applies it (sync-order.ts, from gitops-engine's
// source): whatever the pod names (its PriorityClass, ServiceAccount) exists before the
// Deployment, or its ReplicaSet's pods are refused ("no PriorityClass with name ...") until a
// retry; the Service and its TargetGroupBinding exist before the pods too, or the load balancer
// controller does not give them its readiness gate (it injects it at pod creation only, for pods
// of a Service some binding names). Earlier waves hold only objects without a health check, so
// they never hold the rollout back.
import t from 'tap';
import { render, type Manifest } from './render.js';
import { HEALTH_CHECKED, groupKind, syncOrder } from './sync-order.js';

/** The objects a Deployment's pod template names, as kind/name. */
function namedByPod(deployment: Manifest): string[] {
  const pod = deployment.spec.template.spec;
  return [
    pod.priorityClassName && `PriorityClass/${pod.priorityClassName}`,
    pod.serviceAccountName && `ServiceAccount/${pod.serviceAccountName}`,
    ...(pod.volumes ?? []).flatMap((v: { persistentVolumeClaim?: { claimName: string } }) =>
      v.persistentVolumeClaim ? [`PersistentVolumeClaim/${v.persistentVolumeClaim.claimName}`] : [],
    ),
  ].filter(Boolean);
}

for (const environment of ['dev', 'prod']) {
  t.test(`deploy/web/overlays/${environment}: first sync order`, async (t) => {
    const order = syncOrder(render(`web/overlays/${environment}`));
    const at = (kindName: string) =>
      order.findIndex((x) => `${x.manifest.kind}/${x.manifest.metadata.name}` === kindName);
    const deployment = order.find((x) => x.manifest.kind === 'Deployment')!;
    const named = namedByPod(deployment.manifest);
    t.ok(
      named.some((n) => n.startsWith('PriorityClass/')),
      'the pod names its PriorityClass',
    );
    const service = order.find((x) => x.manifest.kind === 'Service')!;
    const binding = order.find(
      (x) =>
        x.manifest.kind === 'TargetGroupBinding' && x.manifest.spec.serviceRef.name === service.manifest.metadata.name,
    )!;
    named.push(`Service/${service.manifest.metadata.name}`, `TargetGroupBinding/${binding.manifest.metadata.name}`);
    for (const kindName of named) {
      t.ok(at(kindName) >= 0, `${kindName} ships with the app`);
      t.ok(
        order[at(kindName)]!.wave < deployment.wave ||
          (order[at(kindName)]!.wave === deployment.wave && at(kindName) < order.indexOf(deployment)),
        `${kindName} is applied before the Deployment (order: ${order.map((x) => x.manifest.kind).join(', ')})`,
      );
    }
    const last = Math.max(...order.map((x) => x.wave));
    for (const early of order.filter((x) => x.wave < last))
      t.notOk(
        HEALTH_CHECKED.has(groupKind(early.manifest)),
        `${early.manifest.kind}/${early.manifest.metadata.name} (wave ${early.wave}) has no health check to wait for`,
      );
  });
}

t.test('the model sorts as the engine does', async (t) => {
  const m = (kind: string, name: string, wave?: string, namespace?: string): Manifest => ({
    apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
    kind,
    metadata: { name, namespace, annotations: wave ? { 'argocd.argoproj.io/sync-wave': wave } : undefined },
  });
  const names = (ms: Manifest[]) => syncOrder(ms).map((x) => `${x.manifest.kind}/${x.manifest.metadata.name}`);
  t.same(
    names([m('Deployment', 'a'), m('PriorityClass', 'p'), m('Service', 'b'), m('Widget', 'w')]),
    ['Service/b', 'Deployment/a', 'PriorityClass/p', 'Widget/w'],
    'kinds the engine does not list come last in their wave, then by name',
  );
  t.same(
    names([m('Deployment', 'a'), m('PriorityClass', 'p', '-1')]),
    ['PriorityClass/p', 'Deployment/a'],
    'a wave first',
  );
  t.same(
    names([m('Service', 's', '-2', 'zumo'), m('Namespace', 'zumo')]),
    ['Namespace/zumo', 'Service/s'],
    'a namespace moves before the first object in it',
  );
});
