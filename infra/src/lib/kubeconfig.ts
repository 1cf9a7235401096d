/**
 * A kubeconfig that authenticates with `aws eks get-token` as whoever runs it (the AWS CLI must
 * be installed): the Pulumi Kubernetes provider and humans use the same one. It grants nothing
 * by itself; the caller's IAM role needs an EKS access entry.
 */
export function kubeconfig(cluster: { name: string; endpoint: string; certificateAuthority: string; region: string }) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster.name,
        cluster: { server: cluster.endpoint, 'certificate-authority-data': cluster.certificateAuthority },
      },
    ],
    contexts: [{ name: cluster.name, context: { cluster: cluster.name, user: cluster.name } }],
    'current-context': cluster.name,
    users: [
      {
        name: cluster.name,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: ['eks', 'get-token', '--cluster-name', cluster.name, '--region', cluster.region, '--output', 'json'],
            interactiveMode: 'Never',
          },
        },
      },
    ],
  };
}
