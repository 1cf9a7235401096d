// The prerequisites of a first deploy (src/config/prerequisites.ts, the table in docs/infra.md)
// against what needs them: the Pulumi CLI against the engine features the program uses and the
// version CI installs, each quota against what both stacks declare in their one account.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import {
  ACCOUNT_QUOTAS,
  PREREQUISITES_MARKERS,
  PULUMI_CLI_MINIMUM,
  withPrerequisites,
} from '../../src/config/prerequisites.js';
import { declaredProgram } from '../ci/declared.js';
import { REPO_ROOT } from '../mocks.js';
import { quotaNeeds } from '../system/quotas.js';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const version = (v: string) =>
  v
    .split('.')
    .map(Number)
    .reduce((sum, part) => sum * 1000 + part, 0);

t.test('docs/infra.md carries the prerequisites table generated from the code', async (t) => {
  const doc = read('docs/infra.md');
  t.equal(doc.split(PREREQUISITES_MARKERS.start).length, 2, 'one generated section');
  t.equal(withPrerequisites(doc), doc, 'the committed table is the generated one (run: nx run infra:doc-tables)');
  t.throws(
    () => withPrerequisites('# none\n'),
    /no "<!-- prerequisites:start/,
    'a document without markers is refused',
  );
});

t.test('the minimum Pulumi CLI has resource transforms, and CI installs at least it', async (t) => {
  // Transforms became stable in the engine and the Node SDK in 3.115.0 (pulumi/pulumi CHANGELOG,
  // #16080); lib/permissions-boundary.ts registers one, which an older CLI refuses.
  t.ok(version(PULUMI_CLI_MINIMUM) >= version('3.115.0'), `${PULUMI_CLI_MINIMUM} supports resource transforms`);
  for (const workflow of ['drift', 'infra-preview', 'infra-up']) {
    const pinned = (parse(read(`.github/workflows/${workflow}.yml`)) as { env?: Record<string, unknown> }).env?.[
      'PULUMI_VERSION'
    ];
    t.ok(
      typeof pinned === 'string' && version(pinned) >= version(PULUMI_CLI_MINIMUM),
      `${workflow}.yml pins ${String(pinned)}, at least ${PULUMI_CLI_MINIMUM}`,
    );
  }
});

t.test("the quotas to ask for cover what both stacks need (a new account's defaults can be lower)", async (t) => {
  const needs = quotaNeeds([declaredProgram('dev').recorded, declaredProgram('prod').recorded]);
  for (const need of needs) {
    const asked = ACCOUNT_QUOTAS.find((q) => q.quotaCode === need.code);
    t.ok(asked, `${need.code} is in the prerequisites`);
    t.ok(
      (asked?.atLeast ?? 0) >= need.need,
      `${need.code}: asks for ${asked?.atLeast}, both stacks need ${need.need} (${need.how})`,
    );
  }
  t.same(
    ACCOUNT_QUOTAS.map((q) => q.quotaCode).filter((code) => !needs.some((n) => n.code === code)),
    [],
    'no quota is asked for that nothing declared needs',
  );
});
