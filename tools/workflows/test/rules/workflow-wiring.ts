// How each workflow's jobs and steps are wired (docs/delivery.md, "The workflows"): what starts
// them, in which order their jobs run, and what each job calls. The rules every workflow keeps
// (pins, permissions, concurrency, runners) are supply-chain, least-privilege and rules/scheduling.ts.
import t from 'tap';
import { byName, environment, jobRuns, jobs, runs } from '../workflows.js';

t.test('ci: Node 22 and 24, npm cache, nx-set-shas, affected targets, report upload', async (t) => {
  const ci = byName('ci');
  t.ok('pull_request' in ci.on && 'push' in ci.on);
  const job = Object.values(ci.jobs)[0]!;
  t.same((job as unknown as { strategy: { matrix: { node: number[] } } }).strategy.matrix.node, [22, 24]);
  t.ok(job.steps.some((s) => s.uses?.startsWith('actions/setup-node@') && s.with?.['cache'] === 'npm'));
  t.ok(job.steps.some((s) => s.uses?.startsWith('nrwl/nx-set-shas@')));
  // Nx 23 replays only results its own task database records, and that database is per machine
  // (nx tasks-runner/cache.js assertCacheIsValid: "Nx can only restore artifacts it has metadata
  // about"): a restored .nx/cache would only grow, never hit.
  t.notOk(
    job.steps.some((s) => s.uses?.startsWith('actions/cache@')),
    'no Nx results cache carried between runners',
  );
  t.ok(runs(ci).some((r) => r.includes('nx affected -t lint typecheck test build')));
  t.ok(
    runs(ci).some((r) => r.includes('nx run workflows:test')),
    'workflow checks always run',
  );
  t.ok(
    runs(ci).some((r) => r.includes('nx run repo-checks:format-check')),
    'the format check always runs',
  );
  t.ok(job.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@') && s.if?.includes('!cancelled()')));
});

t.test('release: when web is affected; image, page, then the bump before anything optional', async (t) => {
  const release = byName('release');
  t.same(release.on['workflow_run'], { workflows: ['ci'], types: ['completed'], branches: ['main'] });
  t.match(release.jobs['changes']!.if, "workflow_run.conclusion == 'success'");
  t.match(jobRuns(release.jobs['changes']!).join('\n'), 'web-affected.sh deploy/web/overlays/dev "$COMMIT"');
  const image = release.jobs['image']!;
  t.equal(image.if, "${{ needs.changes.outputs.web == 'true' }}", 'only when the web project is affected');
  t.match(jobRuns(image).join('\n'), 'release-image.sh "$REPOSITORY" "$COMMIT"', 'pushes and records the digest');
  t.same(
    Object.fromEntries(
      ['RUN_ATTEMPT', 'FIRST_ATTEMPT_STARTED'].map((k) => [k, image.steps.find((s) => s.id === 'image')?.env?.[k]]),
    ),
    { RUN_ATTEMPT: '${{ github.run_attempt }}', FIRST_ATTEMPT_STARTED: '${{ steps.first.outputs.started }}' },
    'an existing tag is reused only by a rerun of the run that pushed it',
  );
  t.notOk(
    image.steps.some((s) => s.uses?.startsWith('actions/setup-node@') || /\bnpm\b|\bnpx\b/.test(s.run ?? '')),
    'the job with the ECR role installs nothing on the host (the image builds inside Docker)',
  );
  t.equal(release.jobs['page']!.needs, 'image', 'the page after the image');
  t.match(jobRuns(release.jobs['page']!).join('\n'), 'sync-static-cli.js');
  t.same(release.jobs['bump']!.needs, ['image', 'page'], 'the bump after the image and the page: new page, new pod');
  for (const id of ['record', 'sentry']) {
    const job = release.jobs[id]!;
    t.equal(job.needs, 'bump', `${id}: optional steps only after the bump`);
    for (const step of job.steps.filter((s) => /aws s3 cp --recursive|sentry-release\.sh/.test(s.run ?? '')))
      t.equal(step['continue-on-error'], true, `${id}: ${step.name} never fails the release`);
  }
});

t.test('promote: a dispatch names what dev runs, copies it and proposes it; the merge is pinned', async (t) => {
  const promote = byName('promote');
  const dispatch = promote.on['workflow_dispatch'] as { inputs: Record<string, { required: boolean; type: string }> };
  t.match(dispatch.inputs['tag'], { required: true, type: 'string' }, 'the release to promote is named');
  t.same((promote.on['push'] as { paths: string[] }).paths, ['deploy/web/overlays/prod/**']);
  const sourceJob = promote.jobs['source']!;
  const source = sourceJob.steps.find((s) => s.id === 'dev')!;
  t.equal(source.run, 'bash .github/scripts/promotion-source.sh deploy/web/overlays/dev "$TAG" >> "$GITHUB_OUTPUT"');
  t.equal(source.env?.['TAG'], '${{ inputs.tag }}', 'checked against the tag asked for');
  t.same(
    sourceJob.permissions,
    { contents: 'read' },
    'read by a job with no credential and no OIDC token: the overlay reader runs a package',
  );
  const copy = promote.jobs['copy']!;
  t.equal(copy.needs, 'source', 'only what source read is copied');
  t.notMatch(jobRuns(copy).join('\n'), /npm|set-image|promotion-source/, 'the job with the OIDC token runs no package');
  t.match(jobRuns(copy).join('\n'), 'promote-image.sh "$DEV_REPOSITORY" "$PROD_REPOSITORY" "$TAG" "$DIGEST"');
  t.notMatch(runs(promote).join('\n'), /docker (pull|push)/, 'no pull and push: the digest must survive the copy');
  t.equal(promote.jobs['pull-request']!.needs, 'copy', 'the pull request only for a copied image');
  const pin = promote.jobs['pin']!;
  t.match(pin.if, "github.event_name == 'push'", 'the pin follows a merge to main');
  t.equal(pin.steps.find((s) => s.run?.includes('pin-prod.sh'))?.env?.['COMMIT'], '${{ github.sha }}', 'that merge');
});

t.test('publish-prod and rollback-prod: a move of deployed/prod publishes; a rollback names a revision', async (t) => {
  const publish = byName('publish-prod');
  t.same(publish.on, { push: { branches: ['deployed/prod'] } }, 'every move of prod, forward or back');
  t.match(jobRuns(publish.jobs['publish-prod']!).join('\n'), 'sync-static-cli.js');
  const sentry = publish.jobs['sentry']!;
  t.equal(sentry.needs, 'publish-prod');
  t.equal(
    sentry.steps.find((s) => s.run?.includes('sentry-release.sh "$TAG" prod'))?.['continue-on-error'],
    true,
    'Sentry never fails the publication',
  );
  const rollback = byName('rollback-prod');
  const input = (rollback.on['workflow_dispatch'] as { inputs: Record<string, { required: boolean }> }).inputs;
  t.equal(input['revision']?.required, true);
  t.equal(
    rollback.jobs['pin']!.steps.find((s) => s.run?.includes('pin-prod.sh'))?.env?.['REVISION'],
    '${{ inputs.revision }}',
  );
});

t.test(
  'infra-up: after a green ci; dev, then the prod preview, then prod behind reviewers; each decides on its runner',
  async (t) => {
    const up = byName('infra-up');
    t.same(
      up.on['workflow_run'],
      { workflows: ['ci'], types: ['completed'], branches: ['main'] },
      'never before ci passed',
    );
    t.match(up.jobs['runners']!.if, "workflow_run.conclusion == 'success'");
    t.match(up.jobs['runners']!.if, "workflow_run.event == 'push'");
    t.equal(up.jobs['up-dev']!.needs, 'runners', 'dev applies only what the first job let through');
    // Deciding from the commit alone (a `changes` job) lost changes: a newer run that queues
    // cancels a waiting one, and the newer commit may not touch what the cancelled one carried.
    t.notOk(
      jobs(up).some(([, job]) => jobRuns(job).join('\n').includes('infra-affected.sh')),
      'no job decides from the commit against its parent; infra-order.sh decides against what the stack applied',
    );
    t.same(up.jobs['preview-prod']!.needs, ['runners', 'up-dev']);
    t.match(
      up.jobs['preview-prod']!.if,
      /^\$\{\{ !cancelled\(\) && needs\.up-dev\.result == 'success' && /,
      "after dev's job; never after a failed or cancelled one",
    );
    t.same(
      up.jobs['up-prod']!.needs,
      ['runners', 'preview-prod'],
      'approvers see the prod preview before they approve',
    );
    t.match(up.jobs['up-prod']!.if, /^\$\{\{ !cancelled\(\) && /);
    t.match(up.jobs['up-prod']!.if, "needs.preview-prod.result == 'success'");
    t.equal(
      up.env?.['FORCE'],
      "${{ github.event_name == 'workflow_dispatch' }}",
      'a dispatch applies whatever changed',
    );
    t.same(Object.fromEntries(jobs(up).map(([id, job]) => [id, environment(job)])), {
      runners: undefined,
      'up-dev': 'dev-infra',
      'preview-prod': 'prod-preview',
      'up-prod': 'prod-infra',
    });
    t.match(jobRuns(up.jobs['preview-prod']!).join('\n'), 'GITHUB_STEP_SUMMARY', 'the preview is in the run summary');
  },
);

t.test('infra-up never applies an older commit after a newer one', async (t) => {
  const up = byName('infra-up');
  for (const [id, job] of jobs(up)) {
    const apply = job.steps.findIndex((s) => /nx run infra:up:(dev|prod)/.test(s.run ?? ''));
    if (apply < 0) continue;
    const stack = /nx run infra:up:(dev|prod)/.exec(job.steps[apply]!.run!)![1];
    const order = job.steps.findIndex((s) => s.id === 'order');
    t.ok(order >= 0 && order < apply, `${id}: checks the order right before the up`);
    t.equal(
      job.steps[order]?.run,
      `bash .github/scripts/infra-order.sh ${stack} "$COMMIT" >> "$GITHUB_OUTPUT"`,
      `${id}: against what ${stack} last applied`,
    );
    t.equal(job.steps[apply]!.if, "${{ steps.order.outputs.apply == 'true' }}", `${id}: up only when not older`);
    const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    t.equal(checkout?.with?.['fetch-depth'], 0, `${id}: the full history (ancestry is checked)`);
  }
  const preview = up.jobs['preview-prod']!;
  t.match(JSON.stringify(preview), 'infra-order.sh prod', 'the prod preview checks too (approvers see no stale run)');
  t.match(up.jobs['up-prod']!.if, "needs.preview-prod.outputs.apply == 'true'", 'no approval asked for a stale run');
});

t.test('infra-preview and drift: dev from pull requests, both stacks at night, one comment, one issue', async (t) => {
  const preview = byName('infra-preview');
  const previewScript = runs(preview).join('\n');
  t.match(previewScript, 'nx run infra:preview:dev');
  t.notMatch(previewScript, 'infra:preview:prod', 'a pull request never previews prod');
  t.equal(previewScript.match(/upsert-pr-comment\.sh/g)?.length, 1, 'one comment');
  t.ok((preview.on['pull_request'] as { paths: string[] }).paths.includes('packages/**'));

  const drift = byName('drift');
  t.ok('schedule' in drift.on);
  const driftScript = runs(drift).join('\n');
  for (const stack of ['dev', 'prod'])
    t.match(driftScript, `nx run infra:preview:${stack} --outputStyle=static -- --refresh --expect-no-changes`);
  t.match(driftScript, 'drift-issue.sh');
});
