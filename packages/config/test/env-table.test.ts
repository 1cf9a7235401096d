import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import t from 'tap';
import { ENV_TABLE_MARKERS, EnvSchema, envTable, withEnvTable } from '../src/index.js';

const docPath = resolve(import.meta.dirname, '../../../docs/service.md');

t.test('docs/service.md carries the environment table generated from the schema', async (t) => {
  const doc = readFileSync(docPath, 'utf8');
  t.equal(doc.split(ENV_TABLE_MARKERS.start).length, 2, 'one generated section');
  t.equal(withEnvTable(doc), doc, 'the committed table is the generated one (run: nx run config:env-table)');
});

t.test('the generated table has one row per variable, in schema order, with its default', async (t) => {
  const rows = envTable().split('\n').slice(2);
  const properties = EnvSchema.properties as Record<string, { default?: unknown }>;
  t.same(
    rows.map((row) => row.split(' | ')[0]),
    Object.keys(properties).map((name) => `| \`${name}\``),
  );
  const port = rows.find((row) => row.startsWith('| `PORT`'))!;
  t.equal(port.split(' | ')[1], `\`${String(properties['PORT']!.default)}\``, 'a default is shown as code');
  const dsn = rows.find((row) => row.startsWith('| `SENTRY_DSN`'))!;
  t.equal(dsn.split(' | ')[1], '(unset)', 'an optional variable without default is "(unset)"');
});

t.test('a document without the markers is refused with a clear error', async (t) => {
  t.throws(() => withEnvTable('# no table here\n'), /no "<!-- env-table:start/);
});
