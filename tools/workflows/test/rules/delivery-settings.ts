// The environments, variables and secrets the workflows read are data (delivery-settings.mjs):
// it names exactly what the workflows use, and docs/delivery.md's setup tables are its output.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { DELIVERY_DOC, ENVIRONMENTS, render, SECRETS, VARIABLES } from '../../delivery-settings.mjs';
import { environment, jobs, loadWorkflows } from '../workflows.js';

const workflows = loadWorkflows();
const used = (kind: 'vars' | 'secrets') =>
  [
    ...new Set(
      workflows.flatMap((w) => [...w.text.matchAll(new RegExp(`\\b${kind}\\.([A-Z0-9_]+)`, 'g'))].map((m) => m[1]!)),
    ),
  ].sort();

t.test('the data names every environment, variable and secret the workflows use, and no other', async (t) => {
  const environments = new Set(workflows.flatMap((w) => jobs(w).flatMap(([, job]) => environment(job) ?? [])));
  t.same(ENVIRONMENTS.map((e) => e.name).sort(), [...environments].sort(), 'environments');
  t.same(VARIABLES.flatMap((v) => v.names).sort(), used('vars'), 'repository variables');
  t.same(SECRETS.map((s) => s.name).sort(), used('secrets'), 'secrets');
  for (const secret of SECRETS.filter((s) => s.environment))
    t.ok(environments.has(secret.environment!), `${secret.name} lives in an environment a job uses`);
});

t.test("docs/delivery.md's setup tables are the data's (node tools/workflows/delivery-settings.mjs)", async (t) => {
  const doc = readFileSync(DELIVERY_DOC, 'utf8');
  t.equal(render(doc), doc);
  t.throws(() => render('no markers\n'), /docs\/delivery.md has no "<!-- generated: delivery-settings environments/);
});
