import * as pulumi from '@pulumi/pulumi';
import { ConfigError } from '@zumo/config';
import { parseStackConfig, type StackConfig } from './stack-config.js';
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
  readonly alertmanagerWarningWebhookUrl: pulumi.Output<string> | undefined;
  readonly alertmanagerHeartbeatUrl: pulumi.Output<string> | undefined;
}

/**
 * Reads the secret keys. Prod must say where critical alerts go (an alert nobody gets is none) and
 * where the Watchdog pings (without it nobody notices when in-cluster alerting stops).
 */
export function readStackSecrets(config: StackConfig): StackSecrets {
  const secrets = new pulumi.Config();
  const read = Object.fromEntries([...SECRET_KEYS].map((key) => [key, secrets.getSecret(key)])) as Record<
    keyof StackSecrets,
    pulumi.Output<string> | undefined
  >;
  const missing = [
    read.alertmanagerCriticalWebhookUrl === undefined && {
      name: 'zumo:alertmanagerCriticalWebhookUrl',
      received: undefined,
      allowed: 'a webhook URL set with `pulumi config set --secret` (required in prod: alerts must reach someone)',
    },
    read.alertmanagerHeartbeatUrl === undefined && {
      name: 'zumo:alertmanagerHeartbeatUrl',
      received: undefined,
      allowed:
        "a heartbeat check's ping URL set with `pulumi config set --secret` (required in prod: something outside the cluster must notice when alerting stops; docs/operations.md)",
    },
  ].filter((problem) => problem !== false);
  if (config.environment === 'prod' && missing.length) throw new ConfigError(missing, 'stack config');
  return read;
}
