import type { ClusterFacts } from '../src/lib/cluster-facts.js';

/** A dev cluster's facts as the program would write them, for the checks of the cluster Secret. */
export const SAMPLE_FACTS: ClusterFacts = {
  environment: 'dev',
  region: 'eu-west-1',
  repoUrl: 'https://github.com/acme/zumo.git',
  repoRevision: 'main',
  targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/zumo-dev-web-1a2b3c4/abc',
  targetGroupName: 'zumo-dev-web-1a2b3c4',
  loadBalancerCidrs: ['10.40.60.0/26', '10.40.60.64/26'],
  database: { host: 'db.example', port: 5432, name: 'zumo', user: 'zumo_web', egressCidrs: ['10.40.0.0/20'] },
};
