/**
 * The creation order a first `pulumi up` needs, as data: each rule names the resources that must
 * come later, the ones they must wait for, and why (the upstream behaviour behind it). Add a rule
 * here when a resource needs something running before it; system/order-check.ts checks every rule on
 * both stacks.
 */
import { APP } from '@zumo/config';
import type { Registered } from '../mocks.js';

export type Select = (r: Registered) => boolean;

export interface OrderRule {
  readonly name: string;
  readonly later: Select;
  readonly earlier: Select;
  /**
   * Waiting is not enough, time must pass (AWS applies the change in the background): `later` waits
   * for `earlier` through a time Sleep whose createDuration (and, on destroy, destroyDuration) is
   * at least this many seconds.
   */
  readonly settle?: { readonly create?: number; readonly destroy?: number };
  /** When set, only pairs for which it holds must be ordered (e.g. a role and its own policies). */
  readonly related?: (later: Registered, earlier: Registered) => boolean;
  /** The upstream behaviour that makes this order necessary. */
  readonly why: string;
}

const type =
  (t: string): Select =>
  (r) =>
    r.type === t;
const addon =
  (name: string): Select =>
  (r) =>
    r.type === 'aws:eks/addon:Addon' && r.inputs['addonName'] === name;
const helm =
  (chart?: string): Select =>
  (r) =>
    r.type === 'kubernetes:helm.sh/v3:Release' && (chart === undefined || r.inputs['chart'] === chart);
const application =
  (name?: string): Select =>
  (r) =>
    r.type === 'kubernetes:argoproj.io/v1alpha1:Application' &&
    (name === undefined || r.inputs['metadata']?.name === name);
const nodeGroup = type('aws:eks/nodeGroup:NodeGroup');
/** The Argo CD cluster Secret carrying the cluster's facts (infra/src/lib/cluster-facts.ts). */
const clusterFacts: Select = (r) =>
  r.type === 'kubernetes:core/v1:Secret' &&
  r.inputs['metadata']?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster';
const dbUser: Select = (r) => r.type === 'command:local:Command' && r.name.endsWith('-db-user');
const any =
  (...selects: Select[]): Select =>
  (r) =>
    selects.some((s) => s(r));

export const ORDER_RULES: OrderRule[] = [
  {
    name: 'node groups after the networking add-ons',
    later: nodeGroup,
    earlier: any(addon('vpc-cni'), addon('eks-pod-identity-agent')),
    why: 'a node is Ready only once the VPC CNI runs; terraform-aws-eks creates vpc-cni and the pod identity agent "before_compute"',
  },
  {
    name: 'CoreDNS after the nodes',
    later: addon('coredns'),
    earlier: nodeGroup,
    why: 'their Deployments stay DEGRADED without a node and the add-on create times out after 20 minutes (pulumi-eks #1819)',
  },
  {
    name: 'Helm releases after the nodes and CoreDNS',
    later: helm(),
    earlier: any(nodeGroup, addon('coredns')),
    why: 'releases are atomic with a timeout: their pods need a node, and Argo CD needs DNS to clone the repository',
  },
  {
    name: 'the load balancer controller after its Pod Identity',
    later: helm('aws-load-balancer-controller'),
    earlier: any(type('aws:eks/podIdentityAssociation:PodIdentityAssociation'), addon('eks-pod-identity-agent')),
    // Its own association (both named <stack>-lbc), not the web pods'.
    related: (release, earlier) => earlier.type === 'aws:eks/addon:Addon' || earlier.name === release.name,
    why: 'the controller gets AWS credentials only if the association and the agent exist when its pods start',
  },
  {
    name: 'Applications after Argo CD and the load balancer controller',
    later: application(),
    earlier: any(helm('argo-cd'), helm('aws-load-balancer-controller')),
    why: "an Application needs Argo CD's CRD; the TargetGroupBinding it syncs is refused while the controller's webhooks (failurePolicy Fail) are down",
  },
  {
    name: "the cluster's facts after Argo CD, the load balancer controller, and the web app's namespace and project",
    later: clusterFacts,
    earlier: any(
      helm('argo-cd'),
      helm('aws-load-balancer-controller'),
      (r) => r.type === 'kubernetes:core/v1:Namespace' && r.inputs['metadata']?.name === APP.namespace,
      (r) => r.type === 'kubernetes:argoproj.io/v1alpha1:AppProject' && r.inputs['metadata']?.name === APP.name,
    ),
    why: "the web ApplicationSet (deploy/web/apps) generates the web Application from this Secret: it syncs a TargetGroupBinding the controller's webhooks must admit, in a project that must exist, into a namespace it does not create (no CreateNamespace: Pulumi owns it with its Pod Security labels); on destroy the Secret goes first, which starts the web Application's deletion in the background (the root's foreground deletion waits for it, so the controller, deleted after the root, still clears the binding's finalizer; the project's finalizer keeps the project)",
  },
  {
    name: 'the cluster after its control-plane log group',
    later: type('aws:eks/cluster:Cluster'),
    earlier: (r) => r.type === 'aws:cloudwatch/logGroup:LogGroup' && /^\/aws\/eks\/.+\/cluster$/.test(r.inputs['name']),
    why: 'EKS otherwise creates /aws/eks/<cluster>/cluster itself: no retention, no KMS, left behind on destroy',
  },
  {
    name: 'the Kubernetes provider once every access entry and policy association is in effect',
    later: type('pulumi:providers:kubernetes'),
    earlier: any(
      type('aws:eks/accessEntry:AccessEntry'),
      type('aws:eks/accessPolicyAssociation:AccessPolicyAssociation'),
    ),
    settle: { create: 30 },
    why: 'the cluster creator gets no implicit admin (bootstrapClusterCreatorAdminPermissions: false): whoever runs `pulumi up` reaches the API only through an access entry, which EKS applies seconds after the call returns (gravitational/teleport#37958 retries Unauthorized for it)',
  },
  {
    name: 'the cluster once its secrets key is usable',
    later: type('aws:eks/cluster:Cluster'),
    earlier: (r) => r.type === 'aws:kms/key:Key' && /Kubernetes secrets/.test(r.inputs['description'] ?? ''),
    settle: { create: 60 },
    why: 'CreateCluster with encryptionConfig can fail on a key seconds old ("Access denied to KMS key"), a propagation race the AWS provider does not retry (hashicorp/terraform-provider-aws#49247)',
  },
  {
    name: "a service's role has its permissions before the service uses it",
    later: (r) => r.inputs['iamRoleArn'] !== undefined,
    earlier: any(type('aws:iam/rolePolicy:RolePolicy'), type('aws:iam/rolePolicyAttachment:RolePolicyAttachment')),
    related: (service, policy) =>
      (service.propertyDependencies['iamRoleArn'] ?? []).some((role) =>
        (policy.propertyDependencies['role'] ?? []).includes(role),
      ),
    why: 'a flow log starts delivering as soon as it exists and AWS Backup assumes its role on the next job; without the policy the flow log reports an access error (Amazon VPC user guide, "IAM role for publishing flow logs to CloudWatch Logs")',
  },
  {
    name: "the database's instances after its cluster",
    later: type('aws:rds/clusterInstance:ClusterInstance'),
    earlier: type('aws:rds/cluster:Cluster'),
    why: 'CreateDBInstance names the cluster (DBClusterIdentifier), which must exist; on destroy the cluster goes last (RDS refuses to delete a cluster that still has instances)',
  },
  {
    name: "the database user after the database's instances and the web role's association",
    later: dbUser,
    earlier: any(
      type('aws:rds/clusterInstance:ClusterInstance'),
      type('aws:eks/podIdentityAssociation:PodIdentityAssociation'),
    ),
    related: (_, earlier) =>
      earlier.type !== 'aws:eks/podIdentityAssociation:PodIdentityAssociation' || earlier.name.endsWith('-web-db'),
    why: 'the Data API runs SQL only on a cluster with a writer instance; the web pods must find their role and their user in place',
  },
  {
    name: "the cluster's facts after the database user exists",
    later: clusterFacts,
    earlier: dbUser,
    why: 'the facts make the web Application (deploy/web/apps), whose pods log in as that user from their first start; without it every request fails with 28000 (role does not exist)',
  },
  {
    name: 'the network is deleted well after the VPC origin',
    later: type('aws:cloudfront/vpcOrigin:VpcOrigin'),
    earlier: type('awsx:ec2:Vpc'),
    settle: { destroy: 600 },
    why: "CloudFront removes the VPC origin's network interfaces and CloudFront-VPCOrigins-Service-SG in the background after the origin is deleted; deleting the subnets and the VPC before fails with DependencyViolation",
  },
];

/** Helpers the order and deletion checks share. */
export const select = { type, addon, helm, application, nodeGroup, clusterFacts, any };
