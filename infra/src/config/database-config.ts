import { supportsAutoPause, supportsDataApi } from '../lib/database.js';
import type { Environment, StackConfig } from './stack-config.js';

type DatabaseKey =
  | 'databaseEngineVersion'
  | 'databaseMinCapacity'
  | 'databaseMaxCapacity'
  | 'databaseSecondsUntilAutoPause'
  | 'databaseInstances'
  | 'databaseBackupRetentionDays';
export type DatabaseConfig = Pick<StackConfig, DatabaseKey>;

/** ACUs from config: a number, or its text (the CLI hands "0.5" over as text). */
const acus = (value: unknown): number =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : (value as number);
const halfSteps = (n: number) => Number.isFinite(n) && Number.isInteger(n * 2);

/**
 * The database keys, checked against what Aurora accepts (RDS API ServerlessV2ScalingConfiguration:
 * half-ACU steps, at most 256, 300 to 86,400 idle seconds; CreateDBCluster: 1 to 35 backup days)
 * and what each stack needs (prod: a reader in another zone, 7 days of point-in-time recovery, no
 * pause).
 */
export function parseDatabaseConfig(
  raw: Readonly<Record<string, unknown>>,
  defaults: DatabaseConfig,
  environment: Environment,
  bad: (key: string, allowed: string) => void,
): DatabaseConfig {
  const value = <K extends DatabaseKey>(key: K): unknown => (raw[key] === undefined ? defaults[key] : raw[key]);
  const engineVersion = value('databaseEngineVersion');
  const min = acus(value('databaseMinCapacity'));
  const max = acus(value('databaseMaxCapacity'));
  const pauseAfter = value('databaseSecondsUntilAutoPause') as number;
  const instances = value('databaseInstances') as number;
  const backupDays = value('databaseBackupRetentionDays') as number;

  if (typeof engineVersion !== 'string' || !supportsDataApi(engineVersion))
    bad(
      'databaseEngineVersion',
      'an Aurora PostgreSQL major.minor with the Data API, e.g. 16.6 (13.11, 14.8, 15.3, 16.1, 17.4 or later)',
    );
  if (!halfSteps(min) || min < 0 || min > 256) bad('databaseMinCapacity', 'ACUs from 0 to 256 in half steps, e.g. 0.5');
  else if (min === 0 && environment === 'prod')
    bad('databaseMinCapacity', 'at least 0.5 in prod (a paused database answers its first requests 503)');
  else if (
    min === 0 &&
    typeof engineVersion === 'string' &&
    supportsDataApi(engineVersion) &&
    !supportsAutoPause(engineVersion)
  )
    bad('databaseMinCapacity', `at least 0.5 on ${engineVersion} (0 needs 13.15, 14.12, 15.7, 16.3 or later)`);
  if (!halfSteps(max) || max < 1 || max > 256) bad('databaseMaxCapacity', 'ACUs from 1 to 256 in half steps');
  else if (halfSteps(min) && max < min) bad('databaseMaxCapacity', `at least databaseMinCapacity (${min})`);
  if (!Number.isInteger(pauseAfter) || pauseAfter < 300 || pauseAfter > 86_400)
    bad('databaseSecondsUntilAutoPause', 'an integer from 300 to 86400');
  if (!Number.isInteger(instances) || instances < 1 || instances > 3)
    bad('databaseInstances', 'an integer from 1 to 3 (one per zone)');
  else if (environment === 'prod' && instances < 2)
    bad('databaseInstances', 'at least 2 in prod (a reader in another zone takes over when the writer fails)');
  if (!Number.isInteger(backupDays) || backupDays < 1 || backupDays > 35)
    bad('databaseBackupRetentionDays', 'an integer from 1 to 35');
  else if (environment === 'prod' && backupDays < 7)
    bad('databaseBackupRetentionDays', 'at least 7 in prod (point-in-time recovery for a week)');
  return {
    databaseEngineVersion: engineVersion as string,
    databaseMinCapacity: min,
    databaseMaxCapacity: max,
    databaseSecondsUntilAutoPause: pauseAfter,
    databaseInstances: instances,
    databaseBackupRetentionDays: backupDays,
  };
}
