import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from '../lib/iam.js';
import { boundaryName, boundaryPolicy } from '../lib/boundary.js';

export interface AccountIdentityArgs {
  /** Pulumi project of the stacks (names and state paths derive from it), e.g. zumo. */
  readonly project: string;
  /** Every stack that lives in this account, e.g. [dev, prod]. */
  readonly stacks: readonly string[];
  /** Stacks that promote another's images: prod reads dev's registry. */
  readonly promotions: Readonly<Record<string, readonly string[]>>;
  readonly accountId: pulumi.Input<string>;
  readonly stateBucketName: pulumi.Input<string>;
  /** Each stack's DNS domain, for those with one: its roles write records under it only. */
  readonly stackDomains: Readonly<Record<string, string>>;
  /** Repository name of a stack's images (the contract's name plus the stack). */
  readonly imageRepository: (stack: string) => string;
  readonly tags?: Record<string, string>;
}

/**
 * What exists once per AWS account for GitHub Actions: the OIDC provider (IAM allows one per URL,
 * so no stack may create it), the GitHub connection the CI runners use, and per stack the
 * permissions boundary and the secrets key. The stacks receive their ARNs through stack config.
 */
export class AccountIdentity extends pulumi.ComponentResource {
  public readonly githubOidcProviderArn: pulumi.Output<string>;
  public readonly githubConnectionArn: pulumi.Output<string>;
  public readonly boundaryArns: Record<string, pulumi.Output<string>> = {};
  public readonly secretsKeyAliases: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: AccountIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:bootstrap:AccountIdentity', name, {}, opts);
    const unknown = Object.entries(args.promotions)
      .flatMap(([to, from]) => [to, ...from])
      .filter((s) => !args.stacks.includes(s));
    if (unknown.length)
      throw new Error(`AccountIdentity ${name}: promotions name unknown stacks ${unknown.join(', ')}`);
    const parent = { parent: this };
    const protect = { parent: this, protect: true };

    this.githubOidcProviderArn = new aws.iam.OpenIdConnectProvider(
      `${name}-github`,
      { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [GITHUB_OIDC_AUDIENCE], tags: args.tags },
      protect,
    ).arn;
    // Created PENDING: an admin completes the handshake once (console: Developer Tools, Connections).
    this.githubConnectionArn = new aws.codeconnections.Connection(
      `${name}-github`,
      { name: `${args.project}-github`, providerType: 'GitHub', tags: args.tags },
      parent,
    ).arn;

    for (const stack of args.stacks) {
      this.boundaryArns[stack] = new aws.iam.Policy(
        `${name}-${stack}-boundary`,
        {
          name: boundaryName(args.project, stack),
          description: `Permissions boundary of every role the ${stack} stack creates`,
          policy: pulumi.all([args.accountId, args.stateBucketName]).apply(([accountId, stateBucketName]) =>
            JSON.stringify(
              boundaryPolicy({
                stack,
                stacks: args.stacks,
                accountId,
                project: args.project,
                stateBucketName,
                imageRepository: args.imageRepository,
                promotesFrom: args.promotions[stack] ?? [],
                domains: args.stackDomains,
              }),
            ),
          ),
          tags: { ...args.tags, stack },
        },
        parent,
      ).arn;
      // One secrets key per stack: a role that may decrypt dev's secrets cannot decrypt prod's.
      const key = new aws.kms.Key(
        `${name}-${stack}-secrets`,
        {
          description: `Pulumi secrets of the ${args.project} ${stack} stack`,
          enableKeyRotation: true,
          deletionWindowInDays: 30,
          tags: { ...args.tags, stack, purpose: 'pulumi-secrets' },
        },
        protect,
      );
      this.secretsKeyAliases[stack] = new aws.kms.Alias(
        `${name}-${stack}-secrets`,
        { name: `alias/${args.project}-pulumi-secrets-${stack}`, targetKeyId: key.keyId },
        parent,
      ).name;
    }
    this.registerOutputs({
      githubOidcProviderArn: this.githubOidcProviderArn,
      githubConnectionArn: this.githubConnectionArn,
    });
  }
}
