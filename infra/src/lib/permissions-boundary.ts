import * as pulumi from '@pulumi/pulumi';

const ROLE = 'aws:iam/role:Role';

/**
 * Puts the stack's permissions boundary on every IAM role the program declares, including the
 * roles packaged components create inside themselves (pulumi-eks's cluster role): a resource
 * transform reaches the children of packaged components, which component arguments do not
 * (Pulumi docs, "transforms"). The infra role may only create roles that carry it
 * (lib/boundary.ts), so a role without it would fail the next `pulumi up` from CI.
 */
export function enforcePermissionsBoundary(boundaryArn: string): void {
  const withBoundary = <T extends { type: string; props: Record<string, unknown>; opts: O }, O>(args: T) =>
    args.type === ROLE ? { props: { ...args.props, permissionsBoundary: boundaryArn }, opts: args.opts } : undefined;
  pulumi.runtime.registerResourceTransform(withBoundary);
}
