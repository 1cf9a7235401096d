import { EnvSchema } from './env-schema.js';
import { describeRule, type SchemaLike } from './load-config.js';

/** The comments that delimit the generated table in docs/service.md. */
export const ENV_TABLE_MARKERS = {
  start: '<!-- env-table:start (generated from EnvSchema by `nx run config:env-table`; do not edit) -->',
  end: '<!-- env-table:end -->',
} as const;

/** A Markdown table cell: pipes escaped, line breaks flattened. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/**
 * The service's environment variables as a Markdown table, one row per `EnvSchema` property in
 * schema order: name, default (or "(unset)"), description and the rule `loadConfig` enforces.
 */
export function envTable(): string {
  const properties = EnvSchema.properties as unknown as Record<string, SchemaLike & { default?: unknown }>;
  const rows = Object.entries(properties).map(([name, schema]) => {
    const defaultText = schema.default === undefined ? '(unset)' : `\`${String(schema.default)}\``;
    const meaning = [schema.description, describeRule(schema)].filter(Boolean).join('; ');
    return `| \`${name}\` | ${cell(defaultText)} | ${cell(meaning)} |`;
  });
  return ['| variable | default | meaning and allowed values |', '|---|---|---|', ...rows].join('\n');
}

/** `document` with the text between the table's markers replaced by the generated table. */
export function withEnvTable(document: string): string {
  const start = document.indexOf(ENV_TABLE_MARKERS.start);
  const end = document.indexOf(ENV_TABLE_MARKERS.end);
  if (start === -1 || end < start) {
    throw new Error(`the document has no "${ENV_TABLE_MARKERS.start}" ... "${ENV_TABLE_MARKERS.end}" section`);
  }
  // Prettier would re-align the columns (and the test would then see a difference): it is told to
  // leave the generated table alone.
  const table = ['<!-- prettier-ignore-start -->', envTable(), '<!-- prettier-ignore-end -->'].join('\n');
  return `${document.slice(0, start + ENV_TABLE_MARKERS.start.length)}\n${table}\n${document.slice(end)}`;
}
