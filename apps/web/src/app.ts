import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { PATHS, type Env } from '@zumo/config';
import configPlugin from './plugins/app/config.js';
import lifecycle from './plugins/app/lifecycle.js';
import validation from './plugins/app/validation.js';
import clientAddress from './plugins/app/client-address.js';
import jsonBody from './plugins/app/json-body.js';
import requestId from './plugins/app/request-id.js';
import securityHeaders from './plugins/app/security-headers.js';
import metrics from './plugins/app/metrics.js';
import httpConformance from './plugins/app/http-conformance.js';
import database from './plugins/app/database.js';
import runtimeInfo from './plugins/app/runtime-info.js';
import sentry from './plugins/external/sentry.js';
import underPressure from './plugins/external/under-pressure.js';
import rateLimit from './plugins/external/rate-limit.js';
import staticFiles from './plugins/external/static.js';
import opsRoutes from './routes/ops.js';
import infoRoutes from './routes/api/info.js';
import legacyRoutes from './routes/api/legacy.js';
import messagesRoutes from './routes/api/messages/index.js';
import { errorHandler, notFoundHandler } from './errors/error-handler.js';

export interface AppOptions {
  readonly config: Readonly<Env>;
  /** The built page (index.html + assets/); the API alone is served when absent. */
  readonly publicDir?: string | undefined;
}

/**
 * The composition root: everything the service is, registered in dependency order. It is
 * wrapped with fastify-plugin so decorators, hooks and handlers apply to the whole server.
 * server.ts owns the process (logger, listen, signals); tests register this same plugin.
 */
async function app(fastify: FastifyInstance, { config, publicDir }: AppOptions) {
  await fastify.register(configPlugin, { config });
  await fastify.register(clientAddress);
  await fastify.register(jsonBody);
  await fastify.register(lifecycle);
  await fastify.register(validation);
  await fastify.register(requestId);
  await fastify.register(securityHeaders);
  await fastify.register(metrics);
  await fastify.register(httpConformance);
  await fastify.register(sentry);
  await fastify.register(database);
  await fastify.register(runtimeInfo);
  await fastify.register(underPressure);
  await fastify.register(rateLimit);

  fastify.setErrorHandler(errorHandler);
  fastify.setNotFoundHandler(notFoundHandler);

  await fastify.register(opsRoutes);
  await fastify.register(infoRoutes, { prefix: PATHS.api });
  await fastify.register(legacyRoutes, { prefix: PATHS.api });
  await fastify.register(messagesRoutes, { prefix: `${PATHS.api}/messages` });
  await fastify.register(staticFiles, { publicDir });
}

export default fp(app, { name: 'zumo-web' });
