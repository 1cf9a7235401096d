#!/usr/bin/env node
/**
 * The GitHub settings the workflows read, as data: the environments, the repository variables and
 * the secrets. The setup tables of docs/delivery.md (environments, variables) are rendered from it
 * between `<!-- generated: delivery-settings ... -->` markers; tools/workflows' tests check that it
 * names exactly what the workflows use and that the committed tables are its output.
 *
 * Usage: node tools/workflows/delivery-settings.mjs          rewrites the tables in docs/delivery.md
 *        node tools/workflows/delivery-settings.mjs --check  exit 1 when they differ from the data
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DELIVERY_DOC = join(import.meta.dirname, '../../docs/delivery.md');

/** @typedef {{ name: string, reviewers: string }} Environment */
/** @typedef {{ names: string[], value: string }} Variables */
/** @typedef {{ name: string, environment?: string }} Secret (no environment: a repository secret) */

/** @type {Environment[]} */
export const ENVIRONMENTS = [
  { name: 'dev-release', reviewers: 'none' },
  { name: 'dev-publish', reviewers: 'none' },
  { name: 'release-app', reviewers: 'none (what it does is fixed by the reviewed scripts on main)' },
  { name: 'dev-preview', reviewers: 'none' },
  { name: 'dev-infra', reviewers: 'none' },
  { name: 'prod-release', reviewers: 'none (merging the promotion pull request is the approval)' },
  { name: 'prod-publish', reviewers: 'none (merging the promotion pull request is the approval)' },
  { name: 'prod-preview', reviewers: 'none' },
  { name: 'prod-infra', reviewers: 'required reviewers (the infra owners; "prevent self-review")' },
];

/** @type {Variables[]} */
export const VARIABLES = [
  { names: ['AWS_REGION'], value: "the stacks' region, e.g. eu-west-1" },
  {
    names: ['PULUMI_BACKEND_URL'],
    value: '`s3://<state bucket>?region=<region>` (output `loginCommand` of infra/bootstrap)',
  },
  { names: ['DEV_RELEASE_ROLE_ARN', 'PROD_RELEASE_ROLE_ARN'], value: 'output `releaseRoleArn`' },
  { names: ['DEV_PUBLISH_ROLE_ARN', 'PROD_PUBLISH_ROLE_ARN'], value: 'output `publishRoleArn`' },
  { names: ['DEV_PREVIEW_ROLE_ARN', 'PROD_PREVIEW_ROLE_ARN'], value: 'output `previewRoleArn`' },
  { names: ['DEV_INFRA_ROLE_ARN', 'PROD_INFRA_ROLE_ARN'], value: 'output `infraRoleArn`' },
  { names: ['DEV_ECR_REPOSITORY_URL', 'PROD_ECR_REPOSITORY_URL'], value: 'output `ecrRepositoryUrl`' },
  { names: ['DEV_SITE_BUCKET', 'PROD_SITE_BUCKET'], value: 'output `siteBucketName`' },
  { names: ['DEV_DISTRIBUTION_ID', 'PROD_DISTRIBUTION_ID'], value: 'output `distributionId`' },
  { names: ['DEV_REPORTS_BUCKET'], value: 'output `reportsBucketName`' },
  { names: ['RELEASE_APP_CLIENT_ID'], value: "the release App's Client ID (step 4)" },
  {
    names: ['DEV_RUNNER_READY', 'PROD_RUNNER_READY'],
    value: "`true` once that stack's first `up` (step 8) created its runner",
  },
  {
    names: ['PROD_RUNNER_ACTOR_IDS', 'DEV_RUNNER_ACTOR_IDS'],
    value:
      'that stack\'s `ciRunnerActorIds` (step 6) as a JSON array, e.g. `["12345", "67890"]`; required for prod, for dev only when dev sets the list',
  },
  { names: ['SENTRY_ORG', 'SENTRY_PROJECT'], value: 'your Sentry organization and project slugs (optional)' },
];

/** @type {Secret[]} */
export const SECRETS = [{ name: 'RELEASE_APP_PRIVATE_KEY', environment: 'release-app' }, { name: 'SENTRY_AUTH_TOKEN' }];

const code = (/** @type {string} */ text) => `\`${text}\``;

/** A markdown table laid out as prettier lays it out, each line indented by `indent`. */
function table(/** @type {string[]} */ header, /** @type {string[][]} */ rows, indent = '   ') {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (/** @type {string[]} */ cells) =>
    `${indent}| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The generated blocks, by marker name. */
export function blocks() {
  const secretsOf = (/** @type {string} */ env) =>
    SECRETS.filter((s) => s.environment === env)
      .map((s) => code(s.name))
      .join(', ') || 'none';
  return {
    environments: table(
      ['environment', 'reviewers', 'secrets'],
      ENVIRONMENTS.map((e) => [code(e.name), e.reviewers, secretsOf(e.name)]),
    ),
    variables: table(
      ['variable', 'value'],
      VARIABLES.map((v) => [v.names.map(code).join(', '), v.value]),
    ),
  };
}

/** `doc` with every generated block replaced by the data's; a missing marker is an error. */
export function render(/** @type {string} */ doc) {
  let out = doc;
  for (const [name, body] of Object.entries(blocks())) {
    const start = `<!-- generated: delivery-settings ${name} (node tools/workflows/delivery-settings.mjs) -->`;
    const end = `<!-- end: delivery-settings ${name} -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/delivery.md has no "${start}" ... "${end}" block`);
    const indent = out.slice(out.lastIndexOf('\n', from) + 1, from);
    out = `${out.slice(0, from + start.length)}\n\n${body}\n\n${indent}${out.slice(to)}`;
  }
  return out;
}

if (process.argv[1] === import.meta.filename) {
  const doc = readFileSync(DELIVERY_DOC, 'utf8');
  const rendered = render(doc);
  if (process.argv.includes('--check')) {
    if (rendered !== doc) {
      console.error('docs/delivery.md: the settings tables differ from tools/workflows/delivery-settings.mjs; run it');
      process.exit(1);
    }
  } else if (rendered !== doc) {
    writeFileSync(DELIVERY_DOC, rendered);
    console.log('docs/delivery.md: settings tables rewritten');
  }
}
