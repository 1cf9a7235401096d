/**
 * The configurations the tests record the program and bootstrap under, besides each stack's own
 * files: record-all.ts records every one of them before the test files run.
 */

/** GitHub's immutable subject claims (OIDC reference): repositories created after 2026-07-15 send these. */
export const IMMUTABLE_SUBJECT_PREFIX = 'repo:zumo-platform@123456/zumo@456789';
export const IMMUTABLE_SUBJECTS = { 'zumo:githubOidcSubjectPrefix': IMMUTABLE_SUBJECT_PREFIX };

/** Dev with its own domain and hosted zone (the DNS statements of the infra role). */
export const DEV_DOMAIN = 'dev.zumo.example.com';
export const DEV_WITH_DOMAIN = { 'zumo:domainName': DEV_DOMAIN, 'zumo:hostedZoneId': 'ZDEV123' };

/** Bootstrap naming dev's domain in dev's boundary, as docs/infra.md says to. */
export const BOOTSTRAP_DEV_DOMAIN = { 'zumo-bootstrap:stackDomains': { dev: DEV_DOMAIN } };
/** An account with a domain per stack (prod's zone holds dev's name too). */
export const STACK_DOMAINS = { dev: DEV_DOMAIN, prod: 'zumo.example.com' };
export const BOOTSTRAP_STACK_DOMAINS = { 'zumo-bootstrap:stackDomains': STACK_DOMAINS };

type Stack = 'dev' | 'prod';
/** Stack, config overrides, and whether the web overlay holds a release (record-program.ts). */
export const PROGRAM_VARIANTS: [Stack, Record<string, unknown>, 'committed' | 'released'][] = [
  ['dev', {}, 'committed'],
  ['prod', {}, 'committed'],
  ['dev', {}, 'released'],
  ['prod', {}, 'released'],
  ['dev', IMMUTABLE_SUBJECTS, 'committed'],
  ['prod', IMMUTABLE_SUBJECTS, 'committed'],
  ['dev', DEV_WITH_DOMAIN, 'committed'],
];
export const BOOTSTRAP_VARIANTS: Record<string, unknown>[] = [{}, BOOTSTRAP_DEV_DOMAIN, BOOTSTRAP_STACK_DOMAINS];
