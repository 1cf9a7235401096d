import * as pulumi from '@pulumi/pulumi';
import type { Test } from 'tap';
import { APP, PATHS } from '@zumo/config';
import { GITHUB_OIDC_HOST, grantsEverything, type PolicyStatement } from '../src/lib/iam.js';
import { MANAGED_CACHE_POLICY, MANAGED_ORIGIN_REQUEST_POLICY } from '../src/lib/cloudfront.js';
import { ALERTMANAGER_SECRET, MONITORING_NAMESPACE } from '../src/lib/alertmanager.js';
import { ALARMS, BACKUP_SCHEDULE, BACKUP_SELECTION_TAG } from '../src/lib/operations.js';
import { find, one, secretValue, settle, valueOf, type Recorded } from './mocks.js';

/** Runs the whole program under mocks for one stack and returns what it declared and exported. */
export async function runProgram(recordedPromise: Promise<Recorded[]>) {
  const recorded = await recordedPromise;
  // Inside a root stack, as the engine runs a program (stack transformations need one).
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports -- imported after the mocks
  let program!: typeof import('../src/index.js');
  await pulumi.runtime.runInPulumiStack(async () => {
    program = await import('../src/index.js');
  });
  const outputs = {
    appUrl: await valueOf(program.appUrl),
    ecrRepositoryUrl: await valueOf(program.ecrRepositoryUrl),
    siteBucketName: await valueOf(program.siteBucketName),
    distributionId: await valueOf(program.distributionId),
    targetGroupArn: await valueOf(program.targetGroupArn),
    releaseRoleArn: await valueOf(program.releaseRoleArn),
    previewRoleArn: await valueOf(program.previewRoleArn),
    infraRoleArn: await valueOf(program.infraRoleArn),
    alertTopicArn: await valueOf(program.alertTopicArn),
    globalAlertTopicArn: await valueOf(program.globalAlertTopicArn),
  };
  await settle();
  return { recorded, outputs };
}

/** What must hold on both stacks. */
export function checkCommon(t: Test, stack: string, recorded: Recorded[], outputs: Record<string, string>) {
  t.test('outputs', async (t) => {
    t.match(outputs['appUrl'], /^https:\/\//, 'the app URL is HTTPS');
    t.match(
      outputs['ecrRepositoryUrl'],
      new RegExp(`/${APP.imageRepository}-${stack}$`),
      'the ECR repository is named from the contract',
    );
    for (const key of [
      'siteBucketName',
      'distributionId',
      'targetGroupArn',
      'releaseRoleArn',
      'previewRoleArn',
      'infraRoleArn',
    ]) {
      t.ok(outputs[key], `${key} is exported`);
    }
  });

  t.test('alerting: SNS topics, CloudWatch alarms and the uptime check', async (t) => {
    const topics = find(recorded, 'aws:sns/topic:Topic');
    t.equal(topics.length, 2, 'one topic in the region, one in us-east-1');
    const alarms = find(recorded, 'aws:cloudwatch/metricAlarm:MetricAlarm');
    const alarm = (suffix: string) => one(recorded, 'aws:cloudwatch/metricAlarm:MetricAlarm', `-${suffix}`).inputs;
    t.same(alarms.map((a) => a.name.replace(`zumo-${stack}-`, '')).sort(), [
      'alb-no-healthy-target',
      'alb-target-5xx',
      'alb-unhealthy-targets',
      'cloudfront-5xx',
      'uptime',
    ]);
    for (const a of alarms) {
      t.equal(a.inputs['alarmActions'].length, 1, `${a.name} notifies a topic`);
      t.same(a.inputs['okActions'], a.inputs['alarmActions'], `${a.name} also says when it recovers`);
      t.match(a.inputs['alarmDescription'], /Runbook: docs\/operations\.md#[a-z0-9]+$/, `${a.name} links its runbook`);
    }

    const cf = alarm('cloudfront-5xx');
    t.match(cf, {
      namespace: 'AWS/CloudFront',
      metricName: '5xxErrorRate',
      statistic: 'Average',
      threshold: 1,
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparisonOperator: 'GreaterThanThreshold',
    });
    t.same(cf['dimensions'], { DistributionId: outputs['distributionId'], Region: 'Global' });
    t.equal(
      cf['alarmActions'][0],
      outputs['globalAlertTopicArn'],
      'CloudFront metrics live in us-east-1: so do alarm and topic',
    );

    const dims = { LoadBalancer: /^app\//, TargetGroup: /^targetgroup\// };
    t.match(alarm('alb-unhealthy-targets'), {
      namespace: 'AWS/ApplicationELB',
      metricName: 'UnHealthyHostCount',
      threshold: ALARMS.albUnhealthyTargets.threshold,
      evaluationPeriods: 3,
      comparisonOperator: 'GreaterThanThreshold',
      dimensions: dims,
    });
    t.match(alarm('alb-no-healthy-target'), {
      metricName: 'HealthyHostCount',
      statistic: 'Minimum',
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'breaching',
      dimensions: dims,
    });
    const target5xx = alarm('alb-target-5xx');
    t.match(target5xx, { threshold: 1, evaluationPeriods: 5, comparisonOperator: 'GreaterThanThreshold' });
    const queries = target5xx['metricQueries'] as {
      id: string;
      expression?: string;
      metric?: { metricName: string };
    }[];
    t.equal(queries.find((q) => q.id === 'ratio')?.expression, 'IF(requests > 0, 100 * errors / requests, 0)');
    t.same(
      queries
        .filter((q) => q.metric)
        .map((q) => q.metric!.metricName)
        .sort(),
      ['HTTPCode_Target_5XX_Count', 'RequestCount'],
      'a ratio of target 5xx to requests, not a raw count',
    );
    t.equal(target5xx['alarmActions'][0], outputs['alertTopicArn'], 'ALB alarms use the regional topic');

    const check = one(recorded, 'aws:route53/healthCheck:HealthCheck').inputs;
    t.match(check, { type: 'HTTPS', port: 443, resourcePath: PATHS.health, requestInterval: 30, failureThreshold: 3 });
    t.equal(`https://${check['fqdn']}`, outputs['appUrl'], 'the uptime check requests the public URL');
    t.match(alarm('uptime'), {
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
    });
  });

  t.test('backups: the app volume is snapshotted daily', async (t) => {
    const plan = one(recorded, 'aws:backup/plan:Plan').inputs;
    const rule = plan['rules'][0];
    t.equal(rule.schedule, BACKUP_SCHEDULE);
    t.equal(BACKUP_SCHEDULE, 'cron(0 3 * * ? *)', 'every day at 03:00 UTC');
    t.equal(rule.lifecycle.deleteAfter, 7, 'kept 7 days');
    const selection = one(recorded, 'aws:backup/selection:Selection').inputs;
    t.same(selection['resources'], ['arn:aws:ec2:*:*:volume/*'], 'EBS volumes only');
    t.same(
      selection['conditions'][0].stringEquals,
      [{ key: `aws:ResourceTag/${BACKUP_SELECTION_TAG}`, value: APP.namespace }],
      "selected by the tag the EBS CSI driver puts on the app namespace's volumes",
    );
    t.ok(one(recorded, 'aws:backup/vault:Vault').inputs['kmsKeyArn'], 'the vault is encrypted with its own key');
    const attached = find(recorded, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment', '-backup-').map(
      (r) => r.inputs['policyArn'],
    );
    t.same(attached.sort(), [
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ]);
  });

  t.test('monitoring: Alertmanager config and the Grafana login live in Secrets, not in git', async (t) => {
    const secrets = find(recorded, 'kubernetes:core/v1:Secret').filter(
      (s) => s.inputs['metadata'].namespace === MONITORING_NAMESPACE,
    );
    const alertmanager = secrets.find((s) => s.inputs['metadata'].name === ALERTMANAGER_SECRET);
    t.ok(alertmanager, 'the Secret kube-prometheus-stack is told to use');
    const data = secretValue(alertmanager!.inputs['stringData']);
    t.ok(data, 'the webhook URLs are stored as a Pulumi secret (encrypted in the state)');
    const config = JSON.parse(data!['alertmanager.yaml']!);
    t.equal(
      config.receivers.find((r: { name: string }) => r.name === 'critical').slack_configs[0].api_url,
      'https://hooks.example.test/services/critical',
      'the webhook comes from the stack secret',
    );
    const grafana = secrets.find((s) => s.inputs['metadata'].name === 'grafana-admin');
    t.equal(secretValue(grafana?.inputs['stringData'])?.['admin-password']?.length, 32, 'a generated password, secret');
  });

  t.test('network', async (t) => {
    const vpc = one(recorded, 'awsx:ec2:Vpc');
    t.equal(vpc.inputs['cidrBlock'], '10.40.0.0/16', 'the seed range');
    t.equal(vpc.inputs['numberOfAvailabilityZones'], 3);
    const specs = vpc.inputs['subnetSpecs'] as { type: string; tags: Record<string, string> }[];
    t.same(specs.map((s) => s.type).sort(), ['Private', 'Public']);
    t.equal(
      specs.find((s) => s.type === 'Public')!.tags['kubernetes.io/role/elb'],
      '1',
      'public subnets tagged for internet-facing LBs',
    );
    t.equal(
      specs.find((s) => s.type === 'Private')!.tags['kubernetes.io/role/internal-elb'],
      '1',
      'private subnets tagged for internal LBs',
    );
    const flowLog = one(recorded, 'aws:ec2/flowLog:FlowLog');
    t.equal(flowLog.inputs['trafficType'], 'ALL', 'flow logs capture all traffic');
    const logGroup = one(recorded, 'aws:cloudwatch/logGroup:LogGroup', 'flow-logs');
    t.ok(logGroup.inputs['retentionInDays'] > 0, 'flow logs have a finite retention');
    const s3Endpoint = one(recorded, 'aws:ec2/vpcEndpoint:VpcEndpoint', '-s3');
    t.equal(s3Endpoint.inputs['vpcEndpointType'], 'Gateway');
    t.equal(s3Endpoint.inputs['serviceName'], 'com.amazonaws.eu-west-1.s3');
  });

  t.test('registry', async (t) => {
    const repository = one(recorded, 'aws:ecr/repository:Repository');
    t.equal(repository.inputs['imageTagMutability'], 'IMMUTABLE', 'a tag always means the same image');
    t.same(repository.inputs['imageScanningConfiguration'], { scanOnPush: true });
    t.equal(repository.inputs['encryptionConfigurations'][0].encryptionType, 'KMS');
    const lifecycle = JSON.parse(one(recorded, 'aws:ecr/lifecyclePolicy:LifecyclePolicy').inputs['policy']);
    t.match(lifecycle.rules[0].selection, { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 7 });
    t.match(lifecycle.rules[1].selection, { countType: 'imageCountMoreThan', countNumber: 30 });
  });

  t.test('load balancer', async (t) => {
    const alb = one(recorded, 'aws:lb/loadBalancer:LoadBalancer');
    t.equal(alb.inputs['internal'], true, 'internal: only CloudFront reaches it');
    t.same(alb.inputs['subnets'], ['subnet-private-a', 'subnet-private-b', 'subnet-private-c']);
    t.equal(alb.inputs['dropInvalidHeaderFields'], true);
    const sg = one(recorded, 'aws:ec2/securityGroup:SecurityGroup', '-alb');
    t.same(
      sg.inputs['ingress'].map((i: { cidrBlocks: string[]; fromPort: number }) => [i.cidrBlocks, i.fromPort]),
      [[['10.40.0.0/16'], 80]],
      'ingress only from inside the VPC, where the CloudFront VPC origin connects from',
    );
    t.notOk(JSON.stringify(sg.inputs['ingress']).includes('0.0.0.0/0'), 'no open ingress');
    const targetGroup = one(recorded, 'aws:lb/targetGroup:TargetGroup');
    t.match(targetGroup.inputs, { targetType: 'ip', port: APP.containerPort, protocol: 'HTTP' });
    t.equal(targetGroup.inputs['healthCheck'].path, PATHS.ready, 'health check on the readiness path');
  });

  t.test('edge: private bucket and CloudFront', async (t) => {
    const block = find(recorded, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', '-site')[0]!;
    t.match(block.inputs, {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    t.equal(
      one(recorded, 'aws:s3/bucketOwnershipControls:BucketOwnershipControls', '-site').inputs['rule'].objectOwnership,
      'BucketOwnerEnforced',
    );
    t.ok(
      one(recorded, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', '-site'),
      'encrypted',
    );
    t.equal(
      one(recorded, 'aws:s3/bucketVersioning:BucketVersioning', '-site').inputs['versioningConfiguration'].status,
      'Enabled',
    );
    const lifecycle = one(recorded, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', '-site');
    t.ok(lifecycle.inputs['rules'][0].noncurrentVersionExpiration.noncurrentDays > 0, 'old versions expire');
    const oac = one(recorded, 'aws:cloudfront/originAccessControl:OriginAccessControl');
    t.match(oac.inputs, { originAccessControlOriginType: 's3', signingBehavior: 'always', signingProtocol: 'sigv4' });

    const cdn = one(recorded, 'aws:cloudfront/distribution:Distribution').inputs;
    t.equal(cdn['httpVersion'], 'http2and3');
    t.equal(cdn['isIpv6Enabled'], true);
    t.equal(cdn['priceClass'], 'PriceClass_100');
    const site = cdn['origins'].find((o: { originId: string }) => o.originId === 'site');
    t.equal(site.originAccessControlId, `${oac.name}-id`, 'the bucket is reached through OAC');
    t.notOk(site.s3OriginConfig, 'no legacy origin access identity');
    const api = cdn['origins'].find((o: { originId: string }) => o.originId === 'api');
    t.ok(api.vpcOriginConfig?.vpcOriginId, 'the ALB is reached through a VPC origin');
    const behaviors = [cdn['defaultCacheBehavior'], ...cdn['orderedCacheBehaviors']];
    t.ok(
      behaviors.every((b) => b.viewerProtocolPolicy === 'redirect-to-https'),
      'every behaviour redirects to HTTPS',
    );
    const byPath = Object.fromEntries(
      cdn['orderedCacheBehaviors'].map((b: { pathPattern: string }) => [b.pathPattern, b]),
    );
    t.equal(
      byPath[`${PATHS.assets}/*`].cachePolicyId,
      MANAGED_CACHE_POLICY.cachingOptimized,
      'hashed assets: CachingOptimized',
    );
    for (const path of [`${PATHS.api}/*`, PATHS.health]) {
      t.match(
        byPath[path],
        {
          targetOriginId: 'api',
          cachePolicyId: MANAGED_CACHE_POLICY.cachingDisabled,
          originRequestPolicyId: MANAGED_ORIGIN_REQUEST_POLICY.allViewerExceptHostHeader,
        },
        `${path}: to the ALB, uncached, viewer headers except Host`,
      );
    }
    const pageCache = one(recorded, 'aws:cloudfront/cachePolicy:CachePolicy', '-page');
    t.equal(pageCache.inputs['minTtl'], 0, 'index.html can be revalidated every time');
    t.ok(
      cdn['responseHeadersPolicyId'] ?? cdn['defaultCacheBehavior'].responseHeadersPolicyId,
      'security headers at the edge',
    );

    const policy = JSON.parse(one(recorded, 'aws:s3/bucketPolicy:BucketPolicy', '-site').inputs['policy']);
    const read = policy.Statement.find((s: { Sid: string }) => s.Sid === 'CloudFrontReadThroughOAC');
    t.same(read.Principal, { Service: 'cloudfront.amazonaws.com' });
    t.match(
      read.Condition.StringEquals['AWS:SourceArn'],
      /^arn:aws:cloudfront::\d{12}:distribution\//,
      'only this distribution may read',
    );
  });

  t.test('cluster', async (t) => {
    const eksCluster = one(recorded, 'eks:index:Cluster').inputs;
    t.equal(eksCluster['authenticationMode'], 'API', 'access entries only, no aws-auth');
    t.equal(eksCluster['version'], '1.35', 'pinned version');
    t.same(eksCluster['enabledClusterLogTypes'], ['api', 'audit', 'authenticator']);
    t.ok(eksCluster['encryptionConfigKeyArn'], 'secrets are envelope-encrypted with KMS');
    t.equal(eksCluster['endpointPrivateAccess'], true);
    t.same(
      eksCluster['publicAccessCidrs'],
      ['203.0.113.0/24'],
      'the public endpoint is limited to the configured CIDRs',
    );
    t.equal(eksCluster['skipDefaultNodeGroup'], true);
    t.equal(eksCluster['nodeAssociatePublicIpAddress'], false);
    t.same(eksCluster['privateSubnetIds'], ['subnet-private-a', 'subnet-private-b', 'subnet-private-c']);
    t.notOk(eksCluster['publicSubnetIds'], 'no nodes in public subnets');
    const entries = Object.values(
      eksCluster['accessEntries'] as Record<
        string,
        { accessPolicies: Record<string, { policyArn: string }>; kubernetesGroups?: string[] }
      >,
    );
    t.ok(
      entries.length > 0 &&
        entries.every((e) => Object.values(e.accessPolicies)[0]!.policyArn.endsWith('AmazonEKSClusterAdminPolicy')),
      'admins through access policies',
    );
    t.notOk(JSON.stringify(eksCluster).includes('system:masters'), 'no system:masters');
    t.equal(one(recorded, 'aws:kms/key:Key', '-secrets').inputs['enableKeyRotation'], true);
    const nodes = one(recorded, 'eks:index:ManagedNodeGroup').inputs;
    t.equal(nodes['amiType'], 'AL2023_x86_64_STANDARD');
    t.same(
      nodes['subnetIds'],
      ['subnet-private-a', 'subnet-private-b', 'subnet-private-c'],
      'nodes in private subnets',
    );
    const addons = find(recorded, 'aws:eks/addon:Addon')
      .map((a) => a.inputs['addonName'])
      .sort();
    t.same(addons, ['aws-ebs-csi-driver', 'eks-pod-identity-agent']);
    t.match(
      eksCluster,
      { corednsAddonOptions: { enabled: true }, kubeProxyAddonOptions: { enabled: true } },
      'coredns and kube-proxy as managed add-ons',
    );
    const ebs = one(recorded, 'aws:eks/addon:Addon', 'ebs-csi').inputs;
    t.equal(
      ebs['podIdentityAssociations'][0].serviceAccount,
      'ebs-csi-controller-sa',
      'EBS CSI gets its role through Pod Identity',
    );
    const storageClass = one(recorded, 'kubernetes:storage.k8s.io/v1:StorageClass').inputs;
    t.match(storageClass, { provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true' } });
    t.equal(storageClass['metadata'].annotations['storageclass.kubernetes.io/is-default-class'], 'true');
  });

  t.test('load balancer controller and Argo CD', async (t) => {
    const releases = Object.fromEntries(
      find(recorded, 'kubernetes:helm.sh/v3:Release').map((r) => [r.inputs['chart'], r.inputs]),
    );
    t.match(releases['aws-load-balancer-controller'], { version: '3.5.0', namespace: 'kube-system' });
    t.match(releases['argo-cd'], { version: '10.1.1', namespace: 'argocd' });
    t.equal(releases['argo-cd']!['values'].server.service.type, 'ClusterIP', 'Argo CD is not exposed publicly');
    const association = one(recorded, 'aws:eks/podIdentityAssociation:PodIdentityAssociation').inputs;
    t.match(association, { namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller' });
    const apps = find(recorded, 'kubernetes:argoproj.io/v1alpha1:Application');
    t.same(apps.map((a) => a.inputs['metadata'].name).sort(), ['root', 'web']);
    const web = apps.find((a) => a.inputs['metadata'].name === 'web')!.inputs;
    t.match(web['spec'].source.path, new RegExp(`^deploy/web/overlays/${stack}$`));
    t.match(web['spec'].source.kustomize.patches[0].patch, /targetgroup/, 'the target group ARN is patched in');
  });

  t.test('CI identities', async (t) => {
    const repository = 'zumo-platform/zumo';
    t.equal(
      find(recorded, 'aws:iam/openIdConnectProvider:OpenIdConnectProvider').length,
      0,
      "the provider is bootstrap's",
    );
    const expected: Record<string, string | string[]> = {
      release: `repo:${repository}:environment:${stack}-release`,
      preview:
        stack === 'dev'
          ? [`repo:${repository}:pull_request`, `repo:${repository}:environment:dev-preview`]
          : `repo:${repository}:environment:prod-preview`,
      infra: `repo:${repository}:environment:${stack}-infra`,
    };
    for (const [role, subject] of Object.entries(expected)) {
      const declared = one(recorded, 'aws:iam/role:Role', `-${role}`).inputs;
      const trust = JSON.parse(declared['assumeRolePolicy']);
      const condition = trust.Statement[0].Condition.StringEquals;
      t.same(condition[`${GITHUB_OIDC_HOST}:sub`], subject, `${role}: sub pinned exactly`);
      t.equal(condition[`${GITHUB_OIDC_HOST}:aud`], 'sts.amazonaws.com', `${role}: aud pinned`);
      t.equal(
        trust.Statement[0].Principal.Federated,
        'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
        `${role}: the provider from stack config`,
      );
      t.notOk(JSON.stringify(trust).includes('StringLike'), `${role}: no wildcard match`);
    }
    for (const role of find(recorded, 'aws:iam/role:Role'))
      t.equal(
        role.inputs['permissionsBoundary'],
        `arn:aws:iam::123456789012:policy/zumo-${stack}-boundary`,
        `${role.name} carries the stack's permissions boundary`,
      );
    for (const policy of find(recorded, 'aws:iam/rolePolicy:RolePolicy')) {
      const statements = JSON.parse(policy.inputs['policy']).Statement as PolicyStatement[];
      t.notOk(statements.some(grantsEverything), `${policy.name}: no * on *`);
    }
    const release = JSON.parse(one(recorded, 'aws:iam/rolePolicy:RolePolicy', '-release').inputs['policy'])
      .Statement as PolicyStatement[];
    const star = release.filter((s) => s.Resource === '*').flatMap((s) => s.Action);
    t.same(star, ['ecr:GetAuthorizationToken'], 'release uses "*" only where AWS requires it');
  });
}
