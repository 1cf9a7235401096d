// The rules these pipelines promise (docs/delivery.md), checked on the parsed workflows: verified
// node24 pins, least privilege per job, no interleaving or starving runs, where each job runs.
// The wiring of each workflow's steps is workflow-wiring.test.ts. Which job gets which AWS role, and what that role may do,
// is the identity matrix (infra/test/identity/).
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import t from 'tap';
import { byName, environment, jobRuns, jobs, loadWorkflows, REPO_ROOT, runs, type Job } from './workflows.js';
import { VERIFIED_ACTIONS } from './verified-actions.js';

const workflows = loadWorkflows();
/** The install step of the jobs that copy the scripts to $RUNNER_TEMP and hold the App token. */
const SET_IMAGE_INSTALL = 'npm ci --ignore-scripts --no-audit --no-fund --prefix "$RUNNER_TEMP/scripts/set-image"';
const assumesRole = (job: Job) => job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
const stepIndex = (job: Job, match: (run: string) => boolean) => job.steps.findIndex((s) => s.run && match(s.run));

t.test('every action is pinned to a verified full commit SHA of a node24 release, one pin per action', async (t) => {
  for (const w of workflows) {
    for (const line of w.text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l))) {
      const match = /uses: ([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # (v\d+(?:\.\d+){0,2})$/.exec(
        line.trim().replace(/^- /, ''),
      );
      t.ok(match, `${w.file}: ${line.trim()} is pinned with its version`);
      if (!match) continue;
      const [, action, sha, version] = match;
      const verified = VERIFIED_ACTIONS[action!];
      t.ok(verified, `${w.file}: ${action} is a verified action (tools/workflows/test/verified-actions.ts)`);
      t.equal(sha, verified?.sha, `${w.file}: ${action}@${version} is the verified SHA`);
      t.equal(version, verified?.version, `${w.file}: ${action} comment names the verified tag`);
    }
  }
  t.notOk(
    workflows.some((w) => w.text.includes('pulumi/actions@')),
    'the Pulumi CLI comes from install-pulumi.sh (checksum-verified), not an action',
  );
});

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

t.test('install scripts run only in ci, which holds no credential', async (t) => {
  // A dependency's install script runs with whatever its job holds. Only ci needs them (the tests
  // load better-sqlite3's native build); every other job builds with esbuild and tsc, which need
  // none, and Pulumi installs its plugins itself (the npm install scripts find no CLI there anyway).
  for (const w of workflows)
    for (const [id, job] of jobs(w))
      for (const run of jobRuns(job).filter((r) => /\bnpm ci\b/.test(r))) {
        if (w.file === 'ci.yml') {
          t.notMatch(JSON.stringify(job), /id-token|secrets\./, `${w.file}/${id}: no OIDC token, no secret`);
          t.same(job.permissions, { contents: 'read', actions: 'read' }, `${w.file}/${id}: read-only token`);
        } else t.match(run, 'npm ci --ignore-scripts', `${w.file}/${id}: npm ci --ignore-scripts`);
      }
});

t.test('no job holding AWS credentials or the App token restores a cache', async (t) => {
  // Caches are shared by branch, not by workflow or job, and any code in a job can write an entry
  // under the lockfile's key (github/docs "Dependency caching"; actions/setup-node README, which
  // recommends package-manager-cache: false "for workflows with elevated privileges"). ci runs
  // install scripts; a cache it wrote, restored where credentials are, runs with them. setup-node
  // v5+ caches npm by itself when package.json has a packageManager field, so each such job turns
  // it off explicitly.
  for (const w of workflows)
    for (const [id, job] of jobs(w)) {
      const credentialed =
        assumesRole(job) || job.steps.some((s) => s.uses?.startsWith('actions/create-github-app-token@'));
      if (!credentialed) continue;
      for (const step of job.steps) {
        t.notOk(step.uses?.startsWith('actions/cache'), `${w.file}/${id}: no actions/cache`);
        if (!step.uses?.startsWith('actions/setup-node@')) continue;
        t.notOk('cache' in (step.with ?? {}), `${w.file}/${id}: setup-node without cache:`);
        t.equal(step.with?.['package-manager-cache'], false, `${w.file}/${id}: package-manager-cache: false`);
      }
    }
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

t.test('nothing starves: ci cancels only pull request runs; world-changing jobs queue per stack', async (t) => {
  const ci = byName('ci');
  t.equal(
    ci.concurrency?.['cancel-in-progress'],
    "${{ github.event_name == 'pull_request' }}",
    'ci cancels only PR runs',
  );
  t.match(ci.concurrency?.group, 'github.sha', 'every push to main runs to the end');
  for (const name of ['release', 'promote', 'publish-prod', 'rollback-prod']) {
    const w = byName(name);
    const groups = [w.concurrency, ...Object.values(w.jobs).map((j) => j.concurrency)].filter(Boolean);
    t.ok(groups.length, `${name} queues`);
    t.ok(
      groups.every((g) => g!['cancel-in-progress'] === false),
      `${name} never cancels a run half-way`,
    );
  }
  for (const name of ['infra-up', 'drift']) {
    const w = byName(name);
    t.notOk(w.concurrency, `${name}: no workflow-wide group (a prod approval would hold dev back)`);
    for (const [id, job] of jobs(w).filter(([, j]) => assumesRole(j))) {
      t.equal(job.concurrency?.['cancel-in-progress'], false, `${name}/${id} queues, never cancels`);
      t.match(job.concurrency?.group, /^(infra|drift)-(dev|prod)$/, `${name}/${id} queues per stack`);
    }
  }
  // GitHub keeps one pending run per group and cancels the older pending one: a promotion
  // dispatched while a merged promotion waits to publish must not cancel that publication.
  const promote = byName('promote');
  t.notOk(promote.concurrency, 'promote: no workflow-wide group (a dispatch would cancel a pending publish-prod)');
  // One group per job: a run's next job entering a shared group would displace another run's pending one.
  t.same(
    Object.fromEntries(jobs(promote).map(([id, job]) => [id, job.concurrency?.group])),
    { copy: 'promote-copy', 'pull-request': 'promote-pr', pin: 'pin-prod' },
    'copies, proposals and pins queue separately',
  );
  // Both moves of deployed/prod share one group and keep every waiting job: each decides from
  // ancestry when it starts (pin-prod.sh), so none may be dropped for an older one.
  for (const w of [promote, byName('rollback-prod')])
    t.match(w.jobs['pin']!.concurrency, { group: 'pin-prod', 'cancel-in-progress': false, queue: 'max' });
  t.equal(byName('publish-prod').jobs['publish-prod']!.concurrency?.group, 'publish-prod');
  const up = byName('infra-up');
  t.equal(up.jobs['up-dev']!.concurrency?.group, 'infra-dev');
  t.equal(up.jobs['up-prod']!.concurrency?.group, 'infra-prod');
  t.equal(up.jobs['preview-prod']!.concurrency?.group, 'infra-prod', 'the prod preview never runs beside a prod up');
  // ci runs of main finish out of order: with one pending slot, an older commit's job could cancel
  // a newer one's waiting job, and that change would reach the stack only with the next push.
  for (const [id, job] of jobs(up).filter(([, j]) => j['runs-on'].startsWith('codebuild-')))
    t.equal(job.concurrency?.queue, 'max', `infra-up/${id}: no waiting job is cancelled (each decides when it starts)`);
  t.equal(byName('release').concurrency?.['queue'], 'max', 'release: no waiting run is cancelled');
  for (const job of Object.values(byName('drift').jobs))
    t.notMatch(job.concurrency?.group ?? '', /^infra-/, 'a queued drift check never displaces a queued up');
});

t.test("a drift check never runs beside an update of its stack, nor reports one's pending operations", async (t) => {
  // A preview takes no lock (pulumi/pulumi pkg/backend/diy/backend.go), so a drift check during an
  // `up` reads a half-written state. Sharing infra-<stack> would serialize them, but GitHub queues
  // per group across workflows (github/docs "Control the concurrency"): a nightly check would wait
  // behind a prod approval for days, and with the default queue a queued check would cancel a
  // queued up. So each check waits for the stack's lock and drops a result an update overlapped
  // (quiet-stack.sh: 75 = skipped), and the report counts a skipped stack as neither clean nor drifted.
  const drift = byName('drift');
  for (const stack of ['dev', 'prod']) {
    const job = drift.jobs[`drift-${stack}`]!;
    const check = job.steps.find((s) => /nx run infra:preview:\w+ .*--refresh --expect-no-changes/.test(s.run ?? ''))!;
    t.match(
      check.run,
      `bash .github/scripts/quiet-stack.sh ${stack} npx nx run infra:preview:${stack} `,
      `drift-${stack}: through quiet-stack.sh`,
    );
    t.match(check.run, /75\) outcome=skipped/, `drift-${stack}: an overlapped check is reported as skipped`);
    t.match(check.run, `> outcome-${stack}.txt`, `drift-${stack}: its outcome for the report`);
    t.notOk(check['continue-on-error'], `drift-${stack}: the step records its outcome itself`);
  }
});

t.test('jobs that talk to the Kubernetes API run on their stack runner inside the VPC', async (t) => {
  for (const w of workflows) {
    for (const [id, job] of jobs(w)) {
      const stacks = new Set(
        jobRuns(job).flatMap((r) => [...r.matchAll(/nx run infra:(?:preview|up|refresh):(\w+)/g)].map((m) => m[1])),
      );
      for (const stack of stacks)
        t.equal(
          job['runs-on'],
          `codebuild-zumo-${stack}-runner-\${{ github.run_id }}-\${{ github.run_attempt }}`,
          `${w.file}/${id}: ${stack} runs on the ${stack} runner`,
        );
      t.ok(stacks.size <= 1, `${w.file}/${id}: one stack per job (one VPC per runner)`);
      if (!stacks.size)
        t.match(job['runs-on'], /^ubuntu-24\.04$/, `${w.file}/${id}: everything else on GitHub's runner`);
    }
  }
});

t.test('the Pulumi CLI: one version, installed checksum-verified, before any pulumi command', async (t) => {
  const versions = new Set(workflows.flatMap((w) => (w.env?.['PULUMI_VERSION'] ? [w.env['PULUMI_VERSION']] : [])));
  t.same([...versions], ['3.248.0'], 'one pinned version');
  for (const w of workflows)
    for (const [id, job] of jobs(w)) {
      const pulumi = stepIndex(job, (r) => /nx run infra:(preview|up|refresh)/.test(r));
      if (pulumi < 0) continue;
      const install = stepIndex(job, (r) => r.includes('bash .github/scripts/install-pulumi.sh "$PULUMI_VERSION"'));
      t.ok(install >= 0 && install < pulumi, `${w.file}/${id} installs the verified CLI first`);
    }
});

t.test("prod's preview reaches GitHub (log, run summary, artifact, issue) as its summary only", async (t) => {
  // In a public repository logs, run summaries, artifacts and issues are public; a prod diff holds
  // alert e-mail addresses, CIDRs, ARNs and outputs (tools/release/src/preview-summary.ts).
  for (const w of workflows)
    for (const [id, job] of jobs(w)) {
      const preview = job.steps.findIndex((s) => /nx run infra:preview:prod\b/.test(s.run ?? ''));
      if (preview < 0) continue;
      const run = job.steps[preview]!.run!;
      t.match(run, /> preview-prod\.txt 2>&1$/m, `${w.file}/${id}: the full output goes to a file on the runner`);
      t.notMatch(run, /\btee\b/, `${w.file}/${id}: and not to the log`);
      const summary = job.steps.findIndex((s) =>
        /--summary-only prod\b|preview-summary-cli\.js --stack prod\b/.test(s.run ?? ''),
      );
      t.ok(summary > preview, `${w.file}/${id}: summarized after the preview`);
      t.equal(job.steps[summary]?.if?.includes('!cancelled()'), true, `${w.file}/${id}: also when the preview failed`);
      for (const [i, step] of job.steps.entries())
        if (step.uses?.startsWith('actions/upload-artifact@') || /GITHUB_STEP_SUMMARY/.test(step.run ?? ''))
          t.ok(i >= summary, `${w.file}/${id}: ${step.name ?? step.uses} only after the summary`);
      t.notMatch(
        JSON.stringify(job.steps.slice(preview + 1).filter((s) => s !== job.steps[summary])),
        /cat preview-prod\.txt/,
        `${w.file}/${id}: the full output is never printed`,
      );
    }
});

t.test('Dependabot keeps actions and npm packages current, in groups', async (t) => {
  const config = parse(readFileSync(join(REPO_ROOT, '.github/dependabot.yml'), 'utf8')) as {
    updates: { 'package-ecosystem': string; groups?: Record<string, unknown> }[];
  };
  t.same(config.updates.map((u) => u['package-ecosystem']).sort(), ['github-actions', 'npm']);
  t.ok(
    config.updates.every((u) => Object.keys(u.groups ?? {}).length > 0),
    'grouped',
  );
  const nx = config.updates.find((u) => u['package-ecosystem'] === 'npm')!.groups!['nx'] as { patterns: string[] };
  t.same(nx.patterns, ['nx', '@nx/*'], 'nx and @nx/* move together (one identical version)');
});

t.test('every script a workflow calls exists and is executable', async (t) => {
  // The variables, secrets and environments they read: delivery-settings.test.ts.
  for (const w of workflows) {
    for (const script of new Set(w.text.match(/\.github\/scripts\/[\w-]+\.sh/g) ?? [])) {
      t.doesNotThrow(() => accessSync(join(REPO_ROOT, script), constants.X_OK), `${w.file}: ${script}`);
    }
  }
});
