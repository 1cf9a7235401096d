import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IsoTimestamp, Nullable } from '../../schemas/common.js';

const Info = Type.Object({
  podName: Nullable(Type.String()),
  podIp: Nullable(Type.String()),
  namespace: Nullable(Type.String()),
  nodeName: Nullable(Type.String()),
  hostname: Type.String(),
  release: Type.String(),
  startedAt: IsoTimestamp,
  uptimeSeconds: Type.Number({ minimum: 0 }),
  servedAt: IsoTimestamp,
  runtime: Type.Union([Type.Literal('kubernetes'), Type.Literal('local')]),
});

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
