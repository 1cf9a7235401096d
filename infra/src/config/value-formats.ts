/**
 * The shapes a stack config value may take (stack-config.ts applies them): names, ARNs, domains,
 * revisions Argo CD can track, and address ranges.
 */
import ipaddr from 'ipaddr.js';

export const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
/** GitHub's default `sub` prefix: names only, or names with their immutable numeric ids (both). */
export const SUBJECT_PREFIX = /^repo:([A-Za-z0-9-]{1,39})(@[1-9]\d{0,19})?\/([A-Za-z0-9._-]{1,100})(@[1-9]\d{0,19})?$/;
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
export const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
export const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/**
 * What Argo CD may track without ambiguity. Its repo-server resolves a short name against every
 * ref whose short form matches, branches and tags alike, and takes whichever comes first
 * (argo-cd v3.4.7 util/git/client.go lsRemote: `ref.Name().Short() == revision`), so a tag named
 * like the branch could be synced instead; a full ref is only compared whole (`refName ==
 * revision`; IsShortRef in util/git/git.go), and argo-cd docs/user-guide/tracking_strategies.md
 * ("Handling Ambiguous Git References") asks for one. An abbreviated SHA is taken as a commit only
 * when no ref matches it. Segments follow git check-ref-format: no leading dot, no "..", no ".lock".
 */
export function isTrackedRevision(revision: unknown): boolean {
  if (typeof revision !== 'string' || revision.length > 200) return false;
  if (/^[0-9a-f]{40}$/.test(revision)) return true;
  const match = /^refs\/(heads|tags)\/(.+)$/.exec(revision);
  return (
    match !== null &&
    match[2]!
      .split('/')
      .every((segment) => /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(segment) && !/\.\.|\.lock$|\.$/.test(segment))
  );
}
export const OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
export const POLICY_ARN = /^arn:aws[a-z-]*:iam::\d{12}:policy\/[\w+=,.@/-]{1,128}$/;
export const CONNECTION_ARN =
  /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;
// Deliberately simple: SNS sends a confirmation mail, which is the real check of an address.
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A private (RFC 1918) IPv4 CIDR with a prefix from /16 to /18: a /18 holds the subnets of three
 * AZs (lib/network-plan.ts), a /19 not even two.
 */
export function isPrivateVpcCidr(cidr: string): boolean {
  if (!ipaddr.IPv4.isValidCIDR(cidr)) return false;
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  if (prefix < 16 || prefix > 18) return false;
  if (address.toString() !== ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()) return false;
  return address.range() === 'private';
}

/**
 * RFC 5737's documentation ranges (TEST-NET-1 to 3): what examples and the stack files' placeholder
 * use, never the address of a real workstation. An API endpoint that admits only them admits
 * nobody: the first `pulumi up` runs from an admin's machine (the CI runner is created by that same
 * up), and every Kubernetes resource of it would time out.
 */
export const DOCUMENTATION_RANGES = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'] as const;

/** A public IPv4 CIDR for the EKS API allow-list (not private: the private endpoint covers those). */
export function isValidAllowCidr(cidr: string): boolean {
  return (
    ipaddr.IPv4.isValidCIDR(cidr) &&
    ipaddr.IPv4.parseCIDR(cidr)[0].toString() === ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()
  );
}
