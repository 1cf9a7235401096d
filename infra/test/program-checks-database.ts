import type { Test } from 'tap';
import { APP } from '@zumo/config';
import { DATABASE_PORT, DATABASE_USER } from '../src/lib/database.js';
import { find, one, type Recorded } from './mocks.js';

/** The database as each stack declares it, and the one permission of the web pods' role. */
export function checkDatabase(t: Test, stack: string, recorded: Recorded[], outputs: Record<string, any>) {
  const prod = stack === 'prod';
  t.test('database: Aurora PostgreSQL Serverless v2, private, encrypted, IAM login only', async (t) => {
    const cluster = one(recorded, 'aws:rds/cluster:Cluster').inputs;
    t.match(cluster, {
      engine: 'aurora-postgresql',
      engineMode: 'provisioned',
      storageEncrypted: true,
      manageMasterUserPassword: true,
      iamDatabaseAuthenticationEnabled: true,
      enableHttpEndpoint: true,
      deletionProtection: prod,
      skipFinalSnapshot: !prod,
    });
    t.notOk(cluster['masterPassword'], 'no master password in the program or its state');
    t.ok(cluster['kmsKeyId'], "storage encrypted with the stack's key, not AWS's default");
    t.ok(cluster['backupRetentionPeriod'] >= (prod ? 7 : 1), 'point-in-time recovery window');
    const scaling = cluster['serverlessv2ScalingConfiguration'];
    if (prod) t.ok(scaling.minCapacity >= 0.5 && scaling.secondsUntilAutoPause === undefined, 'prod never pauses');
    else t.match(scaling, { minCapacity: 0, secondsUntilAutoPause: Number }, 'dev pauses when idle');

    const instances = find(recorded, 'aws:rds/clusterInstance:ClusterInstance').map((i) => i.inputs);
    t.equal(instances.length, prod ? 2 : 1, prod ? 'a writer and a reader' : 'a writer');
    t.ok(instances.every((i) => i['instanceClass'] === 'db.serverless' && i['publiclyAccessible'] === false));
    t.equal(new Set(instances.map((i) => i['availabilityZone'])).size, instances.length, 'each in its own zone');
  });

  t.test('database: the web pods may connect as their own user, and nothing else', async (t) => {
    const association = one(recorded, 'aws:eks/podIdentityAssociation:PodIdentityAssociation', '-web-db').inputs;
    t.match(association, { namespace: APP.namespace, serviceAccount: APP.name });
    const policy = JSON.parse(one(recorded, 'aws:iam/rolePolicy:RolePolicy', '-web-db').inputs['policy']);
    t.same(policy.Statement, [
      {
        Effect: 'Allow',
        Action: 'rds-db:connect',
        Resource: `arn:aws:rds-db:eu-west-1:123456789012:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXY/${DATABASE_USER}`,
      },
    ]);
  });

  t.test('database: the facts the web workload needs are exported', async (t) => {
    t.match(outputs['database'], {
      host: String,
      port: DATABASE_PORT,
      name: String,
      user: DATABASE_USER,
      egressCidrs: [String],
    });
    t.equal(outputs['databaseEndpoint'], outputs['database'].host);
  });
}
