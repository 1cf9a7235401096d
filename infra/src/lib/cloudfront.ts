import { denyInsecureTransport } from './s3.js';

/**
 * AWS managed CloudFront policies (ids are global constants published by AWS).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
 */
export const MANAGED_CACHE_POLICY = {
  /** Long TTLs, compression: for content-hashed /assets/*. */
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  /** Nothing cached: for the API and health checks. */
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
} as const;

export const MANAGED_ORIGIN_REQUEST_POLICY = {
  /** Every viewer header, cookie and query string except Host (the ALB gets its own host). */
  allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
} as const;

/**
 * The AWS-managed prefix list of CloudFront's origin-facing addresses. VPC origin traffic reaches
 * the origin from these (CloudFront developer guide, "Restrict access with VPC origins"), so the
 * origin's security group admits this list, not the VPC range.
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = 'com.amazonaws.global.cloudfront.origin-facing';

/** S3 bucket policy that lets only this distribution (through OAC) read objects. */
export function bucketReadPolicyForDistribution(bucketArn: string, distributionArn: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CloudFrontReadThroughOAC',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${bucketArn}/*`,
        Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
      },
      denyInsecureTransport(bucketArn),
    ],
  };
}
