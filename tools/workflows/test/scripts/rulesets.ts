// The repository's rules as code (.github/rulesets, .github/CODEOWNERS), checked against GitHub's
// REST schema and matching rules (github-rules.ts): main takes only merges approved by someone
// other than their last pusher, including a code owner; only the release App writes the
// promote/* branches and deployed/prod, the branch prod's Argo CD tracks, and any tag.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { RULESET_SCHEMA, fnmatchPathname, ownersOf, parseCodeOwners } from '../github-rules.js';
import { github } from '../fake-github.js';
import { byName, REPO_ROOT, SCRIPTS_DIR } from '../workflows.js';

const APP_ID = '123456';
interface Ruleset {
  name: string;
  target: 'branch' | 'tag';
  conditions: { ref_name: { include: string[]; exclude: string[] } };
  bypass_actors: { actor_id: number; actor_type: string; bypass_mode: string }[];
  rules: { type: string; parameters?: Record<string, unknown> }[];
}

/** The request bodies apply-rulesets.sh sends, with a sample App ID. */
function applied(): Ruleset[] {
  const run = spawnSync('bash', [join(SCRIPTS_DIR, 'apply-rulesets.sh'), '--print', APP_ID], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Ruleset);
}
const rulesets = applied();
const covering = (ref: string) =>
  rulesets.filter(
    (r) =>
      r.target === (ref.startsWith('refs/tags/') ? 'tag' : 'branch') &&
      r.conditions.ref_name.include.some((p) =>
        p === '~DEFAULT_BRANCH' ? ref === 'refs/heads/main' : fnmatchPathname(p, ref),
      ),
  );
/** The revision each stack's Argo CD tracks: its stack file's, else the program's default (stack-config.ts). */
const tracked = (stack: string): string =>
  parse(readFileSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`), 'utf8')).config['zumo:gitRevision'] ?? 'refs/heads/main';
const rule = (r: Ruleset, type: string) => r.rules.find((x) => x.type === type);

t.test('every ruleset is a valid request body for the REST API', async (t) => {
  const validate = new Ajv({ strict: true, allErrors: true }).compile(RULESET_SCHEMA);
  t.equal(rulesets.length, 3);
  for (const r of rulesets) t.ok(validate(r), `${r.name}: ${JSON.stringify(validate.errors)}`);
  const misspelt = structuredClone(rulesets[0]!);
  (rule(misspelt, 'pull_request')!.parameters as Record<string, unknown>)['require_last_push_approvals'] = true;
  t.notOk(validate(misspelt), 'the schema catches a misspelt field');
});

t.test(
  'main: a pull request approved by a code owner other than its last pusher; stale approvals dismissed',
  async (t) => {
    const [main, ...others] = covering('refs/heads/main');
    t.equal(others.length, 0, 'one ruleset governs main');
    const review = rule(main!, 'pull_request')?.parameters ?? {};
    t.ok((review['required_approving_review_count'] as number) >= 1, 'at least one approval');
    t.match(review, {
      require_last_push_approval: true,
      dismiss_stale_reviews_on_push: true,
      require_code_owner_review: true,
    });
    t.notOk(
      (rule(main!, 'pull_request')?.parameters?.['allowed_merge_methods'] as string[]).includes('rebase'),
      'one commit per merge',
    );
    t.ok(rule(main!, 'non_fast_forward') && rule(main!, 'deletion'), 'no force push, no deletion');
    // The checks a pull request must pass are ci's jobs, as GitHub names them (name with the matrix value).
    const ci = byName('ci').jobs['affected'] as unknown as { name: string; strategy: { matrix: { node: number[] } } };
    t.same(
      (rule(main!, 'required_status_checks')?.parameters?.['required_status_checks'] as { context: string }[]).map(
        (c) => c.context,
      ),
      ci.strategy.matrix.node.map((node) => ci.name.replace('${{ matrix.node }}', String(node))),
    );
  },
);

t.test('the release App bypasses every ruleset always, and nothing else bypasses them', async (t) => {
  // `pull_request` mode would let it bypass only when merging a pull request: its dev bump (a
  // push to main) and its promote/* and deployed/prod writes would be refused.
  for (const r of rulesets)
    t.same(r.bypass_actors, [{ actor_id: Number(APP_ID), actor_type: 'Integration', bypass_mode: 'always' }], r.name);
  const bad = spawnSync('bash', [join(SCRIPTS_DIR, 'apply-rulesets.sh'), '--print', 'my-app'], { encoding: 'utf8' });
  t.equal(bad.status, 2);
  t.match(bad.stderr, "APP_ID must be the release App's numeric App ID");
});

t.test('only the App writes promote/* and the branch prod tracks', async (t) => {
  const prodRevision = parse(readFileSync(join(REPO_ROOT, 'Pulumi.prod.yaml'), 'utf8')).config['zumo:gitRevision'];
  const pinScript = readFileSync(join(SCRIPTS_DIR, 'pin-prod.sh'), 'utf8');
  t.match(pinScript, `ref="\${PROD_REF:-${prodRevision}}"`, 'pin-prod.sh moves the branch prod tracks');
  for (const ref of ['refs/heads/promote/abc1234', 'refs/heads/promote/a/b', prodRevision]) {
    const [r, ...others] = covering(ref);
    t.equal(others.length, 0, `${ref}: one ruleset`);
    t.same(
      r?.rules.map((x) => x.type).sort(),
      ['creation', 'deletion', 'non_fast_forward', 'update'],
      `${ref}: App only`,
    );
  }
  for (const ref of [
    'refs/heads/promoted',
    'refs/heads/promote',
    'refs/heads/feature/promote/x',
    'refs/heads/deployed/dev',
  ])
    t.notOk(
      covering(ref).some((r) => rule(r, 'creation')),
      `${ref}: anyone may create it`,
    );
  t.ok(fnmatchPathname('refs/heads/promote/**/*', 'refs/heads/promote/x/y/z'), '**/ spans directories');
  t.notOk(fnmatchPathname('refs/heads/promote/*', 'refs/heads/promote/x/y'), '* stops at /');
});

t.test('only the App creates, moves or deletes a tag, whatever its name', async (t) => {
  // Git reads a short name as a tag before a branch or an object (git help revisions): a tag named
  // like a release (its short SHA) or like a branch Argo CD tracks would steer whoever reads the
  // name. The stacks track full refs, which a tag never matches (argo-cd util/git/client.go
  // lsRemote), and the scripts resolve releases as objects (resolve-release.sh); the rule keeps
  // people and anything else that reads a short name from meeting such a tag.
  const tags = [
    ...['dev', 'prod'].map((stack) => {
      const revision = tracked(stack);
      t.match(revision, /^refs\/heads\//, `${stack} tracks a full branch ref`);
      return revision.replace(/^refs\/heads\//, 'refs/tags/');
    }),
    'refs/tags/main',
    'refs/tags/abc1234',
    'refs/tags/origin/main',
    'refs/tags/v1.0.0',
  ];
  for (const tag of tags) {
    const [r, ...others] = covering(tag);
    t.equal(others.length, 0, `${tag}: one ruleset`);
    t.same(r?.rules.map((x) => x.type).sort(), ['creation', 'deletion', 'update'], `${tag}: the App only`);
  }
  t.same(covering('refs/heads/abc1234'), [], 'branches are not governed by the tag rule');
});

t.test('CODEOWNERS: everything that reaches prod or decides how has an owner', async (t) => {
  const rules = parseCodeOwners(readFileSync(join(REPO_ROOT, '.github/CODEOWNERS'), 'utf8'));
  for (const path of [
    'deploy/web/base/deployment.yaml',
    'deploy/monitoring/apps/kube-prometheus-stack.yaml',
    'deploy/web/overlays/prod/kustomization.yaml',
    '.github/workflows/promote.yml',
    '.github/scripts/pin-prod.sh',
    '.github/rulesets/main.json',
    '.github/CODEOWNERS',
    'infra/src/index.ts',
    'Pulumi.yaml',
    'Pulumi.prod.yaml',
  ]) {
    const owner = ownersOf(rules, path);
    t.ok(owner?.owners.length, `${path}: owned (line ${owner?.line})`);
    t.ok(
      owner?.owners.every((o) => /^@[\w.-]+(\/[\w.-]+)?$/.test(o)),
      `${path}: owners are users or teams`,
    );
  }
  t.notOk(ownersOf(rules, 'apps/web/src/app.ts'), 'the app reaches prod only as a promoted image');
});

t.test(
  'apply-rulesets: creates the rulesets once, then updates them by name; GITHUB_TOKEN cannot approve',
  async (t) => {
    const gh = github(t, { rulesets: [{ id: 7, name: "someone else's ruleset", body: {} }] });
    const first = gh.run('apply-rulesets.sh', APP_ID, 'acme/zumo');
    t.equal(first.status, 0, first.stderr);
    const created = gh.state().rulesets!.filter((r) => r.id !== 7);
    t.same(
      created.map((r) => r.body),
      rulesets,
      'what --print shows is what is sent',
    );
    const again = gh.run('apply-rulesets.sh', APP_ID, 'acme/zumo');
    t.equal(again.status, 0, again.stderr);
    t.same(
      gh.state().rulesets!.map((r) => r.id),
      [7, ...created.map((r) => r.id)],
      'a second run updates the same rulesets, creates none',
    );
    t.match(again.stdout, /updated 'main: reviewed merges only' \(#\d+\)/);
    t.ok(
      gh
        .state()
        .calls.some((c) =>
          c.includes(
            'actions/permissions/workflow -f default_workflow_permissions=read -F can_approve_pull_request_reviews=false',
          ),
        ),
      'workflows may not approve pull requests',
    );
  },
);
