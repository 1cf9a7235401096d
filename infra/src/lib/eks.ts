/** Control-plane logs kept: who called the API (audit), what was asked (api), who logged in. */
export const CONTROL_PLANE_LOGS = ['api', 'audit', 'authenticator'];

/** The log group EKS writes control-plane logs to (it creates it itself, unencrypted and kept forever, unless it exists). */
export const controlPlaneLogGroupName = (clusterName: string) => `/aws/eks/${clusterName}/cluster`;

/** AWS managed access policies an access entry can carry. */
export const ACCESS_POLICIES = {
  admin: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
  view: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
  /** Read access to every resource, Secrets included (Helm release state and refreshed Secrets need it). */
  adminView: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy',
} as const;

/**
 * Add-ons a node needs to become Ready (VPC CNI) or its pods need from their first start (Pod
 * Identity agent, kube-proxy for Service addresses): created before any node, like
 * terraform-aws-eks's `before_compute` add-ons (vpc-cni, pod identity agent) and pulumi-eks's
 * cluster component (kube-proxy).
 * The VPC CNI enforces NetworkPolicies only with enableNetworkPolicy (its add-on configuration
 * schema takes the string "true"; pulumi-eks nodejs/eks/addons/cni-addon.ts does the same).
 * Prefix delegation gives each node /28 prefixes instead of single addresses: a t3.medium then
 * admits 110 pods instead of 17 (EKS user guide, "Assign more IP addresses to Amazon EKS nodes
 * with prefixes"). Managed node groups whose launch template names no AMI compute that limit
 * themselves when the add-on has it before the nodes are created (it is: before compute).
 */
export const BEFORE_COMPUTE_ADDONS = {
  'vpc-cni': { enableNetworkPolicy: 'true', env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } },
  'eks-pod-identity-agent': undefined,
  'kube-proxy': undefined,
} as const;
