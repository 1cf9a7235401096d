import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import t from 'tap';
import { EnvSchema } from '../src/index.js';

/** The README's configuration table is the operators' reference: it must list exactly the schema. */
const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
const section = readme.split('## Configuration')[1]?.split('\n## ')[0] ?? '';
const rows = [...section.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]*) \|/gm)].map(([, name, defaultCell]) => ({
  name: name!,
  defaultText: defaultCell!.trim(),
}));

t.test('README configuration table matches the environment schema', async (t) => {
  t.ok(rows.length > 0, 'the README has a configuration table');
  t.same(
    rows.map((r) => r.name),
    Object.keys(EnvSchema.properties),
    'same variables, in schema order',
  );
  for (const { name, defaultText } of rows) {
    const schema = (EnvSchema.properties as Record<string, { default?: unknown }>)[name]!;
    const expected = schema.default === undefined ? '(unset)' : `\`${String(schema.default)}\``;
    t.equal(defaultText, expected, `${name}: README default matches the schema`);
  }
});
