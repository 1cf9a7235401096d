/**
 * The identity matrix's rows, derived from the workflow files (never written beside them): for
 * every job, the events that start it, the OIDC subject it presents (its environment, else the
 * event's: pull_request or the main branch), the AWS role it assumes, where it runs, the stacks
 * whose Kubernetes API it talks to, and what its steps do in AWS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../mocks.js';

export type Stack = 'dev' | 'prod';
export type Kind = 'release' | 'publish' | 'preview' | 'infra';

/** What a job's steps do in AWS, by the command that does it. */
export type Capability =
  | { kind: 'image-push'; stack: Stack }
  | { kind: 'image-copy'; from: Stack; to: Stack }
  | { kind: 'page-sync'; stack: Stack }
  | { kind: 'report-upload'; stack: Stack }
  | { kind: 'pulumi'; stack: Stack; command: 'preview' | 'up' | 'refresh'; refresh: boolean }
  | { kind: 'state-history'; stack: Stack };

export interface JobRow {
  id: string;
  /** The workflow's `name:` (what a CodeBuild WORKFLOW_NAME filter matches). */
  workflow: string;
  events: string[];
  environment: string | undefined;
  subjects: string[];
  roles: { stack: Stack; kind: Kind }[];
  runsOn: string;
  capabilities: Capability[];
  /** The job's timeout-minutes (GitHub's default is 360). */
  timeoutMinutes: number;
  /** The concurrency group it runs in (its own, else its workflow's): one job of a group runs at a time. */
  concurrencyGroup: string | undefined;
  /** How long the AWS session it asks for lasts (configure-aws-credentials role-duration-seconds, default 3600). */
  roleDurationSeconds: number | undefined;
}

interface RawJob {
  'runs-on': string;
  concurrency?: { group: string };
  'timeout-minutes'?: number;
  permissions?: Record<string, string>;
  environment?: string | { name: string };
  steps: { uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> }[];
}

const STACK_OF: Record<string, Stack> = { DEV: 'dev', PROD: 'prod' };

function capabilities(job: RawJob, workflowEnv: Record<string, string>): Capability[] {
  const found: Capability[] = [];
  const jobEnv = { ...workflowEnv, ...(job as { env?: Record<string, string> }).env };
  const stackOfVar = (text: string, name: string) => {
    const m = new RegExp(`vars\\.(DEV|PROD)_${name}`).exec(text);
    return m ? STACK_OF[m[1]!] : undefined;
  };
  for (const step of job.steps) {
    const run = step.run ?? '';
    const env = { ...jobEnv, ...step.env };
    const envText = JSON.stringify(env);
    const push = /release-image\.sh "\$(\w+)"/.exec(run);
    if (push) {
      const stack = stackOfVar(String(env[push[1]!] ?? ''), 'ECR_REPOSITORY_URL');
      if (stack) found.push({ kind: 'image-push', stack });
    }
    const copy = /promote-image\.sh "\$(\w+)" "\$(\w+)"/.exec(run);
    if (copy) {
      const from = stackOfVar(String(env[copy[1]!] ?? ''), 'ECR_REPOSITORY_URL');
      const to = stackOfVar(String(env[copy[2]!] ?? ''), 'ECR_REPOSITORY_URL');
      if (from && to) found.push({ kind: 'image-copy', from, to });
    }
    if (run.includes('sync-static-cli.js')) {
      const stack = stackOfVar(run, 'SITE_BUCKET');
      if (stack) found.push({ kind: 'page-sync', stack });
    }
    if (/aws s3 cp .*\$REPORTS_BUCKET/.test(run)) {
      const stack = stackOfVar(envText, 'REPORTS_BUCKET');
      if (stack) found.push({ kind: 'report-upload', stack });
    }
    for (const m of run.matchAll(/infra-order\.sh (dev|prod)/g))
      found.push({ kind: 'state-history', stack: m[1] as Stack });
    for (const m of run.matchAll(/nx run infra:(preview|up|refresh):(dev|prod)([^\n]*)/g))
      found.push({
        kind: 'pulumi',
        stack: m[2] as Stack,
        command: m[1] as 'preview' | 'up' | 'refresh',
        refresh: m[1] === 'refresh' || m[3]!.includes('--refresh'),
      });
  }
  return found;
}

/**
 * Every job of every workflow, with what the matrix needs to know about it. `subjectPrefix` is the
 * start of the repository's OIDC `sub` (repo:<owner>/<name>, or with immutable ids).
 */
export function workflowJobs(subjectPrefix: string): JobRow[] {
  const dir = join(REPO_ROOT, '.github/workflows');
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((file) => {
      const workflow = parse(readFileSync(join(dir, file), 'utf8')) as {
        name: string;
        on: Record<string, unknown>;
        env?: Record<string, string>;
        concurrency?: { group: string };
        jobs: Record<string, RawJob>;
      };
      const events = Object.keys(workflow.on);
      return Object.entries(workflow.jobs).map(([id, job]) => {
        const environment = typeof job.environment === 'string' ? job.environment : job.environment?.name;
        // Without an environment the subject names the event: pull requests, or the branch the
        // run is on (push, workflow_run and schedule run on main; a dispatch on main is main).
        // A job without id-token: write gets no OIDC token, so it presents no subject at all.
        const subjects =
          job.permissions?.['id-token'] !== 'write'
            ? []
            : environment
              ? [`${subjectPrefix}:environment:${environment}`]
              : [
                  ...new Set(
                    events.map((e) =>
                      e === 'pull_request' ? `${subjectPrefix}:pull_request` : `${subjectPrefix}:ref:refs/heads/main`,
                    ),
                  ),
                ];
        const roles = job.steps.flatMap((s) => {
          const m = /vars\.(DEV|PROD)_(RELEASE|PUBLISH|PREVIEW|INFRA)_ROLE_ARN/.exec(
            String(s.with?.['role-to-assume'] ?? ''),
          );
          return m ? [{ stack: STACK_OF[m[1]!]!, kind: m[2]!.toLowerCase() as Kind }] : [];
        });
        const assume = job.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
        return {
          id: `${file}/${id}`,
          workflow: workflow.name,
          events,
          environment,
          subjects,
          roles,
          runsOn: job['runs-on'],
          capabilities: capabilities(job, workflow.env ?? {}),
          concurrencyGroup: (job.concurrency ?? workflow.concurrency)?.group,
          timeoutMinutes: job['timeout-minutes'] ?? 360,
          roleDurationSeconds: assume ? Number(assume.with?.['role-duration-seconds'] ?? 3600) : undefined,
        };
      });
    });
}
