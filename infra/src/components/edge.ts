import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import * as time from '@pulumiverse/time';
import { PrivateBucket } from './private-bucket.js';
import { API_SECURITY_HEADERS, HSTS_MAX_AGE_SECONDS, PATHS, SECURITY_HEADERS } from '@zumo/config';
import {
  MANAGED_CACHE_POLICY,
  MANAGED_ORIGIN_REQUEST_POLICY,
  bucketReadPolicyForDistribution,
} from '../lib/cloudfront.js';

export interface EdgeArgs {
  /** The internal ALB that answers /api/* and /healthz (CloudFront reaches it as a VPC origin). */
  readonly albArn: pulumi.Input<string>;
  readonly albDnsName: pulumi.Input<string>;
  /** PriceClass_100 (North America, Europe) by default: the cheapest that serves the main audience. */
  readonly priceClass: string;
  /** Optional custom domain; needs hostedZoneId. Without it the *.cloudfront.net name is the URL. */
  readonly domainName?: string | undefined;
  readonly hostedZoneId?: string | undefined;
  /** Attach a WAF web ACL (AWS managed rule groups + a per-IP rate rule). On in prod. */
  readonly waf: boolean;
  readonly wafRateLimitPer5Min: number;
  /** Days before a replaced page version is deleted (versioning keeps one-step rollbacks cheap). */
  readonly noncurrentVersionDays?: number;
  /** Let `pulumi destroy` empty the page bucket (dev; prod keeps its versions until emptied on purpose). */
  readonly forceDestroy: boolean;
  readonly tags?: Record<string, string>;
}

/** The headers CloudFront's securityHeadersConfig sets; any other one is a custom header. */
const EDGE_SECURITY_HEADERS = new Set([
  'content-security-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
]);

/** The headers of a set that securityHeadersConfig cannot express, spelled as every published
 * example spells them (Permissions-Policy): what CloudFront reads back, so previews show no diff. */
function customHeaders(set: Readonly<Record<string, string>>) {
  return Object.entries(set)
    .filter(([header]) => !EDGE_SECURITY_HEADERS.has(header))
    .map(([header, value]) => ({
      header: header.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase()),
      value,
      override: true,
    }));
}

function headerOf(set: Readonly<Record<string, string>>, header: string): string {
  const value = set[header];
  if (value === undefined) throw new Error(`the security header set has no ${header}`);
  return value;
}

/**
 * The one public URL: a private S3 bucket for the page (through Origin Access Control) and the
 * API (through a VPC origin to the internal ALB) behind one CloudFront distribution.
 */
export class Edge extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly distributionId: pulumi.Output<string>;
  public readonly distributionArn: pulumi.Output<string>;
  public readonly url: pulumi.Output<string>;
  /** The public host name (the custom domain, or CloudFront's), for the uptime check. */
  public readonly hostname: pulumi.Output<string>;

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('zumo:edge:Edge', name, {}, opts);
    if ((args.domainName === undefined) !== (args.hostedZoneId === undefined)) {
      throw new Error(`Edge ${name}: set domainName and hostedZoneId together`);
    }
    const parent = { parent: this };

    const bucket = new PrivateBucket(
      `${name}-site`,
      {
        versioning: true,
        noncurrentDays: args.noncurrentVersionDays ?? 30,
        forceDestroy: args.forceDestroy,
        tags: args.tags,
      },
      parent,
    );

    const oac = new aws.cloudfront.OriginAccessControl(
      `${name}-site`,
      {
        originAccessControlOriginType: 's3',
        signingBehavior: 'always',
        signingProtocol: 'sigv4',
        description: 'Zumo page bucket',
      },
      parent,
    );
    // After a VPC origin is deleted, CloudFront removes its network interfaces (in the ALB's
    // subnets) and CloudFront-VPCOrigins-Service-SG in the background; until then the subnets and
    // the VPC cannot be deleted (DependencyViolation). On destroy this sleep, deleted right after
    // the VPC origin and before the ALB and the network it depends on, gives CloudFront that time.
    const originCleanup = new time.Sleep(
      `${name}-api-cleanup`,
      { destroyDuration: '10m', triggers: { alb: args.albArn } },
      parent,
    );
    const vpcOrigin = new aws.cloudfront.VpcOrigin(
      `${name}-api`,
      {
        vpcOriginEndpointConfig: {
          name: `${name}-api`,
          arn: args.albArn,
          httpPort: 80,
          httpsPort: 443,
          originProtocolPolicy: 'http-only',
          originSslProtocols: { items: ['TLSv1.2'], quantity: 1 },
        },
        tags: args.tags,
      },
      { parent: this, dependsOn: [originCleanup] },
    );

    // Two sets, as the service sends them (@zumo/config): the page's for the files from S3, the
    // API's (a CSP that lets nothing load or frame) for everything from the ALB. CloudFront's
    // securityHeadersConfig knows five of the headers; the others (COOP, CORP, Permissions-Policy)
    // are custom headers, so each policy sends its whole set.
    const headersPolicy = (policyName: string, comment: string, set: Readonly<Record<string, string>>) => {
      const custom = customHeaders(set);
      return new aws.cloudfront.ResponseHeadersPolicy(
        `${name}-${policyName}`,
        {
          comment,
          securityHeadersConfig: {
            contentSecurityPolicy: { contentSecurityPolicy: headerOf(set, 'content-security-policy'), override: true },
            strictTransportSecurity: {
              accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
              includeSubdomains: true,
              override: true,
            },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: 'DENY', override: true },
            referrerPolicy: { referrerPolicy: 'no-referrer', override: true },
          },
          // Only when there is one: the provider sends an empty list without its Quantity, which
          // CloudFront refuses (hashicorp/terraform-provider-aws#30440 for the CORS lists).
          ...(custom.length > 0 ? { customHeadersConfig: { items: custom } } : {}),
        },
        parent,
      );
    };
    const headers = headersPolicy(
      'security',
      'Security headers of the page, the values the service sets on it (from @zumo/config)',
      SECURITY_HEADERS,
    );
    const apiHeaders = headersPolicy(
      'api-security',
      'Security headers of the API, the values the service sets on its answers (from @zumo/config)',
      API_SECURITY_HEADERS,
    );
    // index.html says no-cache; this policy honours it (min TTL 0) while still compressing.
    const pageCache = new aws.cloudfront.CachePolicy(
      `${name}-page`,
      {
        comment: 'index.html and other non-hashed files: revalidate every time',
        minTtl: 0,
        defaultTtl: 0,
        maxTtl: 300,
        parametersInCacheKeyAndForwardedToOrigin: {
          enableAcceptEncodingGzip: true,
          enableAcceptEncodingBrotli: true,
          cookiesConfig: { cookieBehavior: 'none' },
          headersConfig: { headerBehavior: 'none' },
          queryStringsConfig: { queryStringBehavior: 'none' },
        },
      },
      parent,
    );

    const usEast1 = new aws.Provider(`${name}-us-east-1`, { region: 'us-east-1' }, parent);
    let certificateArn: pulumi.Output<string> | undefined;
    if (args.domainName && args.hostedZoneId) {
      const certificate = new aws.acm.Certificate(
        `${name}-certificate`,
        { domainName: args.domainName, validationMethod: 'DNS', tags: args.tags },
        { parent: this, provider: usEast1 },
      );
      const validation = new aws.route53.Record(
        `${name}-certificate-validation`,
        {
          zoneId: args.hostedZoneId,
          name: certificate.domainValidationOptions[0]!.resourceRecordName,
          type: certificate.domainValidationOptions[0]!.resourceRecordType,
          records: [certificate.domainValidationOptions[0]!.resourceRecordValue],
          ttl: 300,
        },
        parent,
      );
      certificateArn = new aws.acm.CertificateValidation(
        `${name}-certificate`,
        { certificateArn: certificate.arn, validationRecordFqdns: [validation.fqdn] },
        { parent: this, provider: usEast1 },
      ).certificateArn;
    }

    const webAcl = args.waf
      ? new aws.wafv2.WebAcl(
          `${name}-waf`,
          {
            scope: 'CLOUDFRONT',
            defaultAction: { allow: {} },
            visibilityConfig: {
              cloudwatchMetricsEnabled: true,
              metricName: `${name}-waf`,
              sampledRequestsEnabled: true,
            },
            rules: [
              ...[
                'AWSManagedRulesCommonRuleSet',
                'AWSManagedRulesKnownBadInputsRuleSet',
                'AWSManagedRulesAmazonIpReputationList',
              ].map((ruleSet, i) => ({
                name: ruleSet,
                priority: i,
                overrideAction: { none: {} },
                statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: ruleSet } },
                visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: ruleSet, sampledRequestsEnabled: true },
              })),
              {
                name: 'rate-per-ip',
                priority: 10,
                action: { block: {} },
                statement: { rateBasedStatement: { limit: args.wafRateLimitPer5Min, aggregateKeyType: 'IP' } },
                visibilityConfig: {
                  cloudwatchMetricsEnabled: true,
                  metricName: 'rate-per-ip',
                  sampledRequestsEnabled: true,
                },
              },
            ],
            tags: args.tags,
          },
          // CloudFront web ACLs live in us-east-1, whatever the stack's region.
          { parent: this, provider: usEast1 },
        )
      : undefined;

    const siteBehavior = (cachePolicyId: pulumi.Input<string>) => ({
      targetOriginId: 'site',
      viewerProtocolPolicy: 'redirect-to-https',
      allowedMethods: ['GET', 'HEAD'],
      cachedMethods: ['GET', 'HEAD'],
      cachePolicyId,
      responseHeadersPolicyId: headers.id,
      compress: true,
    });
    const apiBehavior = (pathPattern: string) => ({
      pathPattern,
      targetOriginId: 'api',
      viewerProtocolPolicy: 'redirect-to-https',
      allowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
      cachedMethods: ['GET', 'HEAD'],
      cachePolicyId: MANAGED_CACHE_POLICY.cachingDisabled,
      originRequestPolicyId: MANAGED_ORIGIN_REQUEST_POLICY.allViewerExceptHostHeader,
      responseHeadersPolicyId: apiHeaders.id,
      compress: true,
    });

    const distribution = new aws.cloudfront.Distribution(
      `${name}-cdn`,
      {
        enabled: true,
        comment: 'Zumo: page from S3, API from the ALB',
        httpVersion: 'http2and3',
        isIpv6Enabled: true,
        priceClass: args.priceClass,
        defaultRootObject: 'index.html',
        aliases: args.domainName ? [args.domainName] : [],
        webAclId: webAcl?.arn,
        origins: [
          { originId: 'site', domainName: bucket.bucket.bucketRegionalDomainName, originAccessControlId: oac.id },
          {
            originId: 'api',
            domainName: args.albDnsName,
            vpcOriginConfig: { vpcOriginId: vpcOrigin.id, originKeepaliveTimeout: 5, originReadTimeout: 30 },
          },
        ],
        defaultCacheBehavior: siteBehavior(pageCache.id),
        orderedCacheBehaviors: [
          { pathPattern: `${PATHS.assets}/*`, ...siteBehavior(MANAGED_CACHE_POLICY.cachingOptimized) },
          apiBehavior(`${PATHS.api}/*`),
          apiBehavior(PATHS.health),
        ],
        restrictions: { geoRestriction: { restrictionType: 'none' } },
        viewerCertificate: certificateArn
          ? { acmCertificateArn: certificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' }
          : { cloudfrontDefaultCertificate: true },
        tags: args.tags,
      },
      parent,
    );

    new aws.s3.BucketPolicy(
      `${name}-site`,
      {
        bucket: bucket.id,
        policy: pulumi
          .all([bucket.arn, distribution.arn])
          .apply(([b, d]) => JSON.stringify(bucketReadPolicyForDistribution(b, d))),
      },
      parent,
    );

    if (args.domainName && args.hostedZoneId) {
      for (const type of ['A', 'AAAA']) {
        new aws.route53.Record(
          `${name}-alias-${type.toLowerCase()}`,
          {
            zoneId: args.hostedZoneId,
            name: args.domainName,
            type,
            aliases: [
              { name: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false },
            ],
          },
          parent,
        );
      }
    }

    this.bucketName = bucket.name;
    this.distributionId = distribution.id;
    this.distributionArn = distribution.arn;
    this.hostname = args.domainName ? pulumi.output(args.domainName) : distribution.domainName;
    this.url = pulumi.interpolate`https://${this.hostname}`;
    this.registerOutputs({ bucketName: this.bucketName, distributionId: this.distributionId, url: this.url });
  }
}
