import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { CLUSTER_ADMIN_POLICY, CLUSTER_ADMIN_VIEW_POLICY } from '../lib/eks.js';

export interface CiClusterAccessArgs {
  readonly clusterName: pulumi.Input<string>;
  /** Runs `pulumi up`: creates and deletes every Kubernetes object of the program. */
  readonly infraRoleArn: pulumi.Input<string>;
  /** Runs previews and drift's `preview --refresh`: reads every object the program owns. */
  readonly previewRoleArn: pulumi.Input<string>;
  readonly tags?: Record<string, string>;
}

/**
 * EKS access entries for the CI roles that talk to the Kubernetes API: the infra role as cluster
 * admin, the preview role read-only. The preview role gets AmazonEKSAdminViewPolicy, not
 * AmazonEKSViewPolicy: the latter excludes Secrets, and a refresh reads the Secrets the program
 * declares and the Helm release records (Secrets of type helm.sh/release.v1).
 */
export class CiClusterAccess extends pulumi.ComponentResource {
  constructor(name: string, args: CiClusterAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:ci:CiClusterAccess', name, {}, opts);
    const grant = (kind: string, principalArn: pulumi.Input<string>, policyArn: string) => {
      const entry = new aws.eks.AccessEntry(
        `${name}-${kind}`,
        { clusterName: args.clusterName, principalArn, type: 'STANDARD', tags: args.tags },
        { parent: this },
      );
      new aws.eks.AccessPolicyAssociation(
        `${name}-${kind}`,
        { clusterName: args.clusterName, principalArn, policyArn, accessScope: { type: 'cluster' } },
        { parent: this, dependsOn: [entry] },
      );
    };
    grant('infra', args.infraRoleArn, CLUSTER_ADMIN_POLICY);
    grant('preview', args.previewRoleArn, CLUSTER_ADMIN_VIEW_POLICY);
    this.registerOutputs({});
  }
}
