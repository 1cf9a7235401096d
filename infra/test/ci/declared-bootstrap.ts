/**
 * What infra/bootstrap declares, as JSON written to the path of the last argument: its permissions
 * boundaries (by ARN) and every resource with its inputs. Its own process: Pulumi mocks hold one
 * program per process. declared-cache.ts runs it:
 *   node <loader args> declared-bootstrap.ts '{"zumo-bootstrap:stackDomains":{"dev":"d.example"}}' <out.json>
 */
import { writeFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { ACCOUNT } from '../mocks.js';
import { bootstrapConfig } from '../pulumi-cli/bootstrap-config.js';

const recorded: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
// The config the documented setup and Pulumi.yaml give it, merged as the CLI merges them, and the
// overrides a test asks for (argv[2], JSON; the engine hands lists and objects over as JSON text).
const [overridesJson, out] = process.argv.slice(2);
if (!out) throw new Error('usage: declared-bootstrap.ts <overrides JSON> <out.json>');
const overrides = Object.entries(JSON.parse(overridesJson ?? '{}') as Record<string, unknown>).map(([key, value]) => [
  key,
  typeof value === 'string' ? value : JSON.stringify(value),
]);
process.env['PULUMI_CONFIG'] = JSON.stringify({ ...bootstrapConfig(), ...Object.fromEntries(overrides) });
await pulumi.runtime.setMocks(
  {
    newResource(args) {
      recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
      const named = (kind: string) => `arn:aws:iam::${ACCOUNT}:${kind}/${args.inputs['name'] ?? args.name}`;
      const arn =
        args.type === 'aws:iam/policy:Policy'
          ? named('policy')
          : args.type === 'aws:iam/openIdConnectProvider:OpenIdConnectProvider'
            ? `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`
            : `arn:aws:mock:eu-west-1:${ACCOUNT}:${args.name}`;
      return {
        id: `${args.name}-id`,
        state: { ...args.inputs, arn, bucket: args.inputs['bucket'] ?? args.name, keyId: `${args.name}-key` },
      };
    },
    call(args) {
      if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity')
        return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/admin`, userId: 'AIDA', id: ACCOUNT };
      if (args.token === 'aws:index/getRegion:getRegion')
        return { name: 'eu-west-1', region: 'eu-west-1', id: 'eu-west-1' };
      throw new Error(`unexpected provider call ${args.token}`);
    },
  },
  'zumo-bootstrap',
  'account',
);
const program = await import('../../src/bootstrap/index.js');
const outputs: Record<string, unknown> = {};
for (const [key, value] of Object.entries(program)) {
  const output = pulumi.output as (value: unknown) => pulumi.Output<unknown>;
  outputs[key] = await new Promise((resolve) => output(value).apply(resolve));
}
await new Promise((resolve) => setTimeout(resolve, 50));
writeFileSync(out, JSON.stringify({ recorded, outputs }));
