/** Entry point of the policy pack (infra/policy/PulumiPolicy.yaml points here after the build). */
import { PolicyPack } from '@pulumi/policy';
import { policies } from './rules.js';

new PolicyPack('zumo', { policies });
