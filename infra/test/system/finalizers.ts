/**
 * Objects that block their own deletion until a controller clears a finalizer, and which Pulumi
 * resource runs that controller. On `pulumi destroy` the resource that makes such an object exist
 * (an Application, through Argo CD) must be deleted while the controller, and the nodes it runs
 * on, still exist; otherwise the delete hangs until it times out.
 */
import type { Registered } from '../mocks.js';
import type { ResourceGraph } from './graph.js';
import { select, type Select } from './order-rules.js';

export interface Finalizer {
  readonly kind: string;
  readonly finalizer: string;
  /** The Pulumi resources whose workloads clear it. */
  readonly clearedBy: Select;
  readonly why: string;
}

export const FINALIZERS: Finalizer[] = [
  {
    kind: 'TargetGroupBinding',
    finalizer: 'elbv2.k8s.aws/resources',
    clearedBy: select.helm('aws-load-balancer-controller'),
    why: 'only the AWS Load Balancer Controller removes it, after deregistering the targets',
  },
  {
    kind: 'Application',
    finalizer: 'resources-finalizer.argocd.argoproj.io',
    clearedBy: select.helm('argo-cd'),
    why: "Argo CD's application controller deletes the app's objects, then the finalizer",
  },
  {
    kind: 'PersistentVolumeClaim',
    finalizer: 'external-provisioner.volume.kubernetes.io/finalizer (on its volume)',
    clearedBy: select.addon('aws-ebs-csi-driver'),
    why: 'with reclaimPolicy Delete the EBS CSI controller deletes the EBS volume, then the finalizer',
  },
];

/** Every controller runs in pods: the nodes must outlive whatever waits for a controller. */
export const CONTROLLERS_RUN_ON = select.nodeGroup;

/**
 * The AWS identity a controller's pods act with: the Pod Identity associations of its service
 * account (a Helm release's namespace and `serviceAccount.name` value, or an EKS add-on's own
 * `podIdentityAssociations`), and every policy of the roles they hand out. A controller that
 * clears finalizers makes AWS calls to do so (deregistering targets, deleting volumes): deleted
 * after any of these, it is refused (AccessDenied) and the finalizer, and the destroy, hang.
 */
export function identityOf(graph: ResourceGraph, controller: Registered): Registered[] {
  const associations = graph.all('aws:eks/podIdentityAssociation:PodIdentityAssociation', (a) => {
    if (controller.type !== 'kubernetes:helm.sh/v3:Release') return false;
    const values = controller.inputs['values'] as { serviceAccount?: { name?: string } } | undefined;
    return (
      a.inputs['namespace'] === controller.inputs['namespace'] &&
      a.inputs['serviceAccount'] === values?.serviceAccount?.name
    );
  });
  const roles = new Set([
    ...associations.flatMap((a) => a.propertyDependencies['roleArn'] ?? []),
    ...(controller.propertyDependencies['podIdentityAssociations'] ?? []),
  ]);
  const policies = graph.resources.filter(
    (r) =>
      ['aws:iam/rolePolicy:RolePolicy', 'aws:iam/rolePolicyAttachment:RolePolicyAttachment'].includes(r.type) &&
      (r.propertyDependencies['role'] ?? []).some((role) => roles.has(role)),
  );
  return [...associations, ...policies];
}
