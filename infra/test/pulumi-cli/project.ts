/**
 * How the Pulumi CLI loads a Pulumi.yaml, ported from its source at the version CI pins
 * (pulumi/pulumi v3.248.0, sdk/go/common/workspace): LoadProjectBytes in loaders.go runs
 * ValidateProject (the name, then the JSON schema vendored in infra/reference), then
 * RewriteConfigPathIntoStackConfigDir, RewriteShorthandConfigValues and Project.Validate (project.go).
 * Each function returns the CLI's own error text, or the project as the CLI holds it afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { REPO_ROOT } from '../mocks.js';

export const PULUMI_VERSION = '3.248.0';

/** A config declaration after the shorthand rewrite (project.go ProjectConfigType). */
export interface ConfigType {
  readonly type?: string;
  readonly items?: ItemsType;
  readonly description?: string;
  readonly secret?: boolean;
  readonly default?: unknown;
  readonly value?: unknown;
}
export interface ItemsType {
  readonly type: string;
  readonly items?: ItemsType;
}

export interface Project {
  readonly name: string;
  readonly main?: string;
  readonly runtime?: string | { name: string; options?: Record<string, unknown> };
  readonly stackConfigDir?: string;
  readonly backend?: { url?: string };
  readonly config: Record<string, ConfigType>;
  readonly [key: string]: unknown;
}

const schema = JSON.parse(
  readFileSync(join(REPO_ROOT, `infra/reference/pulumi-project-${PULUMI_VERSION}.schema.json`), 'utf8'),
) as Record<string, unknown>;
const validateSchema = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/** Loads a project file the way `pulumi preview` does; throws the CLI's error. */
export function loadProject(path: string): Project {
  return parseProject(readFileSync(path, 'utf8'), path);
}

/** loaders.go LoadProjectBytes over the file's text. */
export function parseProject(text: string, path = 'Pulumi.yaml'): Project {
  const raw = parse(text) as unknown;
  const problem = validateProject(raw);
  if (problem) throw new Error(`could not validate '${path}': ${problem}`);
  const project = rewriteShorthandConfigValues(rewriteConfigPathIntoStackConfigDir({ ...(raw as object) }));
  const invalid = validate(project);
  if (invalid) throw new Error(`could not unmarshal '${path}': ${invalid}`);
  return project;
}

/** project.go ValidateProject: the name checks the schema cannot give, then the JSON schema. */
export function validateProject(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return `expected project to be an object`;
  const project = raw as Record<string, unknown>;
  if (!('name' in project)) return "project is missing a 'name' attribute";
  if (typeof project['name'] !== 'string' || project['name'] === '')
    return "project is missing a non-empty string 'name' attribute";
  if (validateSchema(project)) return undefined;
  return (validateSchema.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`).join('; ');
}

function rewriteConfigPathIntoStackConfigDir(project: Record<string, unknown>): Record<string, unknown> {
  const config = project['config'];
  if (typeof config === 'string') {
    if ('stackConfigDir' in project)
      throw new Error(
        'Should not use both config and stackConfigDir to define the stack directory. Use only stackConfigDir instead.',
      );
    return { ...project, stackConfigDir: config, config: undefined };
  }
  return project;
}

/** project.go configKeyIsNamespacedByProject. */
export const isProjectKey = (projectName: string, key: string) =>
  !key.includes(':') || key.startsWith(`${projectName}:`);

const isPrimitive = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);

/**
 * project.go RewriteShorthandConfigValues: a scalar or list under a project key is a `default`,
 * under another namespace (aws:region) a `value`.
 */
function rewriteShorthandConfigValues(project: Record<string, unknown>): Project {
  const name = project['name'] as string;
  const config = (project['config'] ?? {}) as Record<string, unknown>;
  const rewritten: Record<string, ConfigType> = {};
  for (const [key, value] of Object.entries(config)) {
    if (isPrimitive(value) || Array.isArray(value))
      rewritten[key] = isProjectKey(name, key) ? { default: value } : { value };
    else rewritten[key] = (value ?? {}) as ConfigType;
  }
  return { ...project, name, config: rewritten } as Project;
}

/** project.go InferFullTypeName: array<array<string>> and friends, as the CLI's errors name them. */
export function inferFullTypeName(type: string, items?: ItemsType): string {
  return items ? `array<${inferFullTypeName(items.type, items.items)}>` : type;
}

/**
 * project.go ValidateConfigValue. Values come as the CLI holds them: text for every scalar of a
 * stack file (config/object.go MarshalString), JSON-decoded lists and maps, YAML values for defaults.
 */
export function validateConfigValue(type: string, items: ItemsType | undefined, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      if (typeof value === 'number') return Number.isInteger(value);
      // strconv.Atoi: an optional sign and decimal digits, within 64 bits.
      return typeof value === 'string' && /^[+-]?\d+$/.test(value) && Number.isSafeInteger(Number(value));
    case 'boolean':
      return value === 'true' || value === 'false' || typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      if (!Array.isArray(value) || items === undefined) return false;
      return value.every((item) => validateConfigValue(items.type, items.items, item));
  }
}

/** project.go (*Project).Validate, the first error in the CLI's order of checks. */
export function validate(project: Project): string | undefined {
  for (const [key, declared] of Object.entries(project.config)) {
    if (declared.default !== undefined && declared.value !== undefined)
      return `project config '${key}' cannot have both a 'default' and 'value' attribute`;
    const typed = declared.type !== undefined;
    if (isProjectKey(project.name, key)) {
      if (typed && declared.type === 'array' && declared.items === undefined)
        return `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`;
      if (
        typed &&
        declared.default !== undefined &&
        !validateConfigValue(declared.type!, declared.items, declared.default)
      )
        return `The default value specified for configuration key '${key}' is not of the expected type '${inferFullTypeName(declared.type!, declared.items)}'`;
    } else {
      if (typed) return `Configuration key '${key}' is not namespaced by the project and should not define a type`;
      if (declared.default !== undefined)
        return `Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`;
      if (declared.value === undefined)
        return `Configuration key '${key}' is namespaced and must provide an attribute 'value'`;
    }
  }
  return undefined;
}

/**
 * tokens/project.go ValidateProjectName (the DIY backend checks it on every stack reference), and
 * pkg/workspace/templates.go ValidateProjectName's reserved names.
 */
export function validateProjectName(name: string): string | undefined {
  if (name === '') return 'project names may not be empty';
  if (name.length > 100) return 'project names are limited to 100 characters';
  if (!/^[A-Za-z0-9_.-]+$/.test(name))
    return 'project names may only contain alphanumerics, hyphens, underscores, and periods';
  if (name.toLowerCase() === 'pulumi' || name.toLowerCase().startsWith('pulumi.'))
    return 'project name must not be `Pulumi` and must not start with the prefix `Pulumi.` to avoid collision with standard libraries';
  return undefined;
}

/** tokens/stack_name.go ParseStackName. */
export function parseStackName(name: string): string | undefined {
  if (name === '') return 'a stack name may not be empty';
  if (name.length > 100) return 'a stack name cannot exceed 100 characters';
  const bad = /[^A-Za-z0-9_.-]/.exec(name);
  if (bad)
    return `a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid character ${JSON.stringify(bad[0])} at position ${bad.index}`;
  return undefined;
}

/** The runtime's name and options, whichever form Pulumi.yaml (or PulumiPolicy.yaml) uses. */
export function runtimeOf(project: { runtime?: unknown }): { name: string; options: Record<string, unknown> } {
  const runtime = project.runtime;
  if (typeof runtime === 'string') return { name: runtime, options: {} };
  const { name, options } = (runtime ?? {}) as { name?: string; options?: Record<string, unknown> };
  return { name: name ?? '', options: options ?? {} };
}

/**
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go parseOptions: the nodejs host's runtime options,
 * checked when it starts (unknown options are ignored).
 */
export function parseNodejsOptions(options: Record<string, unknown>): string | undefined {
  if ('typescript' in options && typeof options['typescript'] !== 'boolean')
    return 'typescript option must be a boolean';
  if ('tsconfig' in options && typeof options['tsconfig'] !== 'string') return 'tsconfigpath option must be a string';
  if ('nodeargs' in options && typeof options['nodeargs'] !== 'string') return 'nodeargs option must be a string';
  if ('packagemanager' in options) {
    const pm = options['packagemanager'];
    if (typeof pm !== 'string') return 'packagemanager option must be a string';
    if (!['auto', 'npm', 'yarn', 'pnpm', 'bun'].includes(pm))
      return `packagemanager option must be one of auto, npm, yarn, pnpm or bun, got ${JSON.stringify(pm)}`;
  }
  return undefined;
}
