import { Value } from 'typebox/value';
import { EnvSchema, type Env, type EnvName } from './env-schema.js';

/** One variable that failed validation. */
export interface ConfigProblem {
  readonly name: string;
  /** What was received, or undefined when the variable was missing. */
  readonly received: string | undefined;
  /** What the schema allows, in words. */
  readonly allowed: string;
}

/** Thrown by `loadConfig` with every bad variable at once, so one boot shows all mistakes. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  /** `subject` names what was validated: the service's environment, or a Pulumi stack's config. */
  constructor(problems: readonly ConfigProblem[], subject = 'environment') {
    const lines = problems.map(
      (p) =>
        `  - ${p.name}: received ${p.received === undefined ? 'nothing' : JSON.stringify(p.received)}; allowed: ${p.allowed}`,
    );
    super(
      `Invalid ${subject} (${problems.length} ${problems.length === 1 ? 'setting' : 'settings'}):\n${lines.join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface SchemaLike {
  type?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  anyOf?: { const?: unknown }[];
  description?: string;
}

/** The rule a property schema enforces, in words (type, bounds, pattern), without its description. */
export function describeRule(schema: SchemaLike): string {
  if (schema.anyOf) return `one of ${schema.anyOf.map((s) => String(s.const)).join(', ')}`;
  const parts: string[] = [];
  if (schema.type === 'integer' || schema.type === 'number') {
    parts.push(`${schema.type === 'integer' ? 'an integer' : 'a number'} from ${schema.minimum} to ${schema.maximum}`);
  } else if (schema.type === 'string') {
    parts.push(schema.pattern ? `text matching ${schema.pattern}` : 'text');
    if (schema.minLength !== undefined || schema.maxLength !== undefined) {
      parts.push(`${schema.minLength ?? 0} to ${schema.maxLength ?? '∞'} characters`);
    }
  }
  return parts.join(', ');
}

/** Describes a property schema in words: the "allowed" half of an error message. */
export function describeAllowed(schema: SchemaLike): string {
  const rule = describeRule(schema);
  return schema.description ? `${rule} (${schema.description})` : rule;
}

/** Variables whose value may carry a password: an error shows them with the password hidden. */
const WITH_PASSWORD = new Set<string>(['DATABASE_URL']);

/** The value as an error may show it: a URL's password replaced by `***`, anything unparsable withheld. */
export function shown(name: string, value: string | undefined): string | undefined {
  if (value === undefined || !WITH_PASSWORD.has(name)) return value;
  if (!URL.canParse(value)) return '(withheld: not a URL, and it may hold a password)';
  const url = new URL(value);
  if (url.password) url.password = '***';
  return url.toString();
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** Text to number only when it is plainly a number ("80.5" stays 80.5 and fails an integer
 * check, instead of being truncated to 80); anything else stays text and fails the type check. */
function toDeclaredType(schema: SchemaLike, value: string): unknown {
  const numeric = schema.type === 'integer' || schema.type === 'number';
  return numeric && NUMERIC.test(value.trim()) ? Number(value) : value;
}

const properties = EnvSchema.properties as unknown as Record<EnvName, SchemaLike>;
const names = Object.keys(properties) as EnvName[];
const required = new Set<string>(EnvSchema.required);

/**
 * Validates the environment against `EnvSchema`: picks only the schema's variables, treats an
 * empty string as unset (so `SENTRY_DSN=` disables Sentry), converts plain numbers, applies defaults.
 * Returns a frozen typed object or throws one `ConfigError` naming every bad variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Readonly<Env> {
  const raw: Record<string, string> = {};
  const typed: Record<string, unknown> = {};
  for (const name of names) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    raw[name] = value;
    typed[name] = toDeclaredType(properties[name], value);
  }
  const candidate = Value.Default(EnvSchema, typed);
  if (Value.Check(EnvSchema, candidate)) return Object.freeze(candidate);

  // Checked one variable at a time: TypeBox's error iterator can stop early after a union
  // mismatch, and the contract is to name every bad variable in one error.
  const values = candidate as Record<string, unknown>;
  const bad = new Set(
    names.filter((name) => {
      if (values[name] === undefined) return required.has(name);
      return !Value.Check(EnvSchema.properties[name], values[name]);
    }),
  );
  throw new ConfigError(
    names
      .filter((name) => bad.has(name))
      .map((name) => ({ name, received: shown(name, raw[name]), allowed: describeAllowed(properties[name]) })),
  );
}
