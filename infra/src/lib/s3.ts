/** The deny statement every bucket policy here carries: no request without TLS. */
export function denyInsecureTransport(bucketArn: string) {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny' as const,
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
