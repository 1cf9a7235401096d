import fp from 'fastify-plugin';
import type { Env } from '@zumo/config';

declare module 'fastify' {
  interface FastifyInstance {
    /** The validated environment; routes read this, never `process.env`. */
    config: Readonly<Env>;
  }
}

export default fp<{ config: Readonly<Env> }>(
  async (fastify, { config }) => {
    fastify.decorate('config', config);
  },
  { name: 'config' },
);
