import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Info } from '../../schemas/common.js';

/** GET /api/info: where and what is answering, for the page's live panel. */
const info: FastifyPluginAsyncTypebox = async (fastify) => {
  const { runtimeInfo, lifecycle, config } = fastify;
  const startedAt = lifecycle.startedAt.toISOString();

  fastify.get('/info', { schema: { response: { 200: Info } } }, async () => {
    const now = Date.now();
    return {
      podName: runtimeInfo.podName,
      podIp: runtimeInfo.podIp,
      namespace: runtimeInfo.namespace,
      nodeName: runtimeInfo.nodeName,
      hostname: runtimeInfo.hostname,
      release: config.RELEASE,
      startedAt,
      uptimeSeconds: Math.round((now - lifecycle.startedAt.getTime()) / 100) / 10,
      servedAt: new Date(now).toISOString(),
      runtime: runtimeInfo.runtime,
    };
  });
};

export default info;
