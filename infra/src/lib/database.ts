/**
 * The database's pure parts (tested without mocks): its names, the web role's one permission,
 * the SQL that creates the app's user, and the shell script that runs it through the Data API.
 */
import type { PolicyDocument } from './iam.js';

/** PostgreSQL's port: what the security group, the NetworkPolicy egress and the app use. */
export const DATABASE_PORT = 5432;
/** The database the app uses (created with the cluster) and its login role (created by `appUserSql`). */
export const DATABASE_NAME = 'zumo';
export const DATABASE_USER = 'zumo_web';
/** Aurora's master user: only the user command logs in as it, through the Data API. */
export const DATABASE_MASTER_USER = 'zumo_admin';

/**
 * Aurora PostgreSQL versions from which Serverless v2 accepts a minimum capacity of 0 ACUs
 * (automatic pause): 13.15, 14.12, 15.7, 16.3 and every later major (Aurora user guide, "Aurora
 * Serverless v2 capacity"; AWS announcement of 2024-11-20). Check a region with
 * `aws rds describe-db-engine-versions --engine aurora-postgresql --query
 * 'DBEngineVersions[].[EngineVersion,ServerlessV2FeaturesSupport.MinCapacity]'`.
 */
export const AUTO_PAUSE_FROM: Readonly<Record<number, number>> = { 13: 15, 14: 12, 15: 7, 16: 3 };
/** Data API on Serverless v2 and provisioned clusters: 13.11, 14.8, 15.3, 16.1, 17.4 and later (Aurora user guide, "Supported Regions and Aurora DB engines for RDS Data API"). */
export const DATA_API_FROM: Readonly<Record<number, number>> = { 13: 11, 14: 8, 15: 3, 16: 1, 17: 4 };

const versionAtLeast = (version: string, from: Readonly<Record<number, number>>, newestListed: number) => {
  const match = /^(\d+)\.(\d+)$/.exec(version);
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major > newestListed) return true;
  const least = from[major];
  return least !== undefined && minor >= least;
};

/** Whether an Aurora PostgreSQL version (major.minor) scales to 0 ACUs. */
export const supportsAutoPause = (version: string) => versionAtLeast(version, AUTO_PAUSE_FROM, 16);
/** Whether an Aurora PostgreSQL version (major.minor) has the Data API the user command uses. */
export const supportsDataApi = (version: string) => versionAtLeast(version, DATA_API_FROM, 17);

/**
 * The ARN `rds-db:connect` is authorized on: the cluster's resource id (not its name) and the
 * database user (Aurora user guide, "Creating and using an IAM policy for IAM database access").
 */
export const dbUserArn = (region: string, account: string, clusterResourceId: string, user: string) =>
  `arn:aws:rds-db:${region}:${account}:dbuser:${clusterResourceId}/${user}`;

/** The web pods' only permission: connect as their own database user, to their own cluster. */
export function webDatabasePolicy(
  region: string,
  account: string,
  clusterResourceId: string,
  user = DATABASE_USER,
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'rds-db:connect',
        Resource: dbUserArn(region, account, clusterResourceId, user),
      },
    ],
  };
}

const identifier = (name: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain PostgreSQL identifier: ${name}`);
  return name;
};

/**
 * The app's login role and its grants, as statements that change nothing when run again: the
 * role is created only when missing (a DO block, since CREATE ROLE has no IF NOT EXISTS), and
 * GRANT of a privilege already held is a no-op (PostgreSQL docs, GRANT: "If the role already has
 * the privilege, nothing happens"; granting a role membership again only notices). `rds_iam`
 * makes the role log in with IAM tokens only (Aurora user guide, "Creating a database account
 * using IAM authentication"). Grants stop at the app's database and its public schema, where the
 * app's migrations create the tables (so the role owns them); PostgreSQL 15 and later no longer
 * let every role create in public, hence the CREATE grant.
 */
export function appUserSql(user = DATABASE_USER, database = DATABASE_NAME): string[] {
  const u = identifier(user);
  const d = identifier(database);
  return [
    `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${u}') THEN CREATE ROLE ${u} LOGIN; END IF; END $$`,
    `GRANT rds_iam TO ${u}`,
    `GRANT CONNECT, TEMPORARY ON DATABASE ${d} TO ${u}`,
    `GRANT USAGE, CREATE ON SCHEMA public TO ${u}`,
  ];
}

/** Attempts of one statement while a paused cluster resumes (Data API DatabaseResumingException). */
export const RESUME_ATTEMPTS = 12;
/** Seconds between them: 12 x 10 s covers a resume, which takes about 15 seconds (Aurora user guide, auto-pause). */
export const RESUME_DELAY_SECONDS = 10;

const shellQuote = (text: string) => `'${text.replaceAll("'", `'"'"'`)}'`;

/**
 * A POSIX shell script that runs `statements` one by one with `aws rds-data execute-statement`,
 * as the RDS-managed master secret, retrying each only while the cluster resumes from a pause or
 * is still starting (DatabaseResumingException, DatabaseNotFoundException right after creation,
 * InternalServerErrorException, a Data API not enabled yet), at most RESUME_ATTEMPTS times; any other error stops at once.
 * The cluster and secret ARNs come from the environment (CLUSTER_ARN, SECRET_ARN), so no secret
 * value ever appears in the command line or the Pulumi state.
 */
export function dataApiScript(
  statements: readonly string[],
  database = DATABASE_NAME,
  retry = { attempts: RESUME_ATTEMPTS, delaySeconds: RESUME_DELAY_SECONDS },
): string {
  const lines = [
    'set -eu',
    // A cluster restored without a managed master secret has none (docs/database.md, restore).
    'if [ -z "${SECRET_ARN:-}" ]; then echo "the cluster has no RDS-managed master secret (SECRET_ARN is empty): run aws rds modify-db-cluster --manage-master-user-password first" >&2; exit 1; fi',
    'run() {',
    '  attempt=1',
    `  while ! out=$(aws rds-data execute-statement --resource-arn "$CLUSTER_ARN" --secret-arn "$SECRET_ARN" --database ${shellQuote(database)} --sql "$1" 2>&1); do`,
    '    case "$out" in',
    // A new cluster's Data API can answer "HttpEndpoint is not enabled" for a while after CreateDBCluster.
    '      *DatabaseResumingException*|*DatabaseNotFoundException*|*InternalServerErrorException*|*HttpEndpoint*not\\ enabled*) ;;',
    '      *) echo "$out" >&2; return 1 ;;',
    '    esac',
    `    if [ "$attempt" -ge ${retry.attempts} ]; then echo "database still unavailable after ${retry.attempts} attempts: $out" >&2; return 1; fi`,
    '    attempt=$((attempt + 1))',
    `    sleep ${retry.delaySeconds}`,
    '  done',
    '}',
    ...statements.map((statement) => `run ${shellQuote(statement)}`),
  ];
  return lines.join('\n') + '\n';
}
