/**
 * The cluster's facts: what the GitOps tree needs to know about the infrastructure, written by
 * Pulumi as annotations on the Argo CD cluster Secret of the cluster Argo CD runs in (the GitOps
 * Bridge pattern). The web ApplicationSet (deploy/web/apps/web.yaml) reads them through its
 * clusters generator as `.metadata.annotations.<key>`: keys are Go identifiers (letters, digits,
 * `_`), so a template reaches them by field access, which honours `missingkey=error` (the `index`
 * function returns an empty string for a missing key instead).
 */
import { generatedSection, markdownTable, withSection } from './doc-section.js';

/** The label the web ApplicationSet's generator selects: the web app may be deployed here. */
export const WEB_RELEASED_LABEL = { 'zumo.dev/web': 'released' } as const;

/** The in-cluster address, as Argo CD names its local cluster (KubernetesInternalAPIServerAddr). */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

export interface ClusterFacts {
  readonly environment: string;
  readonly region: string;
  readonly repoUrl: string;
  readonly repoRevision: string;
  readonly targetGroupArn: string;
  readonly targetGroupName: string;
  readonly loadBalancerCidrs: readonly string[];
  readonly database: {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    readonly user: string;
    readonly egressCidrs: readonly string[];
  };
}

interface Fact {
  readonly key: string;
  readonly value: (facts: ClusterFacts) => string;
  /** What deploy/ does with it. */
  readonly use: string;
  /** Where the program takes it from. */
  readonly origin: string;
}

const list = (values: readonly string[]) => values.join(',');

/** Every fact, in the order deploy/README.md lists them. */
export const CLUSTER_FACTS: readonly Fact[] = [
  {
    key: 'environment',
    value: (f) => f.environment,
    use: 'the overlay the web Application syncs: `deploy/web/overlays/<environment>`',
    origin: 'stack config `environment`',
  },
  {
    key: 'aws_region',
    value: (f) => f.region,
    use: '`AWS_REGION` of the web pods (the region their database tokens are signed for)',
    origin: 'stack config `aws:region`',
  },
  {
    key: 'repo_url',
    value: (f) => f.repoUrl,
    use: 'the repository the web Application syncs',
    origin: 'stack config `githubRepository`',
  },
  {
    key: 'repo_revision',
    value: (f) => f.repoRevision,
    use: 'the revision the web Application syncs',
    origin: 'stack config `gitRevision`',
  },
  {
    key: 'target_group_arn',
    value: (f) => f.targetGroupArn,
    use: '`spec.targetGroupARN` of the TargetGroupBinding',
    origin: "the load balancer's target group (`LoadBalancer`)",
  },
  {
    key: 'target_group_name',
    value: (f) => f.targetGroupName,
    use: "the TargetGroupBinding's name, `web-<name>`: a new target group gets a new binding",
    origin: "the load balancer's target group (`LoadBalancer`), named by Pulumi with a random suffix",
  },
  {
    key: 'load_balancer_cidrs',
    value: (f) => list(f.loadBalancerCidrs),
    use: "the NetworkPolicy's ingress to the app port, and `TRUSTED_PROXY_CIDRS` (comma-separated)",
    origin: "the load balancer's subnets (`Network` plan)",
  },
  {
    key: 'database_host',
    value: (f) => f.database.host,
    use: 'the host of `DATABASE_URL`',
    origin: "the database's writer endpoint",
  },
  {
    key: 'database_port',
    value: (f) => String(f.database.port),
    use: "the port of `DATABASE_URL` and of the NetworkPolicy's egress to the database",
    origin: 'the database',
  },
  {
    key: 'database_name',
    value: (f) => f.database.name,
    use: 'the database of `DATABASE_URL`',
    origin: 'the database',
  },
  {
    key: 'database_user',
    value: (f) => f.database.user,
    use: 'the user of `DATABASE_URL` (IAM authentication, no password)',
    origin: "the database's app user, created with its grants before this Secret",
  },
  {
    key: 'database_cidrs',
    value: (f) => list(f.database.egressCidrs),
    use: "the NetworkPolicy's egress to the database (comma-separated)",
    origin: 'the subnets the database runs in',
  },
];

const GO_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The annotations of the cluster Secret; refuses a fact a template could not read or would split wrongly. */
export function clusterFactAnnotations(facts: ClusterFacts): Record<string, string> {
  for (const [label, values] of [
    ['loadBalancerCidrs', facts.loadBalancerCidrs],
    ['database.egressCidrs', facts.database.egressCidrs],
  ] as const) {
    if (values.length === 0)
      throw new Error(`cluster facts: ${label} is empty; the NetworkPolicy needs at least one range`);
    const bad = values.filter((v) => !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(v));
    if (bad.length) throw new Error(`cluster facts: ${label} holds ${bad.join(', ')}, not IPv4 CIDR ranges`);
  }
  if (!Number.isInteger(facts.database.port) || facts.database.port < 1 || facts.database.port > 65535)
    throw new Error(`cluster facts: database.port ${facts.database.port} is not a TCP port`);
  const annotations: Record<string, string> = {};
  for (const fact of CLUSTER_FACTS) {
    if (!GO_IDENTIFIER.test(fact.key)) throw new Error(`cluster facts: ${fact.key} is not a Go identifier`);
    const value = fact.value(facts);
    if (value === '') throw new Error(`cluster facts: ${fact.key} is empty`);
    annotations[fact.key] = value;
  }
  return annotations;
}

/**
 * The Argo CD cluster Secret of the local cluster (operator-manual/declarative-setup.md,
 * "Clusters"): server https://kubernetes.default.svc and no credentials, so Argo CD keeps using
 * its in-cluster service account (pkg/apis/application/v1alpha1/types.go RawRestConfig). The
 * label that lets the web ApplicationSet generate its Application is set only when `webReleased`.
 */
export function clusterSecret(namespace: string, facts: ClusterFacts, webReleased: boolean) {
  return {
    metadata: {
      name: 'in-cluster',
      namespace,
      labels: { 'argocd.argoproj.io/secret-type': 'cluster', ...(webReleased ? WEB_RELEASED_LABEL : {}) },
      annotations: clusterFactAnnotations(facts),
    },
    type: 'Opaque',
    stringData: {
      name: 'in-cluster',
      server: IN_CLUSTER_SERVER,
      config: JSON.stringify({ tlsClientConfig: { insecure: false } }),
    },
  };
}

/** The facts as a Markdown table (deploy/README.md carries it between these markers). */
export const FACTS_TABLE_MARKERS = generatedSection('cluster-facts', 'lib/cluster-facts.ts');

export function factsTable(): string {
  return markdownTable(
    ['annotation', 'used for', 'from'],
    CLUSTER_FACTS.map((f) => [`\`${f.key}\``, f.use, f.origin]),
  );
}

/** `document` with the table between the markers regenerated. */
export function withFactsTable(document: string): string {
  return withSection(document, FACTS_TABLE_MARKERS, factsTable());
}
