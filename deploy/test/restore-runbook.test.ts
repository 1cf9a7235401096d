// The restore runbook in docs/operations.md creates a PersistentVolume by hand: it must bind to the
// app's claim and carry the zone of its EBS volume, or the pod is scheduled where the volume
// cannot attach ("volume node affinity conflict"). The manifest is read from the runbook itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { PersistentVolume } from 'kubernetes-models/v1';
import { APP, NODE_POOL } from '@zumo/config';
import { DEPLOY_ROOT, byKind, render } from './render.js';

const runbook = readFileSync(join(DEPLOY_ROOT, '../docs/operations.md'), 'utf8');
const block = /<!-- restore-pv -->\s*```yaml\n([\s\S]*?)```/.exec(runbook);
const restore = runbook.slice(runbook.indexOf('## Backups and restoring'));

t.test('the restore cannot be undone halfway by automation or bind an empty volume', async (t) => {
  // The web Application belongs to Pulumi: an infra-up while the restore runs can turn auto-sync
  // back on. Whatever then recreates the claim must find the restored volume already waiting for
  // it (a PersistentVolume pre-bound by claimRef wins over provisioning a new one).
  const at = (command: string) => {
    const i = restore.indexOf(command);
    t.ok(i >= 0, `the restore says \`${command}\``);
    return i;
  };
  const pause = at('gh workflow disable infra-up.yml');
  const stopSync = at('kubectl -n argocd patch application web');
  const scaleDown = at('kubectl -n zumo scale deploy/web --replicas=0');
  const createVolume = at('kubectl apply -f restore-pv.yaml');
  const deleteClaim = at('kubectl -n zumo delete pvc web-data');
  const resume = at('gh workflow enable infra-up.yml');
  t.ok(
    pause < stopSync && stopSync < scaleDown,
    'infra-up is paused before auto-sync is turned off and the app stopped',
  );
  t.ok(createVolume < deleteClaim, 'the restored volume exists before the old claim is deleted');
  t.ok(deleteClaim < resume, 'infra-up resumes only after the claim is rebound');
});

t.test('the runbook has the PersistentVolume manifest, marked for this test', async (t) => {
  t.ok(block, 'a ```yaml block after <!-- restore-pv --> in docs/operations.md');
});

if (block) {
  const pv = parse(block[1]!);
  const claim = byKind(render('web/overlays/dev'), 'PersistentVolumeClaim');

  t.test('it is a valid PersistentVolume that binds to the app claim', async (t) => {
    t.doesNotThrow(() => new PersistentVolume(pv).validate(), 'valid against the Kubernetes schema');
    t.same(pv.spec.claimRef, { namespace: APP.namespace, name: claim.metadata.name });
    t.equal(pv.spec.storageClassName, claim.spec.storageClassName, 'same storage class as the claim');
    t.same(pv.spec.accessModes, claim.spec.accessModes);
    t.equal(pv.spec.capacity.storage, claim.spec.resources.requests.storage, "the claim's size");
    t.equal(pv.spec.csi.driver, 'ebs.csi.aws.com');
    t.match(pv.spec.csi.volumeHandle, /^<.+>$/, 'the restored volume id is a placeholder to fill in');
    t.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain', 'a restored volume is never deleted with its claim');
  });

  t.test("it carries the volume's zone, so the pod is scheduled where the volume can attach", async (t) => {
    const terms = pv.spec.nodeAffinity?.required?.nodeSelectorTerms ?? [];
    t.same(terms, [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['<az>'] }] }]);
    t.match(runbook, NODE_POOL.label, 'the runbook says how to find the data node group (and so the AZ)');
  });
}
