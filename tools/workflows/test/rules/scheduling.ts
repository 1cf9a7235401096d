// When and where jobs run (docs/delivery.md): no interleaving or starving runs, drift never beside
// an update, Kubernetes jobs on the stack's runner, prod's preview reaching GitHub as a summary only.
// The wiring of each workflow's steps is rules/workflow-wiring.ts.
import t from 'tap';
import { byName, jobRuns, jobs, loadWorkflows, type Job } from '../workflows.js';

const workflows = loadWorkflows();
const assumesRole = (job: Job) => job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));

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
