import type { Test } from 'tap';
import { APP, PATHS } from '@zumo/config';
import { GITHUB_OIDC_HOST, grantsEverything, type PolicyStatement } from '../src/lib/iam.js';
import { MANAGED_CACHE_POLICY, MANAGED_ORIGIN_REQUEST_POLICY } from '../src/lib/cloudfront.js';
import { find, one, settle, valueOf, type Recorded } from './mocks.js';

/** Runs the whole program under mocks for one stack and returns what it declared and exported. */
export async function runProgram(recordedPromise: Promise<Recorded[]>) {
  const recorded = await recordedPromise;
  const program = await import('../src/index.js');
  const outputs = {
    appUrl: await valueOf(program.appUrl),
    ecrRepositoryUrl: await valueOf(program.ecrRepositoryUrl),
    siteBucketName: await valueOf(program.siteBucketName),
    distributionId: await valueOf(program.distributionId),
    targetGroupArn: await valueOf(program.targetGroupArn),
    releaseRoleArn: await valueOf(program.releaseRoleArn),
    previewRoleArn: await valueOf(program.previewRoleArn),
    infraRoleArn: await valueOf(program.infraRoleArn),
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
    const provider = one(recorded, 'aws:iam/openIdConnectProvider:OpenIdConnectProvider');
    t.same(provider.inputs['clientIdLists'], ['sts.amazonaws.com']);
    const expected: Record<string, string | string[]> = {
      release: `repo:${repository}:ref:refs/heads/main`,
      preview: [`repo:${repository}:pull_request`, `repo:${repository}:environment:drift`],
      infra: [`repo:${repository}:ref:refs/heads/main`, `repo:${repository}:environment:prod`],
    };
    for (const [role, subject] of Object.entries(expected)) {
      const trust = JSON.parse(one(recorded, 'aws:iam/role:Role', `-${role}`).inputs['assumeRolePolicy']);
      const condition = trust.Statement[0].Condition.StringEquals;
      t.same(condition[`${GITHUB_OIDC_HOST}:sub`], subject, `${role}: sub pinned exactly`);
      t.equal(condition[`${GITHUB_OIDC_HOST}:aud`], 'sts.amazonaws.com', `${role}: aud pinned`);
      t.notOk(JSON.stringify(trust).includes('StringLike'), `${role}: no wildcard match`);
    }
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
