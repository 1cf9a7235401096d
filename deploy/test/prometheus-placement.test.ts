// In-cluster alerting outlives the node Prometheus runs on. An EBS volume attaches only to
// instances in its own Availability Zone, so a Prometheus with a claim stays Pending when its node
// is replaced in another zone, and every in-cluster alert (the Watchdog included) stops. So
// Prometheus keeps its data on the node (emptyDir, bounded, short retention) and may run on any
// node: a replacement pod starts wherever there is room, with an empty history.
import t from 'tap';
import { Prometheus } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus';
import { render } from './render.js';

const GI = 1024 ** 3;
const bytes = (quantity: string) => {
  const m = /^(\d+)(Gi|GB|Mi|MB)$/.exec(quantity);
  if (!m) throw new Error(`unexpected quantity ${quantity}`);
  return Number(m[1]) * { Gi: GI, GB: 1e9, Mi: 1024 ** 2, MB: 1e6 }[m[2] as 'Gi' | 'GB' | 'Mi' | 'MB'];
};

for (const environment of ['dev', 'prod']) {
  t.test(`deploy/apps/${environment}: Prometheus survives the loss of its node and zone`, async (t) => {
    const stack = render(`apps/${environment}`).find((a) => a.metadata.name === 'kube-prometheus-stack')!;
    const spec = stack.spec.source.helm.valuesObject.prometheus.prometheusSpec;
    t.notOk(JSON.stringify(spec).includes('volumeClaimTemplate'), 'no volume claim: nothing ties it to one zone');
    const emptyDir = spec.storageSpec?.emptyDir;
    t.ok(emptyDir?.sizeLimit, 'its data lives on the node, in a bounded emptyDir');
    // Size-based retention counts blocks, not the WAL or the block being compacted: keep room for them.
    t.ok(bytes(spec.retentionSize) <= bytes(emptyDir.sizeLimit) / 2, 'retention keeps half the volume free');
    t.ok(
      bytes(spec.resources?.requests?.['ephemeral-storage'] ?? '0Mi') >= bytes(emptyDir.sizeLimit),
      'the scheduler places it only where the node has room for that volume',
    );
    t.notOk(spec.nodeSelector, 'no node selector');
    t.notOk(spec.affinity?.nodeAffinity, 'no node affinity (a node group in one zone would tie it there again)');
    t.doesNotThrow(
      () =>
        new Prometheus({
          metadata: { name: 'p' },
          spec: {
            storage: spec.storageSpec,
            retention: spec.retention,
            retentionSize: spec.retentionSize,
            resources: spec.resources,
          },
        }).validate(),
      "valid for the operator's Prometheus schema",
    );
  });
}
