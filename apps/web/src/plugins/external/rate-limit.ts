import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';

/**
 * Rate limiting is opt-in per route (`config.rateLimit`). The key is the library's default:
 * request.ip (the visitor behind CloudFront and the ALB, see server-options.ts), with IPv6
 * addresses grouped by their /64 (a single client usually holds a whole /64, so keying on the
 * full address would give it 2^64 budgets) and IPv4-mapped IPv6 counted as the IPv4 address.
 */
export default fp(
  async (fastify) => {
    await fastify.register(rateLimit, {
      global: false,
      ipv6Subnet: 64,
      errorResponseBuilder: (_request, context) => ({
        statusCode: context.statusCode,
        error: 'Too Many Requests',
        message: `Rate limit exceeded: at most ${context.max} requests per minute; retry in ${Math.ceil(context.ttl / 1000)} s`,
      }),
    });
  },
  { name: 'rate-limit' },
);
