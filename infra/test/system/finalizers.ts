/**
 * Objects that block their own deletion until a controller clears a finalizer, and which Pulumi
 * resource runs that controller. On `pulumi destroy` the resource that makes such an object exist
 * (an Application, through Argo CD) must be deleted while the controller, and the nodes it runs
 * on, still exist; otherwise the delete hangs until it times out.
 */
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
