/**
 * The Zumo program: composes the components and exports the stack outputs. Stack config is
 * validated (readStackConfig) before any resource is declared.
 */
import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { APP } from '@zumo/config';
import { readStackConfig, readStackSecrets } from './config/read-stack-config.js';
import { Network } from './components/network.js';
import { Registry } from './components/registry.js';
import { LoadBalancer } from './components/load-balancer.js';
import { TargetAccess } from './components/target-access.js';
import { Edge } from './components/edge.js';
import { CiIdentity } from './components/ci-identity.js';
import { Cluster } from './components/cluster.js';
import { NodePools } from './components/node-pools.js';
import { ClusterAddons } from './components/cluster-addons.js';
import { LogsKey } from './components/logs-key.js';
import { pickAvailabilityZones } from './config/availability-zones.js';
import { requireAvailableConnection } from './config/github-connection.js';
import { RUNNER_BUILD_LIMITS, requireRunnerBuildQuota } from './config/runner-quota.js';
import { readWebOverlay, releasedImage } from './config/web-release.js';
import { LbController } from './components/lb-controller.js';
import { ArgoCd } from './components/argocd.js';
import { Alerting } from './components/alerting.js';
import { Monitoring } from './components/monitoring.js';
import { CiRunner } from './components/ci-runner.js';
import { Database } from './components/database.js';
import { enforcePermissionsBoundary } from './lib/permissions-boundary.js';
import { bootstrapKeyArn } from './bootstrap/lookup.js';

const config = readStackConfig();
const secrets = readStackSecrets(config);
// The CI runner's webhook is registered through the GitHub connection bootstrap creates PENDING.
await requireAvailableConnection(config.githubConnectionArn);
const runnerBuilds = RUNNER_BUILD_LIMITS[config.environment];
await requireRunnerBuildQuota(RUNNER_BUILD_LIMITS, config.region);
const stack = pulumi.getStack();
const name = `zumo-${stack}`;
const tags = { project: 'zumo', stack, environment: config.environment, 'managed-by': 'pulumi' };
const clusterName = `${name}-eks`;
// Before any resource: every role the program declares carries the stack's boundary (infra/bootstrap).
enforcePermissionsBoundary(config.permissionsBoundaryArn);

// Checked before any resource is declared: more AZs than the region has is a config error.
const account = (await aws.getCallerIdentity()).accountId;
const regionZones = await aws.getAvailabilityZones({
  state: 'available',
  filters: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
});
const zones = pickAvailabilityZones(config.availabilityZones, regionZones.names, config.region);

const logsKey = new LogsKey(name, { account, region: config.region, tags });

const network = new Network(name, {
  cidrBlock: config.vpcCidr,
  availabilityZoneNames: zones,
  natGateways: config.natGateways,
  interfaceEndpoints: config.interfaceEndpoints,
  flowLogRetentionDays: config.flowLogRetentionDays,
  logsKeyArn: logsKey.arn,
  clusterName,
  tags,
});

const registry = new Registry(name, {
  repositoryName: `${APP.imageRepository}-${stack}`,
  keepReleases: config.ecrKeepReleases,
  forceDelete: config.environment === 'dev',
  tags,
});

const loadBalancer = new LoadBalancer(name, {
  vpcId: network.vpcId,
  subnetIds: network.lbSubnetIds,
  deletionProtection: config.deletionProtection,
  tags,
});

const edge = new Edge(name, {
  albArn: loadBalancer.albArn,
  albDnsName: loadBalancer.albDnsName,
  priceClass: config.priceClass,
  domainName: config.domainName,
  hostedZoneId: config.hostedZoneId,
  waf: config.waf,
  wafRateLimitPer5Min: config.wafRateLimitPer5Min,
  forceDestroy: config.environment === 'dev',
  tags,
});

// The CI roles first: the cluster gives them access entries (the Kubernetes provider waits for those).
const secretsKeyArn = await bootstrapKeyArn(config.secretsKeyAlias, config.region);
const stateKeyArn = await bootstrapKeyArn(config.stateKeyAlias, config.region);
const ci = new CiIdentity(name, {
  githubRepository: config.githubRepository,
  githubSubjectPrefix: config.githubOidcSubjectPrefix,
  stack: config.environment,
  namePrefix: `${name}-`,
  oidcProviderArn: config.githubOidcProviderArn,
  permissionsBoundaryArn: config.permissionsBoundaryArn,
  accountId: account,
  region: config.region,
  repositoryArn: registry.repositoryArn,
  imageRepository: `${APP.imageRepository}-${stack}`,
  siteBucketArn: pulumi.interpolate`arn:aws:s3:::${edge.bucketName}`,
  distributionArn: edge.distributionArn,
  // Prod runs what dev ran: its release role copies dev's image registry-side (read-only on dev).
  promotionSourceRepositoryArn:
    config.environment === 'prod'
      ? pulumi.interpolate`arn:aws:ecr:${config.region}:${account}:repository/${APP.imageRepository}-dev`
      : undefined,
  state: {
    bucketName: config.stateBucketName,
    project: pulumi.getProject(),
    stateKeyArn,
    secretsKeyArn,
  },
  githubConnectionArn: config.githubConnectionArn,
  clusterName,
  hostedZoneId: config.hostedZoneId,
  tags,
});
const cluster = new Cluster(name, {
  clusterName,
  version: config.kubernetesVersion,
  region: config.region,
  privateSubnetIds: network.privateSubnetIds,
  access: [
    ...config.clusterAdminRoleArns.map((principalArn) => ({ principalArn, access: 'admin' as const })),
    // CI: infra runs `up` (creates and deletes every Kubernetes object); preview reads them all,
    // Secrets included (a refresh reads the Secrets the program declares and Helm's release records).
    { principalArn: ci.infraRoleArn, access: 'admin' as const },
    { principalArn: ci.previewRoleArn, access: 'adminView' as const },
  ],
  publicAccessCidrs: config.clusterPublicAccessCidrs,
  logRetentionDays: config.clusterLogRetentionDays,
  logsKeyArn: logsKey.arn,
  protectData: config.deletionProtection,
  tags,
});
const nodes = new NodePools(name, {
  clusterName: cluster.name,
  privateSubnetIds: network.privateSubnetIds,
  instanceTypes: config.nodeInstanceTypes,
  minSize: config.nodeMinSize,
  desiredSize: config.nodeDesiredSize,
  maxSize: config.nodeMaxSize,
  after: cluster.beforeCompute,
  tags,
});
const addons = new ClusterAddons(name, {
  clusterName: cluster.name,
  nodes: nodes.nodeGroups,
  tags,
});
// In-cluster workloads (Helm releases, Applications) need nodes and DNS first.
const clusterReady = [...nodes.nodeGroups, ...addons.ready];

const lbController = new LbController(name, {
  provider: cluster.provider,
  clusterName: cluster.name,
  vpcId: network.vpcId,
  region: config.region,
  after: clusterReady,
  tags,
});

new TargetAccess(name, {
  loadBalancerSecurityGroupId: loadBalancer.securityGroupId,
  targetSecurityGroupId: cluster.clusterSecurityGroupId,
  port: APP.containerPort,
  tags,
});

const db = new Database(name, {
  vpcId: network.vpcId,
  privateSubnetIds: network.privateSubnetIds,
  availabilityZones: zones,
  clientSecurityGroupId: cluster.clusterSecurityGroupId,
  engineVersion: config.databaseEngineVersion,
  minCapacity: config.databaseMinCapacity,
  maxCapacity: config.databaseMaxCapacity,
  secondsUntilAutoPause: config.databaseSecondsUntilAutoPause,
  instances: config.databaseInstances,
  backupRetentionDays: config.databaseBackupRetentionDays,
  protectData: config.deletionProtection,
  clusterName: cluster.name,
  region: config.region,
  accountId: account,
  tags,
});

/**
 * What the web pods need to reach the database: the writer's host and port, the database and its
 * IAM user, and the ranges the web NetworkPolicy lets them send to (Aurora's interfaces live in
 * the private subnets). Pod Identity credentials come from the agent at 169.254.170.23:80.
 */
const database = {
  host: db.endpoint,
  port: db.port,
  name: db.name,
  user: db.user,
  egressCidrs: [...network.plan.private],
};

const monitoring = new Monitoring(name, {
  provider: cluster.provider,
  environment: config.environment,
  criticalWebhookUrl: secrets.alertmanagerCriticalWebhookUrl,
  warningWebhookUrl: secrets.alertmanagerWarningWebhookUrl,
  heartbeatUrl: secrets.alertmanagerHeartbeatUrl,
  after: clusterReady,
});

const webImage = releasedImage(
  readWebOverlay(config.environment),
  `${account}.dkr.ecr.${config.region}.amazonaws.com/${APP.imageRepository}-${stack}`,
);
if (webImage.reason) pulumi.log.info(`The web Application is not created yet: ${webImage.reason}.`);
new ArgoCd(name, {
  provider: cluster.provider,
  highAvailability: config.argocdHighAvailability,
  githubRepository: config.githubRepository,
  gitRevision: config.gitRevision,
  environment: config.environment,
  region: config.region,
  targetGroupArn: loadBalancer.targetGroupArn,
  targetGroupName: loadBalancer.targetGroupName,
  loadBalancerCidrs: network.plan.lb,
  database,
  // The web pods log in as the database user: it exists before the facts make the web Application.
  databaseReady: [db.userReady],
  webReleased: webImage.release !== undefined,
  after: clusterReady,
  applicationsAfter: [lbController.release, monitoring],
  // Only for a private repository: `pulumi config set --secret argocdRepositoryToken <token>`.
  repositoryToken: secrets.argocdRepositoryToken,
});

const alerting = new Alerting(name, {
  emails: config.alertEmails,
  distributionId: edge.distributionId,
  hostname: edge.hostname,
  albArnSuffix: loadBalancer.albArnSuffix,
  targetGroupArnSuffix: loadBalancer.targetGroupArnSuffix,
  tags,
});

const runner = new CiRunner(name, {
  projectName: `${name}-runner`,
  githubRepository: config.githubRepository,
  // The workflows with jobs on this stack's runner (.github/workflows; the identity matrix checks).
  workflowNames: config.environment === 'prod' ? ['infra-up', 'drift'] : ['infra-preview', 'infra-up', 'drift'],
  actorIds: config.ciRunnerActorIds,
  concurrentBuildLimit: runnerBuilds,
  githubConnectionArn: config.githubConnectionArn,
  vpcId: network.vpcId,
  privateSubnetIds: network.privateSubnetIds,
  clusterSecurityGroupId: cluster.clusterSecurityGroupId,
  permissionsBoundaryArn: config.permissionsBoundaryArn,
  region: config.region,
  accountId: account,
  logRetentionDays: config.flowLogRetentionDays,
  logsKeyArn: logsKey.arn,
  tags,
});

export const appUrl = edge.url;
export const ecrRepositoryUrl = registry.repositoryUrl;
export const siteBucketName = edge.bucketName;
export const distributionId = edge.distributionId;
export const targetGroupArn = loadBalancer.targetGroupArn;
export const vpcId = network.vpcId;
export const eksClusterName = cluster.name;
export const kubeconfig = cluster.kubeconfig;
export const releaseRoleArn = ci.releaseRoleArn;
export const publishRoleArn = ci.publishRoleArn;
export const previewRoleArn = ci.previewRoleArn;
export const infraRoleArn = ci.infraRoleArn;
export const reportsBucketName = ci.reportsBucketName;
/** Jobs that talk to the Kubernetes API ask for `codebuild-<this>-<run id>-<attempt>`. */
export const ciRunnerProject = runner.projectName;
export const alertTopicArn = alerting.topicArn;
export const globalAlertTopicArn = alerting.globalTopicArn;
export const uptimeHealthCheckId = alerting.healthCheckId;
export const databaseEndpoint = db.endpoint;
/** The Aurora cluster's identifier (restores and the teardown name it). */
export const databaseClusterIdentifier = db.clusterIdentifier;
export { database };
