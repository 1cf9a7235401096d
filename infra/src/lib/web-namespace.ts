import { APP } from '@zumo/config';

/**
 * The web app's namespace, owned by Pulumi rather than git: its Pod Security Standards labels would
 * otherwise be one commit away from `privileged`. Enforce, audit and warn at `restricted`, the
 * latest version of the standard (Kubernetes docs, "Enforce Pod Security Standards with Namespace
 * Labels": pod-security.kubernetes.io/<mode> and <mode>-version). The load balancer controller
 * adds its readiness gate to the pods of namespaces labelled for it, so a new pod counts as ready
 * only once it is healthy in the target group and a rollout never removes the last healthy target
 * (aws-load-balancer-controller docs/deploy/pod_readiness_gate.md).
 */
export function webNamespace() {
  const modes = ['enforce', 'audit', 'warn'] as const;
  return {
    metadata: {
      name: APP.namespace,
      labels: {
        'app.kubernetes.io/part-of': 'zumo',
        'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
        ...Object.fromEntries(
          modes.flatMap((mode) => [
            [`pod-security.kubernetes.io/${mode}`, 'restricted'],
            [`pod-security.kubernetes.io/${mode}-version`, 'latest'],
          ]),
        ),
      },
    },
  };
}
