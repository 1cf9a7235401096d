/**
 * Resource kinds whose names are unique per account (and region), not per stack: two stacks in one
 * account must never declare the same one. A kind here whose name the program leaves to Pulumi
 * (autonamed with a random suffix) never collides; one with a fixed name must include the stack.
 */
type Inputs = Record<string, any>;

export interface AccountWide {
  readonly type: string;
  /** The physical identity AWS keeps unique, or undefined when Pulumi autonames it. */
  readonly identity: (inputs: Inputs) => string | undefined;
  readonly why: string;
}

export const ACCOUNT_WIDE: AccountWide[] = [
  {
    type: 'aws:iam/openIdConnectProvider:OpenIdConnectProvider',
    identity: (i) => i['url'],
    why: 'IAM keeps one OIDC provider per URL per account (EntityAlreadyExists)',
  },
  {
    type: 'aws:iam/role:Role',
    identity: (i) => i['name'],
    why: 'IAM names are unique in the account, in every region',
  },
  { type: 'aws:iam/policy:Policy', identity: (i) => i['name'], why: 'IAM names are unique in the account' },
  { type: 'aws:s3/bucket:Bucket', identity: (i) => i['bucket'], why: 'bucket names are unique across all of S3' },
  {
    type: 'aws:ecr/repository:Repository',
    identity: (i) => i['name'],
    why: 'one repository name per account and region',
  },
  { type: 'aws:eks/cluster:Cluster', identity: (i) => i['name'], why: 'one cluster name per account and region' },
  {
    type: 'aws:cloudwatch/logGroup:LogGroup',
    identity: (i) => i['name'],
    why: 'one log group name per account and region',
  },
  { type: 'aws:kms/alias:Alias', identity: (i) => i['name'], why: 'one alias name per account and region' },
  {
    type: 'aws:cloudfront/cachePolicy:CachePolicy',
    identity: (i) => i['name'],
    why: 'CloudFront is global to the account',
  },
  {
    type: 'aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy',
    identity: (i) => i['name'],
    why: 'CloudFront is global to the account',
  },
  {
    type: 'aws:cloudfront/originAccessControl:OriginAccessControl',
    identity: (i) => i['name'],
    why: 'CloudFront is global to the account',
  },
  {
    type: 'aws:cloudfront/vpcOrigin:VpcOrigin',
    identity: (i) => i['vpcOriginEndpointConfig']?.name,
    why: 'CloudFront is global to the account',
  },
  {
    type: 'aws:wafv2/webAcl:WebAcl',
    identity: (i) => i['name'] && `${i['scope']}/${i['name']}`,
    why: 'one name per scope',
  },
  { type: 'aws:backup/vault:Vault', identity: (i) => i['name'], why: 'one vault name per account and region' },
  { type: 'aws:sns/topic:Topic', identity: (i) => i['name'], why: 'one topic name per account and region' },
  {
    type: 'aws:cloudwatch/metricAlarm:MetricAlarm',
    identity: (i) => i['name'],
    why: 'one alarm name per account and region',
  },
  {
    type: 'aws:route53/record:Record',
    identity: (i) => `${i['zoneId']}/${i['name']}/${i['type']}`,
    why: 'one record set per zone, name and type',
  },
  { type: 'aws:lb/loadBalancer:LoadBalancer', identity: (i) => i['name'], why: 'one name per account and region' },
  { type: 'aws:lb/targetGroup:TargetGroup', identity: (i) => i['name'], why: 'one name per account and region' },
];
