import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import * as command from '@pulumi/command';
import { APP } from '@zumo/config';
import { podIdentityTrustPolicy } from '../lib/iam.js';
import {
  DATABASE_MASTER_USER,
  DATABASE_NAME,
  DATABASE_PORT,
  DATABASE_USER,
  appUserSql,
  dataApiScript,
  supportsAutoPause,
  supportsDataApi,
  webDatabasePolicy,
} from '../lib/database.js';

export interface DatabaseArgs {
  readonly vpcId: pulumi.Input<string>;
  /** The private subnets, one per zone: the DB subnet group (no route from the internet). */
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The zones of those subnets, in order: instance i lives in zone i (the reader in another zone than the writer). */
  readonly availabilityZones: readonly string[];
  /**
   * The security group the web pods' traffic carries: EKS's cluster security group (managed node
   * groups and VPC CNI pods use it; components/target-access.ts). The only group admitted on 5432.
   */
  readonly clientSecurityGroupId: pulumi.Input<string>;
  /** Aurora PostgreSQL major.minor, e.g. 16.6. */
  readonly engineVersion: string;
  /** ACUs per instance at least: 0 pauses an idle cluster (dev), 0.5 or more keeps it warm. */
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Idle seconds before a cluster with minCapacity 0 pauses (300 to 86,400). */
  readonly secondsUntilAutoPause: number;
  /** 1: a writer; 2: a writer and a reader in another zone (failover target). */
  readonly instances: number;
  /** Days of automated backups: the point-in-time restore window (1 to 35). */
  readonly backupRetentionDays: number;
  /** Deletion protection and a final snapshot (prod); off, nothing is left behind on destroy (dev). */
  readonly protectData: boolean;
  /** The EKS cluster whose web ServiceAccount gets the database role (Pod Identity). */
  readonly clusterName: pulumi.Input<string>;
  readonly region: string;
  readonly accountId: string;
  readonly tags?: Record<string, string>;
}

/**
 * Aurora PostgreSQL Serverless v2 for the web service, in the private subnets, encrypted with a
 * key of the stack. The app authenticates with IAM only: the web ServiceAccount's Pod Identity role
 * may `rds-db:connect` as the app's user and nothing else; the master password is RDS's own secret
 * (manageMasterUserPassword), read only by the command that creates that user through the Data
 * API. `userReady` is that command: whatever uses the database depends on it.
 */
export class Database extends pulumi.ComponentResource {
  public readonly endpoint: pulumi.Output<string>;
  public readonly readerEndpoint: pulumi.Output<string>;
  public readonly clusterArn: pulumi.Output<string>;
  public readonly clusterIdentifier: pulumi.Output<string>;
  public readonly clusterResourceId: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly webRoleArn: pulumi.Output<string>;
  public readonly port = DATABASE_PORT;
  public readonly name = DATABASE_NAME;
  public readonly user = DATABASE_USER;
  /** The app's user and grants exist: created after the cluster and its instances. */
  public readonly userReady: command.local.Command;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:data:Database', name, {}, opts);
    validate(args);
    const parent = { parent: this };

    const key = new aws.kms.Key(
      `${name}-db`,
      {
        description: `${name}: Aurora storage and its master secret`,
        enableKeyRotation: true,
        deletionWindowInDays: args.protectData ? 30 : 7,
        tags: args.tags,
      },
      parent,
    );
    const subnets = new aws.rds.SubnetGroup(
      `${name}-db`,
      { subnetIds: args.privateSubnetIds, description: `${name}: the private subnets`, tags: args.tags },
      parent,
    );
    // No rule of its own but the one below: Aurora only answers, it opens no connection.
    const group = new aws.ec2.SecurityGroup(
      `${name}-db`,
      {
        vpcId: args.vpcId,
        description: `${name}: Aurora, reached by the cluster's pods on ${DATABASE_PORT}`,
        tags: args.tags,
      },
      parent,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-db-from-pods`,
      {
        securityGroupId: group.id,
        referencedSecurityGroupId: args.clientSecurityGroupId,
        ipProtocol: 'tcp',
        fromPort: DATABASE_PORT,
        toPort: DATABASE_PORT,
        description: 'the cluster security group (web pods) to PostgreSQL',
        tags: args.tags,
      },
      parent,
    );

    const paused = args.minCapacity === 0;
    const cluster = new aws.rds.Cluster(
      `${name}-db`,
      {
        engine: 'aurora-postgresql',
        engineMode: 'provisioned',
        engineVersion: args.engineVersion,
        databaseName: DATABASE_NAME,
        masterUsername: DATABASE_MASTER_USER,
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: key.arn,
        storageEncrypted: true,
        kmsKeyId: key.arn,
        iamDatabaseAuthenticationEnabled: true,
        enableHttpEndpoint: true,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [group.id],
        port: DATABASE_PORT,
        serverlessv2ScalingConfiguration: {
          minCapacity: args.minCapacity,
          maxCapacity: args.maxCapacity,
          ...(paused ? { secondsUntilAutoPause: args.secondsUntilAutoPause } : {}),
        },
        backupRetentionPeriod: args.backupRetentionDays,
        copyTagsToSnapshot: true,
        deletionProtection: args.protectData,
        skipFinalSnapshot: !args.protectData,
        ...(args.protectData ? { finalSnapshotIdentifier: `${name}-db-final` } : {}),
        // Automated backups go with a dev cluster; prod keeps them for its retention after a delete.
        deleteAutomatedBackups: !args.protectData,
        tags: args.tags,
      },
      parent,
    );
    const instances = Array.from({ length: args.instances }, (_, i) => {
      return new aws.rds.ClusterInstance(
        `${name}-db-${i + 1}`,
        {
          clusterIdentifier: cluster.id,
          instanceClass: 'db.serverless',
          engine: 'aurora-postgresql',
          engineVersion: cluster.engineVersion,
          availabilityZone: args.availabilityZones[i % args.availabilityZones.length],
          dbSubnetGroupName: subnets.name,
          publiclyAccessible: false,
          // Tier 0 and 1 pause and resume with the writer (Aurora user guide, auto-pause).
          promotionTier: i === 0 ? 0 : 1,
          tags: args.tags,
        },
        parent,
      );
    });

    const role = new aws.iam.Role(
      `${name}-web-db`,
      {
        description: `${name}: web pods connect to the database as ${DATABASE_USER}`,
        assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy()),
        tags: args.tags,
      },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-web-db`,
      {
        role: role.id,
        policy: cluster.clusterResourceId.apply((id) =>
          JSON.stringify(webDatabasePolicy(args.region, args.accountId, id)),
        ),
      },
      parent,
    );
    const association = new aws.eks.PodIdentityAssociation(
      `${name}-web-db`,
      {
        clusterName: args.clusterName,
        namespace: APP.namespace,
        serviceAccount: APP.name,
        roleArn: role.arn,
        tags: args.tags,
      },
      { ...parent, dependsOn: [policy] },
    );

    const statements = appUserSql();
    const script = dataApiScript(statements);
    this.userReady = new command.local.Command(
      `${name}-db-user`,
      {
        create: script,
        // Idempotent: a changed script runs again over what exists; deleting the cluster removes the user.
        update: script,
        interpreter: ['/bin/sh', '-c'],
        environment: {
          CLUSTER_ARN: cluster.arn,
          SECRET_ARN: cluster.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn ?? ''),
          AWS_REGION: args.region,
        },
        triggers: [createHash('sha256').update(script).digest('hex')],
      },
      { ...parent, dependsOn: [...instances, association] },
    );

    this.endpoint = cluster.endpoint;
    this.readerEndpoint = cluster.readerEndpoint;
    this.clusterArn = cluster.arn;
    this.clusterIdentifier = cluster.clusterIdentifier;
    this.clusterResourceId = cluster.clusterResourceId;
    this.securityGroupId = group.id;
    this.webRoleArn = role.arn;
    this.registerOutputs({ endpoint: this.endpoint, webRoleArn: this.webRoleArn });
  }
}

function validate(args: DatabaseArgs): void {
  const problems: string[] = [];
  if (!supportsDataApi(args.engineVersion))
    problems.push(`engineVersion ${args.engineVersion} has no Data API (the user command needs it)`);
  if (args.minCapacity === 0 && !supportsAutoPause(args.engineVersion))
    problems.push(`engineVersion ${args.engineVersion} cannot scale to 0 ACUs: raise it or set minCapacity 0.5`);
  if (args.instances < 1 || args.instances > args.availabilityZones.length)
    problems.push(`instances ${args.instances}: from 1 to the ${args.availabilityZones.length} zones`);
  if (problems.length) throw new Error(`Database ${problems.join('; ')}`);
}
