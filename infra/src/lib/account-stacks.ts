/**
 * The stacks one account's bootstrap supports, and their DNS domains: bootstrap's `stacks` and
 * `stackDomains` config, checked against what a permissions boundary can hold and fence.
 */

/**
 * Each boundary fences every other stack by name and tag, so it grows with their number and their
 * names' length. Two stacks of up to ten characters keep each boundary 10% under IAM's 6,144
 * characters for a managed policy with a 63-character state bucket (identity/sizes.ts
 * measures it); a third stack belongs in an account of its own (docs/delivery.md, "IAM size limits").
 */
export const MAX_ACCOUNT_STACKS = 2;
const STACK_NAME = /^[a-z][a-z0-9-]{0,9}$/;
/**
 * A stack's domain appears four times in the worst boundary (its names and its subdomains', in its
 * own fence and, nested, in the other's): this keeps it 10% under IAM's quota (identity/sizes.ts).
 */
export const MAX_STACK_DOMAIN_LENGTH = 96;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The stack list bootstrap's `stacks` config gives, checked against what a boundary can hold. */
export function accountStacks(value: unknown): string[] {
  const example = 'a list of one or two stack names such as ["dev","prod"]';
  if (!Array.isArray(value) || value.length === 0)
    throw new Error(`zumo-bootstrap:stacks must be ${example}, got ${JSON.stringify(value)}`);
  const bad = value.filter((s) => typeof s !== 'string' || !STACK_NAME.test(s));
  if (bad.length)
    throw new Error(
      `zumo-bootstrap:stacks: ${bad.map((s) => JSON.stringify(s)).join(', ')} is not a stack name ` +
        `(lowercase letters, digits and '-', starting with a letter, at most 10 characters)`,
    );
  if (new Set(value).size !== value.length)
    throw new Error(`zumo-bootstrap:stacks names a stack twice: ${JSON.stringify(value)}`);
  if (value.length > MAX_ACCOUNT_STACKS)
    throw new Error(
      `zumo-bootstrap:stacks: at most ${MAX_ACCOUNT_STACKS} stacks per account, got ${value.length}: each ` +
        `boundary fences every other stack and would outgrow IAM's 6,144 characters; put a further stack ` +
        `in an account of its own (docs/delivery.md, "IAM size limits")`,
    );
  return value as string[];
}

/**
 * bootstrap's `stackDomains`: the DNS domain of each stack that has one (its `domainName`), the
 * only names that stack's roles may write records for. Two stacks may not share a domain.
 */
export function accountStackDomains(value: unknown, stacks: readonly string[]): Record<string, string> {
  const example = 'an object of stack name to DNS domain such as {"prod":"zumo.example.com"}';
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`zumo-bootstrap:stackDomains must be ${example}, got ${JSON.stringify(value)}`);
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [stack, domain] of entries) {
    if (!stacks.includes(stack))
      throw new Error(`zumo-bootstrap:stackDomains: ${stack} is not one of the stacks (${stacks.join(', ')})`);
    if (typeof domain !== 'string' || !DOMAIN.test(domain) || domain.length > MAX_STACK_DOMAIN_LENGTH)
      throw new Error(
        `zumo-bootstrap:stackDomains.${stack}: ${JSON.stringify(domain)} is not a lower-case DNS name of at most ` +
          `${MAX_STACK_DOMAIN_LENGTH} characters such as zumo.example.com (its boundary names it four times)`,
      );
  }
  const domains = entries.map(([, domain]) => domain as string);
  if (new Set(domains).size !== domains.length)
    throw new Error(`zumo-bootstrap:stackDomains gives two stacks one domain: ${JSON.stringify(value)}`);
  return Object.fromEntries(entries) as Record<string, string>;
}
