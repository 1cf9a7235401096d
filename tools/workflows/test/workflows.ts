/** The repository's workflow files, parsed once for every check. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = join(import.meta.dirname, '../../..');
export const WORKFLOWS_DIR = join(REPO_ROOT, '.github/workflows');
export const SCRIPTS_DIR = join(REPO_ROOT, '.github/scripts');

/** A git identity and no user configuration, for the throw-away repositories the tests make. */
export const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
}

export interface Job {
  'runs-on': string;
  concurrency?: { group: string; 'cancel-in-progress': boolean; queue?: string };
  permissions?: Record<string, string> | string;
  environment?: string | { name: string };
  needs?: string | string[];
  if?: string;
  steps: Step[];
  'timeout-minutes'?: number;
}

export interface Workflow {
  file: string;
  text: string;
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean | string; queue?: string };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

let loaded: Workflow[] | undefined;

/** Every workflow file, read and parsed once per test process. */
export function loadWorkflows(): Workflow[] {
  return (loaded ??= readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(WORKFLOWS_DIR, file), 'utf8');
      return { file, text, ...(parse(text) as Omit<Workflow, 'file' | 'text'>) };
    }));
}

export const byName = (name: string) => {
  const found = loadWorkflows().find((w) => w.name === name);
  if (!found) throw new Error(`no workflow named ${name}`);
  return found;
};

export const jobs = (w: Workflow) => Object.entries(w.jobs);
/** Every `run:` script of a workflow, or of one job. */
export const jobRuns = (job: Job) => job.steps.flatMap((s) => (s.run ? [s.run] : []));
export const runs = (w: Workflow) => Object.values(w.jobs).flatMap(jobRuns);
/** The name of the environment a job runs in, if any. */
export const environment = (job: Job) =>
  typeof job.environment === 'string' ? job.environment : job.environment?.name;
