// Least privilege per job (docs/delivery.md): explicit permissions, no credentials for Dependabot,
// no untrusted expression in a script, and what the release App's token may do and push. Which job
// gets which AWS role, and what that role may do, is the identity matrix (infra/test/identity/).
// The wiring of each workflow's steps is rules/workflow-wiring.ts.
import t from 'tap';
import { byName, environment, jobRuns, jobs, loadWorkflows, runs, type Job } from '../workflows.js';

const workflows = loadWorkflows();
/** The install step of the jobs that copy the scripts to $RUNNER_TEMP and hold the App token. */
const SET_IMAGE_INSTALL = 'npm ci --ignore-scripts --no-audit --no-fund --prefix "$RUNNER_TEMP/scripts/set-image"';
const assumesRole = (job: Job) => job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));

t.test('least privilege: nothing at the top, an explicit permissions map on every job', async (t) => {
  for (const w of workflows) {
    t.same(w.permissions, {}, `${w.file}: top-level permissions: {}`);
    for (const [id, job] of jobs(w)) {
      t.type(job.permissions, 'object', `${w.file}/${id} declares its permissions`);
      const perms = job.permissions as Record<string, string>;
      if (perms['id-token'] === 'write')
        t.ok(assumesRole(job), `${w.file}/${id}: id-token only where an AWS role is assumed`);
      t.not(
        perms['contents'],
        'write',
        `${w.file}/${id}: no GITHUB_TOKEN writes the repository (the release App does)`,
      );
      t.ok(job['timeout-minutes'], `${w.file}/${id} has a timeout`);
    }
  }
});

t.test('every job that checks out the repository may read it (a private repository refuses otherwise)', async (t) => {
  // A job that names any permission gets none it does not name: `contents` is then `none`, and
  // actions/checkout of a private repository fails (GitHub's "permissions for the GITHUB_TOKEN").
  for (const w of workflows)
    for (const [id, job] of jobs(w))
      if (job.steps.some((s) => s.uses?.startsWith('actions/checkout@')))
        t.equal((job.permissions as Record<string, string>)['contents'], 'read', `${w.file}/${id}: contents: read`);
});

t.test('no job with AWS credentials runs for a Dependabot pull request', async (t) => {
  // Dependabot's pull requests change the lockfile: their packages would run with the dev preview
  // role before anyone reviewed them. GitHub treats them as forks (read-only token, no Actions
  // secrets) but a job may still ask for id-token: write. The restriction holds on a rerun by
  // someone else (GitHub's "Troubleshooting Dependabot on GitHub Actions"), so both the actor and
  // the pull request's author are checked.
  for (const w of workflows.filter((w) => 'pull_request' in w.on))
    for (const [id, job] of jobs(w).filter(([, job]) => (job.permissions as Record<string, string>)['id-token'])) {
      t.match(job.if, "github.actor != 'dependabot[bot]'", `${w.file}/${id}: not for Dependabot's runs`);
      t.match(
        job.if,
        "github.event.pull_request.user.login != 'dependabot[bot]'",
        `${w.file}/${id}: not for Dependabot's pull requests, whoever pushed`,
      );
    }
});

t.test('no untrusted expression is pasted into a shell script', async (t) => {
  for (const w of workflows)
    for (const run of runs(w))
      t.notMatch(
        run,
        /\$\{\{\s*(github\.event|github\.head_ref|inputs\.|steps\.|job\.)/,
        `${w.file}: ${run.split('\n')[0]}`,
      );
});

t.test('git writes use the release App token, given only to the step that pushes', async (t) => {
  for (const w of workflows) {
    for (const [id, job] of jobs(w)) {
      const pushes = job.steps.filter((s) =>
        /git push|commit-and-push\.sh|gh pr create|open-promotion-pr\.sh|pin-prod\.sh|prune-promote-branches\.sh/.test(
          s.run ?? '',
        ),
      );
      if (!pushes.length) continue;
      const app = job.steps.find((s) => s.uses?.startsWith('actions/create-github-app-token@'));
      t.ok(app, `${w.file}/${id} creates a GitHub App token`);
      t.same(app?.with?.['client-id'], '${{ vars.RELEASE_APP_CLIENT_ID }}', `${w.file}/${id}: the App's client ID`);
      t.notOk(app?.with?.['app-id'], `${w.file}/${id}: not app-id (deprecated in create-github-app-token v3)`);
      for (const step of pushes) {
        const env = JSON.stringify(step.env ?? {});
        t.match(env, `steps.${app?.id}.outputs.token`, `${w.file}/${id}: the push step gets the App token`);
        t.notMatch(
          env,
          'github.token',
          `${w.file}/${id}: not the GITHUB_TOKEN (a protected main refuses it; its PRs start no ci)`,
        );
      }
      const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
      t.equal(checkout?.with?.['persist-credentials'], false, `${w.file}/${id}: no token left in .git/config`);
    }
  }
});

t.test("the release App's key and token live only in jobs that install and run nothing else", async (t) => {
  // An npm install script, or any dependency's code, that runs beside the App token could push to
  // main (the App bypasses its rules) and, through Argo CD, change prod. So the jobs that hold the
  // key run a fresh checkout, git, gh and the repository's bash scripts, plus the overlay editor's
  // one package: its own lockfile (version and integrity), no install script, before the token.
  const holders = workflows.flatMap((w) =>
    jobs(w)
      .filter(([, job]) => JSON.stringify(job).includes('RELEASE_APP_PRIVATE_KEY'))
      .map(([id, job]) => [`${w.file}/${id}`, job] as const),
  );
  t.same(
    holders.map(([id]) => id).sort(),
    ['promote.yml/pin', 'promote.yml/pull-request', 'release.yml/bump', 'rollback-prod.yml/pin'],
    'the dev bump, the promotion proposal and the two moves of prod hold the key',
  );
  for (const [id, job] of holders) {
    t.equal(environment(job), 'release-app', `${id}: in the release-app environment (main only, the key's only home)`);
    t.same(job.permissions, { contents: 'read' }, `${id}: no other permission, no OIDC token`);
    t.same(
      job.steps.flatMap((s) => (s.uses ? [s.uses.split('@')[0]] : [])),
      ['actions/checkout', 'actions/create-github-app-token'],
      `${id}: no other action (setup-node and caches restore code)`,
    );
    const install = job.steps.findIndex((s) => s.run?.trim() === SET_IMAGE_INSTALL);
    const token = job.steps.findIndex((s) => s.uses?.startsWith('actions/create-github-app-token@'));
    t.ok(install >= 0 && install < token, `${id}: the overlay editor's package is installed before the token exists`);
    for (const run of jobRuns(job).filter((r) => r.trim() !== SET_IMAGE_INSTALL))
      t.notMatch(
        run,
        /\b(npm|npx|node|yarn|pnpm|pip|curl|wget|docker)\b/,
        `${id}: installs and runs no other package: ${run.split('\n')[0]}`,
      );
    const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    t.notOk(checkout?.with?.['sparse-checkout'], `${id}: a whole, fresh checkout`);
  }
});

t.test('only the moves of deployed/prod may write workflow files with the App token', async (t) => {
  // GitHub refuses a ref update by an App whose token lacks the workflows permission when
  // .github/workflows differs between the old and the new tip, even if the commits exist already
  // (repo-sync/github-sync#23, cpp-linter/cpp-linter-action#318). pin-prod.sh fast-forwards
  // deployed/prod across every merge since the last pin, Dependabot's action updates included;
  // every other App push is a commit on top of main's tip that changes no workflow.
  const requesting = workflows.flatMap((w) =>
    jobs(w)
      .filter(([, job]) =>
        job.steps.some(
          (s) => s.uses?.startsWith('actions/create-github-app-token@') && s.with?.['permission-workflows'],
        ),
      )
      .map(([id]) => `${w.file}/${id}`),
  );
  const pinning = workflows.flatMap((w) =>
    jobs(w)
      .filter(([, job]) => jobRuns(job).some((run) => run.includes('pin-prod.sh')))
      .map(([id]) => `${w.file}/${id}`),
  );
  t.same(pinning.sort(), ['promote.yml/pin', 'rollback-prod.yml/pin'], 'the two moves of prod');
  t.same(requesting.sort(), pinning.sort(), 'they, and only they, request the workflows permission');
  for (const id of pinning) {
    const [file, job] = id.split('/') as [string, string];
    const app = byName(file.replace('.yml', '')).jobs[job]!.steps.find((s) =>
      s.uses?.startsWith('actions/create-github-app-token@'),
    );
    t.equal(app?.with?.['permission-workflows'], 'write', `${id}: workflows: write (the input's only level)`);
  }
});

t.test('what the App may push: the dev overlay to main; prod as a pull request, then a checked pin', async (t) => {
  // The App bypasses main's ruleset (bypass_mode always: it may push anything there, merge without
  // review, even force-push), so what it does is fixed by the scripts its jobs run, each checked
  // by its own test: commit-and-push.sh (ALLOWED_PATHS), open-promotion-pr.sh (a promote/<tag>
  // branch, the prod overlay directory only), pin-prod.sh (deployed/prod, to a merged promotion),
  // prune-promote-branches.sh (merged promote/* branches).
  const ALLOWED = [
    'commit-and-push.sh',
    'bump-release.sh',
    'open-promotion-pr.sh',
    'pin-prod.sh',
    'prune-promote-branches.sh',
  ];
  for (const w of workflows)
    for (const [id, job] of jobs(w).filter(([, j]) =>
      j.steps.some((s) => s.uses?.startsWith('actions/create-github-app-token@')),
    ))
      for (const script of jobRuns(job).flatMap((r) => [...r.matchAll(/scripts\/([\w-]+\.sh)/g)].map((m) => m[1]!)))
        t.ok(ALLOWED.includes(script), `${w.file}/${id}: runs ${script}, one of the checked scripts`);
  for (const [file, job] of [
    ['promote', 'pin'],
    ['rollback-prod', 'pin'],
  ] as const)
    t.match(
      jobRuns(byName(file).jobs[job]!).join('\n'),
      /pin-prod\.sh" (--rollback "\$REVISION"|"\$COMMIT")/,
      `${file}/${job}: moves prod only through pin-prod.sh`,
    );
  const bump = byName('release').jobs['bump']!;
  const push = bump.steps.find((s) => s.run?.includes('commit-and-push.sh'))!;
  t.match(push.run, /commit-and-push\.sh" main /, 'the dev bump goes to main');
  t.equal(
    push.env?.['ALLOWED_PATHS'],
    'deploy/web/overlays/dev/kustomization.yaml',
    'and may change the dev overlay only',
  );
  t.match(push.run, /bump-release\.sh" deploy\/web\/overlays\/dev /);
  const pr = byName('promote').jobs['pull-request']!;
  t.match(jobRuns(pr).join('\n'), /open-promotion-pr\.sh" "\$REPOSITORY" "\$TAG" "\$DIGEST"/);
  for (const w of workflows)
    for (const [id, job] of jobs(w)) {
      const holdsToken = job.steps.some((s) => s.uses?.startsWith('actions/create-github-app-token@'));
      for (const run of jobRuns(job)) {
        if (holdsToken)
          t.notMatch(
            run,
            /overlays\/prod/,
            `${w.file}/${id}: writes the prod overlay only through open-promotion-pr.sh`,
          );
        t.notMatch(run, /git push/, `${w.file}/${id}: pushes go through the checked scripts only`);
      }
    }
});
