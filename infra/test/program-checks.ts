import type { Test } from 'tap';
import { API_SECURITY_HEADERS, APP, PATHS, SECURITY_HEADERS } from '@zumo/config';
import { defaultsFor } from '../src/config/stack-config.js';
import { GITHUB_OIDC_HOST, grantsEverything, type PolicyStatement } from '../src/lib/iam.js';
import { MANAGED_CACHE_POLICY, MANAGED_ORIGIN_REQUEST_POLICY } from '../src/lib/cloudfront.js';
import { find, one, type Recorded, type Registered } from './mocks.js';
import { checkCluster } from './program-checks-cluster.js';
import { checkOperations } from './program-checks-operations.js';
import { checkDatabase } from './program-checks-database.js';

/** What must hold on both stacks. */
export function checkCommon(t: Test, stack: string, recorded: Recorded[], outputs: Record<string, string>) {
  checkCluster(t, stack, recorded);
  checkOperations(t, stack, recorded, outputs);
  checkDatabase(t, stack, recorded, outputs);
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
    t.same(vpc.inputs['availabilityZoneNames'], ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], "the region's first 3 AZs");
    const specs = vpc.inputs['subnetSpecs'] as { type: string; cidrBlocks: string[]; tags: Record<string, string> }[];
    t.same(
      Object.fromEntries(specs.map((s) => [s.type, s.cidrBlocks])),
      {
        Private: ['10.40.0.0/20', '10.40.16.0/20', '10.40.32.0/20'],
        Public: ['10.40.48.0/22', '10.40.52.0/22', '10.40.56.0/22'],
        Isolated: ['10.40.60.0/26', '10.40.60.64/26', '10.40.60.128/26'],
      },
      'explicit blocks from lib/network-plan.ts: the ALB alone in isolated /26s',
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
    t.ok(logGroup.inputs['kmsKeyId'], 'flow logs are encrypted with the logs key');
    const s3Endpoint = one(recorded, 'aws:ec2/vpcEndpoint:VpcEndpoint', '-s3');
    t.equal(s3Endpoint.inputs['vpcEndpointType'], 'Gateway');
    t.equal(s3Endpoint.inputs['serviceName'], 'com.amazonaws.eu-west-1.s3');
  });

  t.test("the VPC's defaults: adopted with the stack's tags, open only where the subnets need it", async (t) => {
    const vpc = one(recorded, 'awsx:ec2:Vpc');
    const acl = one(recorded, 'aws:ec2/defaultNetworkAcl:DefaultNetworkAcl') as Registered;
    const group = one(recorded, 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup');
    const routes = one(recorded, 'aws:ec2/defaultRouteTable:DefaultRouteTable');
    const aws = vpc.state['vpc'] as Record<string, string>;
    t.equal(acl.inputs['defaultNetworkAclId'], aws['defaultNetworkAclId'], "the VPC's default network ACL");
    t.equal(group.inputs['vpcId'], vpc.state['vpcId'], "the VPC's default security group");
    t.equal(routes.inputs['defaultRouteTableId'], aws['mainRouteTableId'], "the VPC's main route table");
    for (const r of [acl, group, routes])
      t.equal(r.inputs['tags']?.['stack'], stack, `${r.type.split(':').pop()}: tagged with the stack`);
    // Adoption removes every rule first; awsx's subnets use this ACL, so it keeps AWS's own rules
    // (Amazon VPC User Guide, "Default network ACL": all IPv4 traffic in and out, rule 100).
    const awsDefault = [
      { protocol: '-1', ruleNo: 100, action: 'allow', cidrBlock: '0.0.0.0/0', fromPort: 0, toPort: 0 },
    ];
    t.same(acl.inputs['ingress'], awsDefault, 'the network ACL admits all inbound traffic, as AWS creates it');
    t.same(acl.inputs['egress'], awsDefault, 'and all outbound traffic');
    t.same(acl.ignoreChanges, ['subnetIds'], 'AWS associates the subnets with it: no diff to undo that');
    t.notOk(
      group.inputs['ingress']?.length || group.inputs['egress']?.length,
      'the default security group admits nothing',
    );
    t.same(routes.inputs['routes'], [], 'the main route table routes nowhere (each subnet has its own)');
    // Nothing is placed in the default security group: whatever takes groups names its own.
    for (const endpoint of find(recorded, 'aws:ec2/vpcEndpoint:VpcEndpoint').filter(
      (e) => e.inputs['vpcEndpointType'] === 'Interface',
    ))
      t.ok(endpoint.inputs['securityGroupIds']?.length, `${endpoint.name}: its own security group`);
    for (const project of find(recorded, 'aws:codebuild/project:Project').filter((p) => p.inputs['vpcConfig']))
      t.ok(project.inputs['vpcConfig'].securityGroupIds?.length, `${project.name}: its own security group`);
    for (const lb of find(recorded, 'aws:lb/loadBalancer:LoadBalancer'))
      t.ok(lb.inputs['securityGroups']?.length, `${lb.name}: its own security group`);
  });

  t.test('registry', async (t) => {
    const repository = one(recorded, 'aws:ecr/repository:Repository');
    t.equal(repository.inputs['imageTagMutability'], 'IMMUTABLE', 'a tag always means the same image');
    t.same(repository.inputs['imageScanningConfiguration'], { scanOnPush: true });
    t.equal(repository.inputs['encryptionConfigurations'][0].encryptionType, 'KMS');
    const lifecycle = JSON.parse(one(recorded, 'aws:ecr/lifecyclePolicy:LifecyclePolicy').inputs['policy']);
    t.match(lifecycle.rules[0].selection, { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 7 });
    t.match(
      lifecycle.rules[1].selection,
      { countType: 'imageCountMoreThan', countNumber: defaultsFor(stack === 'prod' ? 'prod' : 'dev').ecrKeepReleases },
      'the releases kept: the stack default',
    );
  });

  t.test('load balancer', async (t) => {
    const alb = one(recorded, 'aws:lb/loadBalancer:LoadBalancer');
    t.equal(alb.inputs['internal'], true, 'internal: only CloudFront reaches it');
    t.same(alb.inputs['subnets'], ['subnet-isolated-a', 'subnet-isolated-b', 'subnet-isolated-c'], 'its own subnets');
    t.equal(alb.inputs['dropInvalidHeaderFields'], true);
    const sg = one(recorded, 'aws:ec2/securityGroup:SecurityGroup', '-alb');
    t.notOk(sg.inputs['ingress'] ?? sg.inputs['egress'], 'rules are standalone resources, never inline');
    const ingress = find(recorded, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').filter(
      (r) => r.inputs['securityGroupId'] === `${sg.name}-id`,
    );
    t.same(
      ingress.map((r) => [r.inputs['prefixListId'], r.inputs['cidrIpv4'], r.inputs['fromPort'], r.inputs['toPort']]),
      [['pl-4fa04526', undefined, 80, 80]],
      "HTTP only from CloudFront's origin-facing prefix list (what VPC origin traffic comes from), no range of the VPC",
    );
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
    // Each behaviour gets the header set the service gives the same answers: the page's for the
    // files from S3, the API's for everything from the ALB (@zumo/config).
    const headerPolicies = find(recorded, 'aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy');
    // What a policy makes CloudFront send, header by header (its security and custom headers).
    const sentBy = (policyId: string) => {
      const inputs = headerPolicies.find((p) => `${p.name}-id` === policyId)?.inputs;
      const security = inputs?.['securityHeadersConfig'];
      const sent: Record<string, string> = {
        'content-security-policy': security?.contentSecurityPolicy?.contentSecurityPolicy,
        'strict-transport-security': `max-age=${security?.strictTransportSecurity?.accessControlMaxAgeSec}${
          security?.strictTransportSecurity?.includeSubdomains ? '; includeSubDomains' : ''
        }`,
        'x-content-type-options': security?.contentTypeOptions ? 'nosniff' : 'absent',
        'x-frame-options': security?.frameOptions?.frameOption,
        'referrer-policy': security?.referrerPolicy?.referrerPolicy,
      };
      for (const item of inputs?.['customHeadersConfig']?.items ?? []) sent[item.header.toLowerCase()] = item.value;
      return sent;
    };
    t.same(sentBy(cdn['defaultCacheBehavior'].responseHeadersPolicyId), SECURITY_HEADERS, 'the page: the page set');
    t.same(sentBy(byPath[`${PATHS.assets}/*`].responseHeadersPolicyId), SECURITY_HEADERS, 'the assets: the page set');
    for (const path of [`${PATHS.api}/*`, PATHS.health]) {
      t.same(
        sentBy(byPath[path].responseHeadersPolicyId),
        API_SECURITY_HEADERS,
        `${path}: the API set, as the service sends it`,
      );
    }
    t.ok(
      headerPolicies.every((p) =>
        [p.inputs['securityHeadersConfig'], ...(p.inputs['customHeadersConfig']?.items ?? [])]
          .flatMap((c) => (c.override === undefined ? Object.values(c) : [c]))
          .every((c: { override?: boolean }) => c.override === true),
      ),
      'every header overrides what the origin sent',
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

  t.test('load balancer controller and Argo CD', async (t) => {
    const releases = Object.fromEntries(
      find(recorded, 'kubernetes:helm.sh/v3:Release').map((r) => [r.inputs['chart'], r.inputs]),
    );
    t.match(releases['aws-load-balancer-controller'], { version: '3.5.0', namespace: 'kube-system' });
    t.match(releases['argo-cd'], { version: '10.1.1', namespace: 'argocd' });
    t.equal(releases['argo-cd']!['values'].server.service.type, 'ClusterIP', 'Argo CD is not exposed publicly');
    const association = one(recorded, 'aws:eks/podIdentityAssociation:PodIdentityAssociation', '-lbc').inputs;
    t.match(association, { namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller' });
    const apps = find(recorded, 'kubernetes:argoproj.io/v1alpha1:Application');
    t.same(
      apps.map((a) => a.inputs['metadata'].name),
      ['root'],
      'no web Application while the overlay holds the placeholder image (it would only fail to pull)',
    );
    t.same(
      find(recorded, 'kubernetes:argoproj.io/v1alpha1:AppProject').map((p) => p.inputs['metadata'].name),
      ['platform'],
      "nor its AppProject (only the root's)",
    );
    const facts = one(recorded, 'kubernetes:core/v1:Secret', '-cluster-facts').inputs;
    t.same(
      facts['metadata'].labels,
      { 'argocd.argoproj.io/secret-type': 'cluster' },
      'the cluster facts are written, without the label the web ApplicationSet selects: it generates nothing yet',
    );
    t.match(apps[0]!.inputs['spec'].source.path, new RegExp(`^deploy/apps/${stack}$`));
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
