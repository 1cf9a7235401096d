import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, Nullable } from '../../schemas/common.js';
import { errorBody } from '../../errors/error-handler.js';

/**
 * The seed's routes, kept with their snake_case shapes so existing clients keep working.
 * New clients use /api/info and /api/messages.
 */
const legacy: FastifyPluginAsyncTypebox = async (fastify) => {
  const { runtimeInfo } = fastify;

  fastify.get(
    '/kubernetes-info',
    {
      schema: {
        response: {
          200: Type.Object({
            pod_name: Nullable(Type.String()),
            pod_ip: Nullable(Type.String()),
            namespace: Nullable(Type.String()),
            kubernetes_api: Nullable(Type.String()),
          }),
        },
      },
    },
    async () => ({
      pod_name: runtimeInfo.podName,
      pod_ip: runtimeInfo.podIp,
      namespace: runtimeInfo.namespace,
      kubernetes_api: runtimeInfo.kubernetesApi,
    }),
  );

  fastify.get(
    '/server-info',
    { schema: { response: { 200: Type.Object({ hostname: Type.String(), ip: Nullable(Type.String()) }) } } },
    async () => ({ hostname: runtimeInfo.hostname, ip: runtimeInfo.podIp }),
  );

  fastify.get(
    '/message',
    { schema: { response: { 200: Type.Object({ message: Type.String() }), 404: ErrorResponse } } },
    async (_request, reply) => {
      const message = await fastify.messages.newestContent();
      if (message === undefined) return reply.code(404).send(errorBody(404, 'There are no messages yet'));
      return { message };
    },
  );
};

export default legacy;
