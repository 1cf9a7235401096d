import * as pulumi from '@pulumi/pulumi';
import { parseStackConfig, type StackConfig } from './stack-config.js';

/** Keys that hold secrets (set with `pulumi config set --secret`). */
export const SECRET_KEYS = new Set([
  'argocdRepositoryToken',
  'alertmanagerCriticalWebhookUrl',
  'alertmanagerWarningWebhookUrl',
]);

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
