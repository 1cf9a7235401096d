import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Whom a connection counts against: its IPv4 address (an IPv4-mapped IPv6 address counts as the
 * IPv4 one), or the /64 of its IPv6 address, since one client usually holds a whole /64 (as the
 * rate limit keys it, plugins/external/rate-limit.ts). Unparsable text is its own key.
 */
export function clientKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv4') return ip.toString();
  const v6 = ip as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${v6.parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(':')}::/64`;
}

/**
 * At most `max` open connections per client address (clientKey); one more is closed at once,
 * without an answer, as Node closes those above server.maxConnections. Without this, one client
 * could hold every one of the server's slots for the keep-alive time. Peers for which `exempt`
 * is true are not counted: the trusted load balancer, whose few addresses carry every visitor.
 * Checked once per connection, never per request.
 */
export function limitConnectionsPerClient(server: Server, max: number, exempt: (address: string) => boolean): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    // No address: the peer is already gone, and the socket closes by itself.
    if (address === undefined || exempt(address)) return;
    const key = clientKey(address);
    const count = (open.get(key) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(key, count);
    socket.once('close', () => {
      const left = open.get(key)! - 1;
      if (left === 0) open.delete(key);
      else open.set(key, left);
    });
  });
}
