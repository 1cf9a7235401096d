// The second review of CI/CD and IAM ("would every workflow succeed on its first real run, and
// what could a pull request, a Dependabot pull request or a compromised dependency do?"): the
// findings that join the workflow files and what the program declares, one test per finding.
import t from 'tap';
import { declaredIam, type DeclaredIam } from './ci/declared.js';
import { workflowJobs, type JobRow } from './ci/workflow-jobs.js';

const stacks = { dev: declaredIam('dev'), prod: declaredIam('prod') };
const jobs = workflowJobs('repo:zumo-platform/zumo');
const roleOf = (d: DeclaredIam, kind: string) => {
  const found = d.roles.find((r) => r.name === `zumo-${d.stack}-${kind}`);
  if (!found) throw new Error(`zumo-${d.stack}-${kind} is not declared`);
  return found;
};
const onRunner = (d: DeclaredIam) => (job: JobRow) => job.runsOn.startsWith(`codebuild-${d.resources.runnerProject}-`);

t.test('item 6: nothing a job holds expires before the job times out', async (t) => {
  // A `pulumi up` cut off (job timeout, expired credentials, the runner's build timeout) leaves
  // its stack locked and its last checkpoint behind (docs/delivery.md, "A locked stack").
  for (const job of jobs) {
    const role = job.roles[0];
    if (role) {
      const declared = roleOf(stacks[role.stack], role.kind);
      t.ok(
        job.roleDurationSeconds! >= job.timeoutMinutes * 60,
        `${job.id}: a ${job.roleDurationSeconds} s session outlasts its ${job.timeoutMinutes} min timeout`,
      );
      t.ok(
        job.roleDurationSeconds! <= declared.maxSessionDuration,
        `${job.id}: ${role.stack}-${role.kind} allows ${declared.maxSessionDuration} s sessions`,
      );
    }
    if (job.capabilities.some((c) => c.kind === 'pulumi' && c.command === 'up'))
      t.ok(job.timeoutMinutes >= 150, `${job.id}: an up of a cluster (nodes, add-ons, Argo CD) has 150 minutes`);
  }
  for (const d of Object.values(stacks)) {
    const longest = Math.max(...jobs.filter(onRunner(d)).map((j) => j.timeoutMinutes));
    t.ok(
      d.resources.runnerProjectSettings.buildTimeout! > longest,
      `${d.stack}: the runner's build (${d.resources.runnerProjectSettings.buildTimeout} min) outlives its longest job (${longest} min)`,
    );
  }
});
