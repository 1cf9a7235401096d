import * as pulumi from '@pulumi/pulumi';
import { ConfigError, type ConfigProblem } from '@zumo/config';
import { parseStackConfig, type Environment, type StackConfig } from './stack-config.js';
import { SECRET_KEYS } from './config-keys.js';

/** Reads every `zumo:*` key of the current stack (and aws:region) into one validated object. */
export function readStackConfig(): StackConfig {
  const prefix = `${pulumi.getProject()}:`;
  const all = pulumi.runtime.allConfig();
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) {
    // Secrets are read where they are used (pulumi.Config().getSecret), never into plain config.
    if (!key.startsWith(prefix) || SECRET_KEYS.has(key.slice(prefix.length))) continue;
    // Pulumi hands every value over as text. Lists, objects, booleans and integers are JSON; anything
    // else stays text, so "1.35" (a Kubernetes version) is not turned into the number 1.35.
    const isJson = /^[[{]/.test(value) || value === 'true' || value === 'false' || /^-?\d+$/.test(value);
    raw[key.slice(prefix.length)] = isJson ? JSON.parse(value) : value;
  }
  return parseStackConfig(raw, new pulumi.Config('aws').get('region'));
}

/** The stack's secrets, as Pulumi secrets (encrypted in the state, masked in output). */
export interface StackSecrets {
  readonly argocdRepositoryToken: pulumi.Output<string> | undefined;
  readonly alertmanagerCriticalWebhookUrl: pulumi.Output<string> | undefined;
  readonly alertmanagerHeartbeatUrl: pulumi.Output<string> | undefined;
  readonly alertmanagerWarningWebhookUrl: pulumi.Output<string> | undefined;
}

/**
 * The secret keys prod cannot run without: an alert nobody gets is none, and without the heartbeat
 * nobody notices when in-cluster alerting stops (docs/operations.md).
 */
export const PROD_SECRETS: Partial<Record<keyof StackSecrets, string>> = {
  alertmanagerCriticalWebhookUrl:
    'a webhook URL set with `pulumi config set --secret` (required in prod: alerts must reach someone)',
  alertmanagerHeartbeatUrl:
    "a heartbeat check's ping URL set with `pulumi config set --secret` (required in prod: something outside the cluster must notice when alerting stops; docs/operations.md)",
};

/** How the stack file holds a key: not at all, in clear text, or encrypted (`secure:`). */
export type SecretState = 'unset' | 'plain' | 'secret';

/**
 * What is wrong with a stack's secret keys: one set without `--secret` (its value would sit in the
 * stack file and in git in clear text, and getSecret accepts it silently), or, in prod, one of
 * PROD_SECRETS missing. The value itself never appears in the message.
 */
export function secretProblems(environment: Environment, stateOf: (key: string) => SecretState): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const key of SECRET_KEYS) {
    const state = stateOf(key);
    const required = PROD_SECRETS[key as keyof StackSecrets];
    if (state === 'plain')
      problems.push({
        name: `zumo:${key}`,
        received: 'a value in clear text (set without --secret)',
        allowed: `a secret: pulumi config set --secret ${key} <value> --stack <stack> (the stack file then holds it as secure:); rotate the value if it was committed`,
      });
    else if (state === 'unset' && environment === 'prod' && required)
      problems.push({ name: `zumo:${key}`, received: undefined, allowed: required });
  }
  return problems;
}

/**
 * Whether the stack file holds a key as `secure:`. The engine passes the stack's secure keys to the
 * program (pulumi/pulumi pkg/resource/deploy/source_eval.go: Config.SecureKeys() as
 * ConfigSecretKeys; sdk/nodejs/cmd/pulumi-language-nodejs/main.go: PULUMI_CONFIG_SECRET_KEYS), and
 * the Node SDK answers from them in runtime.isConfigSecret (sdk/nodejs/runtime/config.ts), which it
 * exports without a type declaration (marked @internal).
 */
function isConfigSecret(fullKey: string): boolean {
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
  if (typeof runtime.isConfigSecret !== 'function')
    throw new Error(
      '@pulumi/pulumi no longer exports runtime.isConfigSecret: find how this SDK tells secret config apart (read-stack-config.ts)',
    );
  return runtime.isConfigSecret(fullKey);
}

/** Reads the secret keys, refusing one set in clear text and, in prod, a missing PROD_SECRETS key. */
export function readStackSecrets(config: StackConfig): StackSecrets {
  const all = pulumi.runtime.allConfig();
  const fullKey = (key: string) => `${pulumi.getProject()}:${key}`;
  const problems = secretProblems(config.environment, (key) =>
    all[fullKey(key)] === undefined ? 'unset' : isConfigSecret(fullKey(key)) ? 'secret' : 'plain',
  );
  if (problems.length) throw new ConfigError(problems, 'stack config');
  const secrets = new pulumi.Config();
  return Object.fromEntries([...SECRET_KEYS].map((key) => [key, secrets.getSecret(key)])) as Record<
    keyof StackSecrets,
    pulumi.Output<string> | undefined
  >;
}
