/**
 * What a stack's program looks up of infra/bootstrap: the state and secrets keys, by alias, in
 * the stack's own region. Bootstrap run in another region leaves no such alias here, and the AWS
 * error alone ("Alias is not found") does not say why.
 */
import * as aws from '@pulumi/aws';

export async function bootstrapKeyArn(alias: string, region: string): Promise<string> {
  try {
    return (await aws.kms.getAlias({ name: alias })).targetKeyArn;
  } catch (err) {
    throw new Error(
      `${alias} is not in ${region}: infra/bootstrap creates it in its own aws:region, which must be the ` +
        `stack's aws:region (docs/infra.md, "Deploy from zero"). ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}
