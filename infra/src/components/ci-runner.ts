import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';

export interface CiRunnerArgs {
  /** The CodeBuild project name; jobs ask for it with `runs-on: codebuild-<name>-<run id>-<attempt>`. */
  readonly projectName: string;
  /** owner/name of the repository whose workflow jobs the runner takes. */
  readonly githubRepository: string;
  /**
   * The workflows (their `name:`) whose queued jobs may start this runner. CodeBuild filters
   * WORKFLOW_JOB_QUEUED events by workflow name (WebhookFilter WORKFLOW_NAME; HEAD_REF and the
   * path filters apply to push and pull request events only, botocore codebuild service-2.json).
   */
  readonly workflowNames: readonly string[];
  /**
   * GitHub account ids whose actions may start the runner (webhook filter ACTOR_ACCOUNT_ID): a
   * pull request sets a workflow's name itself, not who queued the job. Empty: no actor filter.
   */
  readonly actorIds: readonly number[];
  /**
   * Builds at once: one per concurrency group of the jobs that use the runner, plus a share for
   * pull request previews. CodeBuild refuses a build beyond it (it is not queued), so a pull
   * request that adds workflows cannot fill the VPC with builds; a refused job waits in GitHub's
   * queue until it is cancelled and rerun (docs/delivery.md).
   */
  readonly concurrentBuildLimit: number;
  /** The CodeConnections connection to GitHub (infra/bootstrap). */
  readonly githubConnectionArn: string;
  readonly vpcId: pulumi.Input<string>;
  /** The runner lives in the private subnets: it reaches the cluster's private endpoint, and the internet through NAT. */
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The EKS cluster security group: it admits the runner on 443 (the API), nothing else. */
  readonly clusterSecurityGroupId: pulumi.Input<string>;
  readonly permissionsBoundaryArn: string;
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  readonly logRetentionDays: number;
  /** The stack logs key (components/logs-key.ts): the runner's job logs are encrypted like every log group. */
  readonly logsKeyArn: pulumi.Input<string>;
  readonly tags?: Record<string, string>;
}

/** A runner build lives this long at most (CodeBuild's buildTimeout, minutes). */
export const RUNNER_BUILD_TIMEOUT_MINUTES = 180;

/** CodeBuild's Amazon Linux standard image: git, curl, tar, gcc and the AWS CLI, as the jobs need. */
export const RUNNER_IMAGE = 'aws/codebuild/amazonlinux-x86_64-standard:5.0';

/**
 * A GitHub Actions runner inside the stack's VPC (a CodeBuild-hosted runner: CodeBuild starts a
 * fresh container for each queued job that asks for it, and the container registers as an
 * ephemeral self-hosted runner). Jobs that talk to the Kubernetes API run here, because the API
 * endpoint admits the VPC, not GitHub's hosted runners. The runner holds no AWS permission a job
 * could use beyond writing its own logs and managing its network interfaces in this VPC; jobs
 * get AWS credentials only through OIDC roles (docs/delivery.md, "What a job on the runner can reach").
 */
export class CiRunner extends pulumi.ComponentResource {
  public readonly projectName: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: CiRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:ci:CiRunner', name, {}, opts);
    const parent = { parent: this };

    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-runner`,
      {
        vpcId: args.vpcId,
        description: `GitHub Actions runner ${args.projectName}: no inbound; out to the cluster API, AWS and the internet`,
        egress: [
          { protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'], description: 'npm, GitHub, AWS APIs' },
        ],
        tags: { ...args.tags, Name: `${args.projectName}` },
      },
      parent,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-runner-to-api`,
      {
        securityGroupId: args.clusterSecurityGroupId,
        referencedSecurityGroupId: securityGroup.id,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: `Kubernetes API from the CI runner ${args.projectName}`,
        tags: args.tags,
      },
      parent,
    );

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-runner`,
      {
        name: `/aws/codebuild/${args.projectName}`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.logsKeyArn,
        tags: args.tags,
      },
      parent,
    );
    const role = new aws.iam.Role(
      `${name}-runner`,
      {
        description: `CodeBuild service role of the GitHub Actions runner ${args.projectName}`,
        assumeRolePolicy: pulumi.jsonStringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'codebuild.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceAccount': args.accountId } },
            },
          ],
        }),
        permissionsBoundary: args.permissionsBoundaryArn,
        tags: args.tags,
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-runner`,
      {
        role: role.id,
        policy: pulumi
          .all([logGroup.arn, args.vpcId, args.privateSubnetIds, args.accountId])
          .apply(([logGroupArn, vpcId, subnets, account]) =>
            JSON.stringify(
              runnerPolicy({
                logGroupArn,
                vpcId,
                subnets,
                account,
                region: args.region,
                connectionArn: args.githubConnectionArn,
              }),
            ),
          ),
      },
      parent,
    );

    const project = new aws.codebuild.Project(
      `${name}-runner`,
      {
        name: args.projectName,
        description: `GitHub Actions runner for ${args.githubRepository} inside the stack's VPC`,
        serviceRole: role.arn,
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: {
          type: 'LINUX_CONTAINER',
          computeType: 'BUILD_GENERAL1_MEDIUM',
          image: RUNNER_IMAGE,
          imagePullCredentialsType: 'CODEBUILD',
        },
        source: {
          type: 'GITHUB',
          location: `https://github.com/${args.githubRepository}.git`,
          auth: { type: 'CODECONNECTIONS', resource: args.githubConnectionArn },
        },
        vpcConfig: { vpcId: args.vpcId, subnets: args.privateSubnetIds, securityGroupIds: [securityGroup.id] },
        logsConfig: { cloudwatchLogs: { groupName: logGroup.name, status: 'ENABLED' } },
        // Longer than the longest job it runs (infra-up's `pulumi up`, 150 minutes): a build that
        // stops mid-update leaves the stack locked.
        buildTimeout: RUNNER_BUILD_TIMEOUT_MINUTES,
        concurrentBuildLimit: args.concurrentBuildLimit,
        queuedTimeout: 60,
        tags: args.tags,
      },
      parent,
    );
    // One build per queued job of the listed workflows that asks for this project's label.
    new aws.codebuild.Webhook(
      `${name}-runner`,
      {
        projectName: project.name,
        buildType: 'BUILD',
        filterGroups: [runnerWebhookFilters(args.workflowNames, args.actorIds)],
      },
      parent,
    );

    this.projectName = project.name;
    this.securityGroupId = securityGroup.id;
    this.registerOutputs({ projectName: this.projectName });
  }
}

/**
 * The webhook filter group: queued workflow jobs of exactly these workflows, queued by one of these
 * GitHub accounts when any are given. Every filter of a group must pass (CodeBuild API reference,
 * WebhookFilter); ACTOR_ACCOUNT_ID matches the event's sender id against the pattern (AWS CodeBuild
 * user guide, "Best practices for using webhooks": set ACTOR_ACCOUNT_ID filters).
 */
export function runnerWebhookFilters(workflowNames: readonly string[], actorIds: readonly number[]) {
  if (workflowNames.length === 0) throw new Error('CiRunner: at least one workflow may use the runner');
  if (!actorIds.every((id) => Number.isSafeInteger(id) && id > 0))
    throw new Error(`CiRunner: actor ids are GitHub account ids (positive integers), got ${JSON.stringify(actorIds)}`);
  const escaped = workflowNames.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return {
    filters: [
      { type: 'EVENT', pattern: 'WORKFLOW_JOB_QUEUED' },
      ...(actorIds.length ? [{ type: 'ACTOR_ACCOUNT_ID', pattern: `^(${actorIds.join('|')})$` }] : []),
      { type: 'WORKFLOW_NAME', pattern: `^(${escaped.join('|')})$` },
    ],
  };
}

/**
 * The runner's own permissions (every job on it can use them, pull requests included): its logs,
 * and the network interfaces CodeBuild puts in this VPC (AWS CodeBuild user guide, "Allow
 * CodeBuild access to AWS services required to create a VPC network interface").
 */
export function runnerPolicy(r: {
  logGroupArn: string;
  vpcId: string;
  subnets: string[];
  account: string;
  region: string;
  connectionArn: string;
}) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Logs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [r.logGroupArn, `${r.logGroupArn}:*`],
      },
      {
        Sid: 'DescribeNetwork',
        Effect: 'Allow',
        Action: [
          'ec2:DescribeDhcpOptions',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSubnets',
          'ec2:DescribeVpcs',
        ],
        Resource: '*',
      },
      {
        Sid: 'InterfacesInThisVpc',
        Effect: 'Allow',
        Action: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'],
        Resource: '*',
        Condition: { ArnEquals: { 'ec2:Vpc': `arn:aws:ec2:${r.region}:${r.account}:vpc/${r.vpcId}` } },
      },
      {
        Sid: 'InterfacePermission',
        Effect: 'Allow',
        Action: 'ec2:CreateNetworkInterfacePermission',
        Resource: `arn:aws:ec2:${r.region}:${r.account}:network-interface/*`,
        Condition: {
          StringEquals: {
            'ec2:Subnet': r.subnets.map((s) => `arn:aws:ec2:${r.region}:${r.account}:subnet/${s}`),
            'ec2:AuthorizedService': 'codebuild.amazonaws.com',
          },
        },
      },
      {
        Sid: 'GitHubConnection',
        Effect: 'Allow',
        Action: [
          'codeconnections:GetConnection',
          'codeconnections:GetConnectionToken',
          'codeconnections:UseConnection',
        ],
        Resource: r.connectionArn,
      },
    ],
  };
}
