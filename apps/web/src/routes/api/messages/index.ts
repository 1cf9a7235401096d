import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Author, ErrorResponse, Id, Message, MessageContent, MessagePage, PageLimit } from '../../../schemas/common.js';
import { PATHS } from '@zumo/config';
import { errorBody } from '../../../errors/error-handler.js';

const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);

/** /api/messages: the message board. */
const messages: FastifyPluginAsyncTypebox = async (fastify) => {
  const repository = fastify.messages;

  fastify.get(
    '/',
    {
      schema: {
        querystring: Type.Object({ limit: PageLimit, before: Type.Optional(Id) }),
        response: {
          200: MessagePage,
          400: ErrorResponse,
        },
      },
    },
    async (request) => repository.page(request.query.limit, request.query.before),
  );

  fastify.get(
    '/:id',
    { schema: { params: Type.Object({ id: Id }), response: { 200: Message, 400: ErrorResponse, 404: ErrorResponse } } },
    async (request, reply) => {
      const message = await repository.get(request.params.id);
      if (!message) return reply.code(404).send(errorBody(404, `Message ${request.params.id} does not exist`));
      return message;
    },
  );

  fastify.post(
    '/',
    {
      config: { rateLimit: { max: fastify.config.MESSAGE_RATE_LIMIT, timeWindow: 60_000 } },
      schema: {
        body: Type.Object({ content: MessageContent, author: Type.Optional(Author) }),
        response: {
          201: Message,
          400: ErrorResponse,
          413: ErrorResponse,
          415: ErrorResponse,
          429: ErrorResponse,
        },
      },
      // Limits apply to the text as shown, so surrounding blanks are removed before validation.
      preValidation: async (request) => {
        const body = request.body as Record<string, unknown> | null;
        if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
          body['content'] = trimmed(body['content']);
          body['author'] = trimmed(body['author']);
          if (body['author'] === undefined) delete body['author'];
        }
      },
    },
    async (request, reply) => {
      const message = await repository.create(request.body);
      fastify.metrics.messagesCreated.inc();
      return reply.code(201).header('location', `${PATHS.api}/messages/${message.id}`).send(message);
    },
  );
};

export default messages;
