/**
 * The names every part of Zumo must agree on. App and infra import these values. The files that
 * cannot import them (deploy/'s YAML, apps/web/Dockerfile, the generated tables in docs/) repeat
 * them, and their tests compare each copy with these values, so a change here fails a test that
 * names every file still holding the old value.
 */
export const APP = {
  /** Kubernetes object names, the Argo CD Application, the Sentry project. */
  name: 'web',
  /** The namespace Argo CD creates for the app. */
  namespace: 'zumo',
  /** The port the container listens on; Service, target group and probes use it. */
  containerPort: 8080,
  /** ECR repository name (without registry host). */
  imageRepository: 'zumo/web',
  /** Where the SQLite volume is mounted in the pod. */
  dataMountPath: '/data',
  /** The uid the image runs as; the pod securityContext must match. */
  runAsUser: 10001,
} as const;

/** HTTP paths shared by the service, probes, load balancer health checks and CloudFront behaviours. */
export const PATHS = {
  /** Liveness: answers without I/O while the process runs. */
  health: '/healthz',
  /** Readiness: the database answers and the process is not under pressure or shutting down. */
  ready: '/readyz',
  /** Prometheus exposition. */
  metrics: '/metrics',
  /** Prefix of every JSON API route (and of the CloudFront behaviour that reaches the service). */
  api: '/api',
  /** Prefix of content-hashed static assets. */
  assets: '/assets',
} as const;

/**
 * Downward API variables the pod receives: env name -> the pod field it comes from.
 * The manifests render these as `valueFrom.fieldRef.fieldPath`.
 */
export const DOWNWARD_API_ENV = {
  POD_NAME: 'metadata.name',
  POD_NAMESPACE: 'metadata.namespace',
  POD_IP: 'status.podIP',
  NODE_NAME: 'spec.nodeName',
} as const;

export type DownwardApiVariable = keyof typeof DOWNWARD_API_ENV;

/** The node label that names a node's group, and the group's name (infra NodePools). */
export const NODE_POOL = { label: 'zumo.dev/pool', general: 'general' } as const;
