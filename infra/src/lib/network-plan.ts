import ipaddr from 'ipaddr.js';

/**
 * The subnet layout of the VPC, computed here and handed to awsx as explicit CIDR blocks, so the
 * same numbers feed the VPC, the NetworkPolicy and TRUSTED_PROXY_CIDRS of the web app (through
 * the Pulumi-created Application) and the reachability checks. Nothing else derives subnet ranges.
 *
 * Per AZ: a private /20 for nodes and pods (the VPC CNI gives every pod a VPC address), a public
 * /22 for the NAT gateway, and an isolated /26 for the internal ALB alone. The ALB gets its own
 * subnets so that "from the load balancer" is an address range holding no pod: a NetworkPolicy
 * ipBlock can only name addresses, and the private subnets also hold every pod.
 */
export const SUBNET_TIERS = [
  { tier: 'private', prefix: 20 },
  { tier: 'public', prefix: 22 },
  // AWS: an ALB subnet needs at least a /27 with 8 free addresses; a /26 leaves room to scale.
  { tier: 'lb', prefix: 26 },
] as const;

export type SubnetTier = (typeof SUBNET_TIERS)[number]['tier'];

export interface SubnetPlan {
  readonly vpcCidr: string;
  /** One CIDR per AZ, in AZ order, per tier. */
  readonly private: readonly string[];
  readonly public: readonly string[];
  readonly lb: readonly string[];
}

const size = (prefix: number) => 2 ** (32 - prefix);

/** Addresses the layout needs for `zones` AZs (every tier, every AZ). */
export function addressesNeeded(zones: number): number {
  return zones * SUBNET_TIERS.reduce((sum, t) => sum + size(t.prefix), 0);
}

/** The most AZs a VPC of this prefix length holds with the layout above. */
export function maxZonesFor(prefix: number): number {
  return Math.floor(size(prefix) / addressesNeeded(1));
}

/**
 * Tiers are packed one after another from the VPC's base address, largest first, so every block
 * starts aligned to its own size (sizes are powers of two in descending order). Throws when the
 * VPC is too small; stack config validation calls maxZonesFor first to give a config error.
 */
export function planSubnets(vpcCidr: string, zones: number): SubnetPlan {
  const [base, prefix] = ipaddr.IPv4.parseCIDR(vpcCidr);
  if (addressesNeeded(zones) > size(prefix)) {
    throw new Error(
      `VPC ${vpcCidr} has ${size(prefix)} addresses; ${zones} AZs need ${addressesNeeded(zones)} (at most ${maxZonesFor(prefix)} AZs fit)`,
    );
  }
  const start = base.toByteArray().reduce((n, byte) => n * 256 + byte, 0);
  if (base.toString() !== ipaddr.IPv4.networkAddressFromCIDR(vpcCidr).toString())
    throw new Error(`${vpcCidr} is not a network address`);
  let next = start;
  const tiers: Record<SubnetTier, string[]> = { private: [], public: [], lb: [] };
  for (const { tier, prefix: subnetPrefix } of SUBNET_TIERS) {
    for (let zone = 0; zone < zones; zone++) {
      tiers[tier].push(`${toAddress(next)}/${subnetPrefix}`);
      next += size(subnetPrefix);
    }
  }
  return { vpcCidr, ...tiers };
}

function toAddress(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Whether CIDR `inner` lies inside CIDR `outer` (both IPv4). */
export function cidrContains(outer: string, inner: string): boolean {
  const [innerAddress, innerPrefix] = ipaddr.IPv4.parseCIDR(inner);
  const [outerAddress, outerPrefix] = ipaddr.IPv4.parseCIDR(outer);
  return innerPrefix >= outerPrefix && innerAddress.match(outerAddress, outerPrefix);
}

/** Whether two IPv4 CIDRs share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}
