export { APP, PATHS, DOWNWARD_API_ENV, type DownwardApiVariable } from './contract.js';
export { EnvSchema, LOG_LEVELS, type Env, type EnvName } from './env-schema.js';
export { loadConfig, ConfigError, describeAllowed, describeRule, type ConfigProblem } from './load-config.js';
export { ENV_TABLE_MARKERS, envTable, withEnvTable } from './env-table.js';
export { CACHE_CONTROL, cacheControlFor, isHashedAsset } from './cache-rules.js';
export {
  SECURITY_HEADERS,
  CONTENT_SECURITY_POLICY,
  API_SECURITY_HEADERS,
  API_CONTENT_SECURITY_POLICY,
  HSTS_MAX_AGE_SECONDS,
} from './security-headers.js';
export { NODE_POOL } from './contract.js';
export { HTTP_LIMITS } from './http-limits.js';
export { MEMORY_BUDGET } from './memory-budget.js';
