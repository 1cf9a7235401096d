#!/usr/bin/env node
/**
 * sync-static --directory apps/web/dist/public --bucket <name> --distribution <id>
 * Credentials and region come from the environment (the release role, through OIDC in CI).
 */
import { parseArgs } from 'node:util';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { S3Client } from '@aws-sdk/client-s3';
import { syncStatic } from './sync-static.js';

try {
  const { values } = parseArgs({
    options: { directory: { type: 'string' }, bucket: { type: 'string' }, distribution: { type: 'string' } },
    strict: true,
  });
  for (const name of ['directory', 'bucket', 'distribution'] as const)
    if (!values[name]) throw new Error(`--${name} is required`);
  const cloudfront = new CloudFrontClient({});
  const result = await syncStatic({
    s3: new S3Client({}),
    bucket: values.bucket!,
    directory: values.directory!,
    invalidate: async (paths) => {
      await cloudfront.send(
        new CreateInvalidationCommand({
          DistributionId: values.distribution!,
          InvalidationBatch: {
            CallerReference: `sync-static-${Date.now()}`,
            Paths: { Quantity: paths.length, Items: paths },
          },
        }),
      );
    },
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (err) {
  process.stderr.write(`sync-static: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
