import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { ACCOUNT, REPO_ROOT, type Registered } from '../mocks.js';
import { ResourceGraph } from './graph.js';
import { claimNamespaces } from './deletion-check.js';

/**
 * What makes `pulumi destroy` stop, or leaves something behind on purpose, and the command the
 * teardown in docs/infra.md must give for it, in the syntax of the AWS CLI reference.
 */
interface TeardownStep {
  /** `claims`: the namespaces in which the stack's Applications create volume claims. */
  readonly applies: (r: Registered, claims: ReadonlySet<string>) => boolean;
  readonly command: (r: Registered, stack: string) => string;
  readonly why: string;
}

/** Stack outputs that name the program's autonamed buckets (the teardown empties them by it). */
const BUCKET_OUTPUTS: Record<string, string> = { '-site': 'siteBucketName' };

/** How the teardown names a bucket: its fixed name (the state bucket), or the stack output that holds it. */
function bucketReference(r: Registered, stack: string): string {
  if (typeof r.inputs['bucket'] === 'string') return r.inputs['bucket'].replaceAll(ACCOUNT, '<account-id>');
  const output = Object.entries(BUCKET_OUTPUTS).find(([suffix]) => r.name.endsWith(suffix))?.[1];
  if (!output)
    throw new Error(`teardown-check.ts: which stack output names bucket ${r.name}? Add it to BUCKET_OUTPUTS`);
  return `"$(pulumi stack output ${output} --stack ${stack})"`;
}

export const TEARDOWN_STEPS: TeardownStep[] = [
  {
    applies: (r) => r.protect,
    command: (_, stack) => `pulumi state unprotect --all --stack ${stack}`,
    why: 'the engine refuses to delete a protected resource',
  },
  {
    applies: (r) => r.type === 'aws:s3/bucket:Bucket' && r.inputs['forceDestroy'] !== true,
    command: (r, stack) => `empty-bucket.sh ${bucketReference(r, stack)}`,
    why: 'DeleteBucket refuses a bucket holding any object version or delete marker (BucketNotEmpty); deleting the objects of a versioned bucket leaves both',
  },
  {
    applies: (r) => r.type === 'aws:ecr/repository:Repository' && r.inputs['forceDelete'] !== true,
    command: (r) => `aws ecr delete-repository --repository-name ${r.inputs['name']} --force`,
    why: 'DeleteRepository refuses a repository that holds images unless forced (RepositoryNotEmptyException)',
  },
  {
    applies: (r) => r.type === 'aws:eks/cluster:Cluster' && r.inputs['deletionProtection'] === true,
    command: (r) => `aws eks update-cluster-config --name ${r.inputs['name']} --no-deletion-protection`,
    why: 'EKS refuses DeleteCluster while deletion protection is on (EKS user guide, "Protect EKS clusters from accidental deletion")',
  },
  {
    applies: (r) => r.type === 'aws:rds/cluster:Cluster' && r.inputs['deletionProtection'] === true,
    command: (_, stack) =>
      `aws rds modify-db-cluster --db-cluster-identifier "$(pulumi stack output databaseClusterIdentifier --stack ${stack})" --no-deletion-protection --apply-immediately`,
    why: 'RDS refuses DeleteDBCluster while deletion protection is on (InvalidParameterCombination)',
  },
  {
    applies: (r) =>
      r.type === 'aws:rds/cluster:Cluster' &&
      (r.inputs['skipFinalSnapshot'] !== true || r.inputs['deleteAutomatedBackups'] === false),
    command: (r) =>
      `aws rds delete-db-cluster-snapshot --db-cluster-snapshot-identifier ${r.inputs['finalSnapshotIdentifier']}`,
    why: 'the final snapshot (and the automated backups, for their retention) outlive the cluster: the teardown says how to delete it',
  },
  {
    applies: (r) => r.type === 'aws:lb/loadBalancer:LoadBalancer' && r.inputs['enableDeletionProtection'] === true,
    command: () => '--attributes Key=deletion_protection.enabled,Value=false',
    why: 'ELB refuses DeleteLoadBalancer while deletion protection is on',
  },
  {
    applies: (r) => r.type === 'kubernetes:storage.k8s.io/v1:StorageClass' && r.inputs['reclaimPolicy'] === 'Retain',
    command: (_, stack) => `aws ec2 describe-volumes --filters Name=tag:stack,Values=${stack}`,
    why: 'volumes of a Retain StorageClass outlive their claims and the cluster: the teardown lists them',
  },
  {
    applies: (r, claims) => r.type === 'kubernetes:core/v1:Namespace' && claims.has(r.inputs['metadata'].name),
    command: (r) => `kubectl delete pvc -n ${r.inputs['metadata'].name} --all --wait`,
    why: 'the EBS CSI driver deletes a released volume in the background: claims go while it still runs',
  },
];

/** The teardown section of docs/infra.md. */
function teardownDocs(): string {
  const doc = readFileSync(join(REPO_ROOT, 'docs/infra.md'), 'utf8');
  const start = doc.indexOf('## Teardown');
  const end = doc.indexOf('\n## ', start + 1);
  return start < 0 ? '' : doc.slice(start, end < 0 ? undefined : end);
}

/** Everything that would stop `pulumi destroy`, or stay after it, has its command in the teardown docs. */
export function checkTeardown(t: Test, graph: ResourceGraph, stack: string) {
  const docs = teardownDocs();
  t.ok(docs, 'docs/infra.md has a Teardown section');
  const applications = graph.all('kubernetes:argoproj.io/v1alpha1:Application');
  const claims = new Set(applications.flatMap((a) => claimNamespaces(a.inputs as never)));
  for (const step of TEARDOWN_STEPS)
    for (const r of graph.resources.filter((r) => step.applies(r, claims))) {
      const command = step.command(r, stack);
      t.ok(docs.includes(command), `${ResourceGraph.label(r)}: the teardown says \`${command}\` (${step.why})`);
    }
  if (applications.length === 0) return;
  // The other way round: a claim the teardown deletes is one some Application's workloads create.
  for (const [, namespace] of docs.matchAll(/kubectl delete pvc -n (\S+)/g))
    t.ok(claims.has(namespace!), `the teardown deletes claims in ${namespace}, where an Application creates them`);
}
