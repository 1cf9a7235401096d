/**
 * The generated part of the root Pulumi.yaml: from its marker line to the end, the `config:` block
 * (the keys every stack must set, typed and described, without default) and a comment listing the
 * optional keys with their type, dev and prod defaults and description, all from config-keys.ts
 * and defaultsFor(). `npx nx run infra:project-config` rewrites it; a test compares.
 */
import { stringify } from 'yaml';
import { CONFIG_KEYS, CONFIG_KEY_NAMES, type ConfigKey, type ConfigKeyName } from './config-keys.js';
import { defaultsFor } from './stack-config.js';

export const GENERATED_MARKER = '# Generated from infra/src/config/config-keys.ts';

const WIDTH = 100;

/** The CLI's declaration of a key (project.json configTypeDeclaration). */
function declaration(spec: ConfigKey) {
  const array = /^array<(.+)>$/.exec(spec.type);
  return {
    type: array ? 'array' : spec.type,
    ...(array ? { items: { type: array[1] } } : {}),
    ...(spec.secret ? { secret: true } : {}),
    description: spec.description,
  };
}

const shown = (value: unknown): string =>
  value === undefined ? 'none' : Array.isArray(value) ? `[${value.join(', ')}]` : String(value);

/** `dev X, prod Y`, or one value when both stacks default alike. */
function defaultsText(key: ConfigKeyName, spec: ConfigKey): string {
  if (spec.defaultText) return spec.defaultText;
  const [dev, prod] = (['dev', 'prod'] as const).map((e) => shown((defaultsFor(e) as Record<string, unknown>)[key]));
  return dev === prod ? dev! : `dev ${dev}, prod ${prod}`;
}

/** Words (a `code span` counts as one) wrapped into comment lines of at most WIDTH characters. */
function comment(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const [word] of text.matchAll(/\S*`[^`]*`\S*|\S+/g)) {
    if (line && `# ${indent}${line} ${word}`.length > WIDTH) {
      lines.push(`# ${indent}${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, `# ${indent}${line}`];
}

export function generatedConfig(): string {
  const required = CONFIG_KEY_NAMES.filter((key) => (CONFIG_KEYS[key] as ConfigKey).required);
  const optional = CONFIG_KEY_NAMES.filter((key) => !(CONFIG_KEYS[key] as ConfigKey).required);
  const config = Object.fromEntries(required.map((key) => [key, declaration(CONFIG_KEYS[key])]));
  return [
    `${GENERATED_MARKER} by \`npx nx run infra:project-config\`: edit the table there.`,
    ...comment(
      'Declared here: the keys every stack must set (the Pulumi CLI refuses a stack without one). ' +
        'The optional keys below are deliberately not declared: a declared key needs a default or a value ' +
        'in every stack, and the CLI injects a declared default into the stack config, which would override ' +
        "the program's per-environment defaults (infra/src/config/stack-config.ts).",
      '',
    ),
    stringify({ config }, { lineWidth: 0 }).trimEnd(),
    '#',
    ...comment(
      'Optional keys: set one in Pulumi.<stack>.yaml as zumo:<key> only to change its default. ' +
        'The program validates every key before declaring anything.',
      '',
    ),
    ...optional.flatMap((key) => {
      const spec: ConfigKey = CONFIG_KEYS[key];
      return [
        '#',
        `#   ${key} (${spec.type}${spec.secret ? ', secret' : ''}; default ${defaultsText(key, spec)})`,
        ...comment(spec.description, '    '),
      ];
    }),
    '',
  ].join('\n');
}

/** Pulumi.yaml with its generated part (from the marker to the end) replaced by the current one. */
export function withGeneratedConfig(projectFile: string): string {
  const at = projectFile.indexOf(GENERATED_MARKER);
  const head = at < 0 ? projectFile.replace(/\n*$/, '\n') : projectFile.slice(0, at);
  return head + generatedConfig();
}
