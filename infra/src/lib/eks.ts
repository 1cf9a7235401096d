/** Control-plane logs kept: who called the API (audit), what was asked (api), who logged in. */
export const CONTROL_PLANE_LOGS = ['api', 'audit', 'authenticator'];

/** AWS managed access policy that makes an access entry a cluster admin. */
export const CLUSTER_ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/** Read access to every resource, Secrets included (Helm release state and refreshed Secrets need it). */
export const CLUSTER_ADMIN_VIEW_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy';
