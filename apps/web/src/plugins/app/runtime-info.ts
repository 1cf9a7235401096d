import { hostname, networkInterfaces } from 'node:os';
import fp from 'fastify-plugin';
import type { Env } from '@zumo/config';

/** Facts about where this process runs; fixed for its lifetime, so computed once at boot. */
export interface RuntimeInfo {
  readonly runtime: 'kubernetes' | 'local';
  readonly podName: string | null;
  readonly podIp: string | null;
  readonly namespace: string | null;
  readonly nodeName: string | null;
  readonly hostname: string;
  readonly kubernetesApi: string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    runtimeInfo: RuntimeInfo;
  }
}

/** The first non-internal IPv4 address, else IPv6, else null: what a peer would connect to. */
export function primaryAddress(): string | null {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal);
  return (addresses.find((a) => a!.family === 'IPv4') ?? addresses[0])?.address ?? null;
}

/**
 * In a pod the Downward API variables say who we are; outside Kubernetes the OS does, and the
 * pod-only fields stay null rather than being made up.
 */
export function readRuntimeInfo(config: Readonly<Env>): RuntimeInfo {
  const inKubernetes = config.POD_NAME !== undefined || config.KUBERNETES_SERVICE_HOST !== undefined;
  const host = hostname();
  const apiHost = config.KUBERNETES_SERVICE_HOST;
  const bracketed = apiHost?.includes(':') ? `[${apiHost}]` : apiHost;
  return {
    runtime: inKubernetes ? 'kubernetes' : 'local',
    podName: config.POD_NAME ?? null,
    podIp: config.POD_IP ?? primaryAddress(),
    namespace: config.POD_NAMESPACE ?? null,
    nodeName: config.NODE_NAME ?? (inKubernetes ? null : host),
    hostname: host,
    kubernetesApi: bracketed ? `https://${bracketed}:${config.KUBERNETES_SERVICE_PORT ?? 443}` : null,
  };
}

export default fp(
  async (fastify) => {
    fastify.decorate('runtimeInfo', readRuntimeInfo(fastify.config));
  },
  { name: 'runtime-info', dependencies: ['config'] },
);
