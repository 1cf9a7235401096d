import type { FastifyServerOptions } from 'fastify';
import type { Env } from '@zumo/config';
import { compile } from '@fastify/proxy-addr';
import { AccessLogController } from './logging/access-log-controller.js';
import { requestIdFrom } from './plugins/app/request-id.js';

/**
 * Which X-Forwarded-For entries to believe: at most TRUST_PROXY_HOPS of them, and only when the
 * connection itself comes from TRUSTED_PROXY_CIDRS (the load balancer's VPC range). A client
 * talking to the service directly therefore cannot choose its own address (and rate-limit key)
 * by sending the header. (Fastify's bare hop count now trusts nothing, hence the function.)
 */
export function proxyTrust(config: Readonly<Env>): false | ((address: string, hop: number) => boolean) {
  if (config.TRUST_PROXY_HOPS === 0) return false;
  const isTrustedPeer = compile(config.TRUSTED_PROXY_CIDRS.split(','));
  return (address, hop) => hop < config.TRUST_PROXY_HOPS && (hop > 0 || isTrustedPeer(address, hop));
}

/** The largest accepted request body: a message is at most 280 characters, so 16 KiB is ample. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** Logger settings: JSON to stdout; pretty only for a person at a terminal (and when installed). */
export function loggerOptions(config: Readonly<Env>, prettyAvailable: boolean): FastifyServerOptions['logger'] {
  return {
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'headers.authorization',
        'headers.cookie',
      ],
      censor: '[redacted]',
    },
    ...(prettyAvailable && process.stdout.isTTY ? { transport: { target: 'pino-pretty' } } : {}),
  };
}

/** Server options shared by the real process and the tests, so tests exercise what runs. */
export function serverOptions(config: Readonly<Env>, logger: FastifyServerOptions['logger']): FastifyServerOptions {
  return {
    logger,
    logController: new AccessLogController(),
    requestIdHeader: false,
    genReqId: requestIdFrom,
    trustProxy: proxyTrust(config),
    bodyLimit: BODY_LIMIT_BYTES,
    // Longer than the ALB's 60 s idle timeout, so the balancer closes idle sockets first (no 502s).
    keepAliveTimeout: 65_000,
    requestTimeout: 30_000,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 100 },
  };
}
