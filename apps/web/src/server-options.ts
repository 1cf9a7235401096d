import type { RequestListener, Server } from 'node:http';
import type { FastifyHttpOptions, FastifyServerOptions } from 'fastify';
import { HTTP_LIMITS, type Env } from '@zumo/config';
import { compile } from '@fastify/proxy-addr';
import type { DestinationStream } from 'pino';
import { RequestRecorder } from './logging/request-recorder.js';
import { LOG_SERIALIZERS } from './logging/log-serializers.js';
import { newRequestId } from './plugins/app/request-id.js';
import { MAX_PARAM_LENGTH, clientErrorHandler, frameworkErrorHandler } from './errors/framework-errors.js';
import { GracefulServer } from './http/graceful-server.js';
import { limitConnectionsPerClient } from './http/connection-limit.js';

/**
 * Which X-Forwarded-For entries to believe: at most TRUST_PROXY_HOPS of them, and only when the
 * connection itself comes from TRUSTED_PROXY_CIDRS (the load balancer's VPC range). A client
 * talking to the service directly therefore cannot choose its own address (and rate-limit key)
 * by sending the header. (Fastify's bare hop count now trusts nothing, hence the function.)
 * Entries that are not addresses are cut off first (plugins/app/client-address.ts).
 */
export function proxyTrust(config: Readonly<Env>): false | ((address: string, hop: number) => boolean) {
  if (config.TRUST_PROXY_HOPS === 0) return false;
  const isTrustedPeer = trustedPeer(config);
  return (address, hop) => hop < config.TRUST_PROXY_HOPS && (hop > 0 || isTrustedPeer(address));
}

/** Whether a TCP peer is the trusted proxy (the load balancer): in TRUSTED_PROXY_CIDRS, and only
 * when TRUST_PROXY_HOPS > 0; without proxies, no range is special. */
export function trustedPeer(config: Readonly<Env>): (address: string) => boolean {
  if (config.TRUST_PROXY_HOPS === 0) return () => false;
  const inRange = compile(config.TRUSTED_PROXY_CIDRS.split(','));
  return (address) => inRange(address, 0);
}

/** The largest accepted request body: a message is at most 280 characters, so 16 KiB is ample. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Logger settings: JSON to `stream` (stdout when absent); pretty only for a person at a terminal
 * (and when installed). Credentials in logged headers are censored (logging/log-serializers.ts).
 */
export function loggerOptions(
  config: Readonly<Env>,
  prettyAvailable: boolean,
  stream?: DestinationStream,
): FastifyServerOptions['logger'] {
  const pretty = prettyAvailable && process.stdout.isTTY;
  return {
    level: config.LOG_LEVEL,
    serializers: LOG_SERIALIZERS,
    ...(pretty ? { transport: { target: 'pino-pretty' } } : stream ? { stream } : {}),
  };
}

/**
 * The node:http server, with the limits of HTTP_LIMITS (in the contract, next to the memory budget
 * they are part of): slow or silent clients are cut off after seconds, idle keep-alive
 * connections outlive the ALB's idle timeout, at most maxConnections sockets are held, and at
 * most MAX_CONNECTIONS_PER_CLIENT of them by one client (http/connection-limit.ts). Its close()
 * ends every connection within the shutdown grace (http/graceful-server.ts).
 */
export function createHttpServer(handler: RequestListener, config: Readonly<Env>): Server {
  const server = new GracefulServer(
    {
      headersTimeout: HTTP_LIMITS.headersTimeoutMs,
      requestTimeout: HTTP_LIMITS.requestTimeoutMs,
      keepAliveTimeout: HTTP_LIMITS.keepAliveTimeoutMs,
      connectionsCheckingInterval: HTTP_LIMITS.connectionsCheckingIntervalMs,
      maxHeaderSize: HTTP_LIMITS.maxHeaderBytes,
      // The app checks Host itself (plugins/app/http-conformance.ts), so the 400 has its shape.
      requireHostHeader: false,
    },
    handler,
    config.SHUTDOWN_GRACE_MS,
  );
  server.maxConnections = HTTP_LIMITS.maxConnections;
  limitConnectionsPerClient(server, config.MAX_CONNECTIONS_PER_CLIENT, trustedPeer(config));
  return server;
}

/** Server options shared by the real process and the tests, so tests exercise what runs. */
export function serverOptions(
  config: Readonly<Env>,
  logger: FastifyServerOptions['logger'],
): FastifyHttpOptions<Server> {
  return {
    logger,
    logController: new RequestRecorder(),
    requestIdHeader: false,
    genReqId: newRequestId,
    trustProxy: proxyTrust(config),
    bodyLimit: BODY_LIMIT_BYTES,
    serverFactory: (handler) => createHttpServer(handler, config),
    // With a serverFactory Fastify closes idle keep-alive connections itself when it closes.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // The database plugin may wait BOOT_WAIT_MS (40 s) for a resuming PostgreSQL; Fastify's default is 10 s.
    pluginTimeout: 50_000,
  };
}
