// The root Pulumi.yaml documents every stack config key from one table (src/config/config-keys.ts)
// and the program's defaults: what is committed is what `npx nx run infra:project-config` writes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { REPO_ROOT } from '../mocks.js';
import { GENERATED_MARKER, withGeneratedConfig } from '../../src/config/project-file.js';
import {
  CONFIG_KEYS,
  CONFIG_KEY_NAMES,
  REQUIRED_KEYS,
  SECRET_KEYS,
  type ConfigKey,
} from '../../src/config/config-keys.js';
import { defaultsFor } from '../../src/config/stack-config.js';

const committed = readFileSync(join(REPO_ROOT, 'Pulumi.yaml'), 'utf8');

t.test('the committed Pulumi.yaml is what the generator writes', async (t) => {
  t.ok(committed.includes(GENERATED_MARKER), 'it has the generated part');
  t.equal(
    committed,
    withGeneratedConfig(committed),
    'run `npx nx run infra:project-config` after editing config-keys.ts or a default in stack-config.ts',
  );
});

t.test('the table documents exactly the keys the program reads', async (t) => {
  const read = new Set<string>([
    ...Object.keys(defaultsFor('dev')),
    ...REQUIRED_KEYS,
    ...SECRET_KEYS,
    'githubOidcSubjectPrefix',
  ]);
  t.same([...CONFIG_KEY_NAMES].sort(), [...read].sort());
  for (const key of CONFIG_KEY_NAMES) {
    const spec: ConfigKey = CONFIG_KEYS[key];
    t.notOk(spec.required && spec.defaultText, `${key}: a required key has no default`);
    // The defaults come from defaultsFor(): a description that repeats one would drift from it.
    t.notMatch(spec.description, /\bDefault\b|\bdefaults? (is|to)\b/, `${key}: its description names no default`);
  }
});
