/**
 * The config infra/bootstrap's program receives: what the documented setup sets (docs/infra.md,
 * `pulumi config set` in infra/bootstrap, with the test account for `<account-id>`) merged with
 * its Pulumi.yaml's values and defaults exactly as the CLI merges them (mergeConfig), as the
 * engine hands it over (PULUMI_CONFIG: every value as text, lists as JSON).
 */
import { join } from 'node:path';
import { ACCOUNT, REPO_ROOT } from '../mocks.js';
import { commandsOf, docsSection, documentedStacks } from './documented-setup.js';
import { loadProject } from './project.js';
import { mergeConfig, toConfigValue } from './stack.js';

export function bootstrapConfig(): Record<string, string> {
  const project = loadProject(join(REPO_ROOT, 'infra/bootstrap/Pulumi.yaml'));
  const documented = documentedStacks(commandsOf(docsSection('Deploy from zero'))).find(
    (s) => s.dir === 'infra/bootstrap',
  );
  if (!documented) throw new Error('docs/infra.md creates no infra/bootstrap stack');
  const set = Object.entries(documented.config).map(([key, value]): [string, ReturnType<typeof toConfigValue>] => [
    `${project.name}:${key}`,
    toConfigValue(typeof value === 'string' ? value.replaceAll('<account-id>', ACCOUNT) : value),
  ]);
  const merged = mergeConfig(documented.stack, project, new Map(set));
  if ('error' in merged) throw new Error(merged.error);
  return Object.fromEntries([...merged.config].map(([key, value]) => [key, value.text]));
}
