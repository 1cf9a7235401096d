import * as aws from '@pulumi/aws';
import { ConfigError, type ConfigProblem } from '@zumo/config';

/** Where an admin completes the connection bootstrap creates PENDING (docs/infra.md, deploy from zero). */
const COMPLETE_IT =
  'complete it once in the AWS console (Developer Tools, Settings, Connections, zumo-github, Update pending ' +
  'connection) and install the AWS Connector for GitHub app on the repository, then run again';

/**
 * What is wrong with the GitHub connection for the CI runner, if anything. CodeBuild registers the
 * runner's webhook through the connection when the project is created; a PENDING (or ERROR)
 * connection fails that create half-way through the first `pulumi up`, after the cluster exists.
 */
export function connectionProblem(arn: string, status: string): ConfigProblem | undefined {
  if (status === 'AVAILABLE') return undefined;
  return {
    name: 'zumo:githubConnectionArn',
    received: `${arn} (status ${status})`,
    allowed: `an AVAILABLE connection: ${COMPLETE_IT}`,
  };
}

/**
 * Stops the program before any resource is declared unless the connection is AVAILABLE. The
 * lookup is the AWS provider's codestarconnections data source (the only one in @pulumi/aws 7.48;
 * terraform-provider-aws internal/service/codestarconnections/connection_data_source.go calls
 * GetConnection and ListTagsForResource), asked in the connection's own region.
 */
export async function requireAvailableConnection(arn: string): Promise<void> {
  const region = arn.split(':')[3];
  let status: string;
  try {
    status = (await aws.codestarconnections.getConnection({ arn, region })).connectionStatus;
  } catch (error) {
    throw new ConfigError(
      [
        {
          name: 'zumo:githubConnectionArn',
          received: arn,
          allowed: `a connection this account can read (infra/bootstrap output githubConnectionArn); the lookup failed: ${
            error instanceof Error ? error.message : String(error)
          }`,
        },
      ],
      'stack config',
    );
  }
  const problem = connectionProblem(arn, status);
  if (problem) throw new ConfigError([problem], 'stack config');
}
