import { APP } from '@zumo/config';

/**
 * The web app's namespace, owned by Pulumi rather than git: its Pod Security Standards labels would
 * otherwise be one commit away from `privileged`. Enforce, audit and warn at `restricted`, the
 * latest version of the standard (Kubernetes docs, "Enforce Pod Security Standards with Namespace
 * Labels": pod-security.kubernetes.io/<mode> and <mode>-version).
 */
export function webNamespace() {
  const modes = ['enforce', 'audit', 'warn'] as const;
  return {
    metadata: {
      name: APP.namespace,
      labels: {
        'app.kubernetes.io/part-of': 'zumo',
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
