/**
 * How the Pulumi CLI reads a stack file and checks it against its project before the program runs
 * (`pulumi preview`, `up`, `refresh`, `destroy`), ported from pulumi/pulumi v3.248.0:
 * LoadProjectStackBytes (sdk/go/common/workspace/loaders.go), the config values of
 * sdk/go/common/resource/config (key.go ParseKey, object.go MarshalString), mergeConfig and
 * validateStackConfigValue (sdk/go/common/workspace/config.go), and the secrets manager choice
 * (pkg/cmd/pulumi/stack/secrets.go GetSecretsManager, ValidateSecretsProvider;
 * pkg/secrets/cloud/manager.go NewCloudSecretsManager).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { inferFullTypeName, validateConfigValue, type Project } from './project.js';

/** A config value as the CLI holds it (config.Value): text, and whether it is secure or JSON. */
export interface ConfigValue {
  readonly text: string;
  readonly secure: boolean;
  readonly object: boolean;
}

export interface StackFile {
  readonly secretsprovider?: string;
  readonly encryptedkey?: string;
  readonly encryptionsalt?: string;
  readonly environment?: unknown;
  /** Keys namespaced as the CLI does it (loaders.go stackConfigNamespacedWithProject). */
  readonly config: Map<string, ConfigValue>;
}

const isSecure = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && 'secure' in v;
const containsSecure = (v: unknown): boolean =>
  isSecure(v) || (typeof v === 'object' && v !== null && Object.values(v).some(containsSecure));

/** config/object.go MarshalString: scalars as text (bool and numbers as JSON), lists and maps as JSON. */
export function toConfigValue(raw: unknown): ConfigValue {
  if (raw === null || raw === undefined) return { text: '', secure: false, object: false };
  if (isSecure(raw)) return { text: String((raw as { secure: unknown }).secure), secure: true, object: false };
  if (typeof raw === 'string') return { text: raw, secure: false, object: false };
  if (typeof raw !== 'object') return { text: JSON.stringify(raw), secure: false, object: false };
  return { text: JSON.stringify(raw), secure: containsSecure(raw), object: true };
}

/** config/key.go ParseKey: `<namespace>:<name>`, or the legacy `<namespace>:config:<name>`. */
export function parseKey(key: string): string {
  const colons = key.split(':').length - 1;
  if (colons === 1) return key;
  if (colons === 2 && key.split(':')[1] === 'config') return key.replace(':config:', ':');
  throw new Error(
    `could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`,
  );
}

/** loaders.go LoadProjectStackBytes: a missing or empty file is an empty config. */
export function loadStack(project: Project, path: string): StackFile {
  return existsSync(path) ? parseStack(project, readFileSync(path, 'utf8')) : { config: new Map() };
}

/** loaders.go LoadProjectStackBytes over the file's text. */
export function parseStack(project: Project, text: string): StackFile {
  const raw = parse(text) as Record<string, unknown> | null;
  const config = new Map<string, ConfigValue>();
  for (const [key, value] of Object.entries((raw?.['config'] ?? {}) as Record<string, unknown>))
    config.set(parseKey(key.includes(':') ? key : `${project.name}:${key}`), toConfigValue(value));
  return { ...(raw ?? {}), config } as StackFile;
}

/** config.go formatMissingKeys and missingStackConfigurationKeysError. */
function missingKeysError(stack: string, keys: string[]): string {
  const sorted = [...keys].sort();
  const list =
    sorted.length === 1
      ? `'${sorted[0]}'`
      : `${sorted
          .slice(0, -1)
          .map((k) => `'${k}'`)
          .join(', ')} and '${sorted.at(-1)}'`;
  return `Stack '${stack}' is missing configuration ${sorted.length > 1 ? 'values' : 'value'} ${list}`;
}

/**
 * config.go ValidateStackConfigAndApplyProjectConfig (mergeConfig with validate): every project key
 * declared without default or value must be set; defaults and values are injected into the stack's
 * config; then validateStackConfigValues checks the typed keys. Returns the config the program gets,
 * or the CLI's error. Secure values are checked as secure only: their plaintext needs the stack's key.
 */
export function mergeConfig(
  stack: string,
  project: Project,
  stackConfig: ReadonlyMap<string, ConfigValue>,
): { config: Map<string, ConfigValue> } | { error: string } {
  const merged = new Map(stackConfig);
  const missing: string[] = [];
  const keys = Object.keys(project.config).sort();
  for (const projectKey of keys) {
    const declared = project.config[projectKey]!;
    const key = projectKey.includes(':') ? parseKey(projectKey) : `${project.name}:${projectKey}`;
    const found = merged.has(key);
    const injected = declared.value !== undefined ? declared.value : declared.default;
    if (!found && injected === undefined && key.split(':')[0] === project.name) missing.push(projectKey);
    else if (!found && injected !== undefined) merged.set(key, toConfigValue(injected));
  }
  if (missing.length) return { error: missingKeysError(stack, missing) };
  for (const projectKey of keys) {
    const declared = project.config[projectKey]!;
    if (declared.type === undefined) continue;
    const key = projectKey.includes(':') ? parseKey(projectKey) : `${project.name}:${projectKey}`;
    const value = merged.get(key) ?? { text: '', secure: false, object: false };
    if (declared.secret && !value.secure)
      return { error: `Stack '${stack}' with configuration key '${projectKey}' must be encrypted as it's secret` };
    if (value.secure) continue;
    const content = value.object ? (JSON.parse(value.text) as unknown) : value.text;
    if (!validateConfigValue(declared.type, declared.items, content))
      return {
        error: `Stack '${stack}' with configuration key '${projectKey}' must be of type '${inferFullTypeName(declared.type, declared.items)}'`,
      };
  }
  return { config: merged };
}

/** secrets.go ValidateSecretsProvider. */
export function validateSecretsProvider(url: string): string | undefined {
  const kind = url.split(':')[0]!;
  const supported = ['default', 'passphrase', 'awskms', 'azurekeyvault', 'gcpkms', 'hashivault'];
  return supported.includes(kind)
    ? undefined
    : `unknown secrets provider type '${kind}' (supported values: ${supported.join(',')})`;
}

/** What opening the stack's secrets manager costs before any operation (GetSecretsManager, eagerly). */
export interface SecretsManagerUse {
  readonly kind: 'cloud' | 'passphrase' | 'default';
  /**
   * cloud/manager.go NewCloudSecretsManager: without an encryptedkey (or under another provider
   * string) it generates a data key (keeper.Encrypt: kms:Encrypt) and must save the stack file
   * (SecretsManagerMustSave); with one, it only decrypts it (kms:Decrypt).
   */
  readonly encrypts: boolean;
  readonly rewritesStackFile: boolean;
}

export function secretsManagerUse(file: StackFile): SecretsManagerUse {
  const provider = file.secretsprovider ?? '';
  if (provider !== '' && provider !== 'passphrase' && provider !== 'default') {
    const fresh = !file.encryptedkey;
    return { kind: 'cloud', encrypts: fresh, rewritesStackFile: fresh };
  }
  if (file.encryptionsalt) return { kind: 'passphrase', encrypts: false, rewritesStackFile: false };
  return { kind: 'default', encrypts: false, rewritesStackFile: false };
}

/**
 * What `pulumi stack init <stack> --secrets-provider <url>` leaves in the stack file
 * (stack_new.go createSecretsManagerForNewStack): a cloud provider keeps a committed encryptedkey
 * of the same provider string (and must decrypt it) or writes a new one (kms:Encrypt); a
 * passphrase clears both and writes an encryptionsalt (passphrase.NewPromptingPassphraseSecretsManager).
 */
export function afterStackInit(file: StackFile, provider: string | undefined): StackFile {
  if (provider === undefined || provider === '' || provider === 'default' || provider === 'passphrase') {
    const { secretsprovider: _p, encryptedkey: _k, ...rest } = file;
    return { ...rest, encryptionsalt: file.encryptionsalt ?? 'v1:<written by stack init>' };
  }
  const keeps = Boolean(file.encryptedkey) && file.secretsprovider === provider;
  return {
    ...file,
    secretsprovider: provider,
    encryptedkey: keeps ? file.encryptedkey : '<written by stack init: kms:Encrypt of a new data key>',
    encryptionsalt: undefined,
  };
}
