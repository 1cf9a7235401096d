/**
 * How long the service waits for a client, and how many it holds at once. Behind the ALB the
 * balancer reuses idle connections for up to its idle timeout, so the service must keep them open
 * longer than that (or the ALB sends a request on a socket we just closed: a 502). Slow or silent
 * clients get much less: each held socket costs memory (see memory-budget.ts).
 */
export const HTTP_LIMITS = {
  /** The ALB's idle timeout (infra sets it; AWS's default too). */
  loadBalancerIdleTimeoutMs: 60_000,
  /** Idle keep-alive connections are closed after this: above the ALB's idle timeout. */
  keepAliveTimeoutMs: 65_000,
  /** All request headers must arrive within this, from the first byte (ALB sends them at once). */
  headersTimeoutMs: 10_000,
  /** The whole request, body included (at most 16 KiB), must arrive within this. */
  requestTimeoutMs: 20_000,
  /** How often Node checks the two timeouts above: the most a slow client outlives them by. */
  connectionsCheckingIntervalMs: 1_000,
  /** Request headers above this are refused with 431 (Node's default is 16 KiB). */
  maxHeaderBytes: 16 * 1024,
  /** Open connections at most; more are dropped at once. Its memory is in the budget. */
  maxConnections: 2_000,
  /**
   * Default of MAX_CONNECTIONS_PER_CLIENT: open connections one client address (an IPv6 /64) may
   * hold. A browser opens at most 6 per host over HTTP/1.1, so 100 leaves room for about 16 behind
   * one NAT address, while one address holds at most 5 % of maxConnections: filling them takes 20.
   */
  maxConnectionsPerClient: 100,
} as const;
