import { spawn, type ChildProcess } from 'node:child_process';
import type { Stream } from 'node:stream';
import { PATHS } from '@zumo/config';
import type { Test } from 'tap';
import { join, resolve } from 'node:path';
import { freePort } from '../scripts/free-port.mjs';

/** apps/web: the built service runs from here. */
export const WEB_ROOT = resolve(import.meta.dirname, '..');

/** The production start command, relative to the service's directory (the image's CMD and
 * `npm start` run it). */
export const START_SCRIPT = 'bin/start.sh';

/** Polls until `check` returns a value (not undefined); throws after `timeoutMs` (a bound on the
 * wait, generous so that a loaded machine is not mistaken for a failure). */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await Promise.resolve()
      .then(check)
      .catch(() => undefined);
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export { freePort };

export interface ServiceOptions {
  /** The directory the start command runs in (the built apps/web by default). */
  cwd?: string;
  /** Run as this uid and gid (the image's service user), which needs root. */
  user?: number;
  /** A fixed port (a restart that a browser must find again); a free one by default. */
  port?: number;
  /** Where the service's stdout goes: a pipe read here (the default), or a given stream. */
  stdout?: 'pipe' | Stream;
  /** How long to wait for readiness (a bound on the wait, not an expectation of speed). */
  readyTimeoutMs?: number;
}

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  port: number;
  stdout: () => string;
  stderr: () => string;
  /** stdout and stderr interleaved as they arrived. */
  output: () => string;
  /** Every JSON log line written to stdout so far, parsed (other lines are skipped). */
  logs: () => Record<string, unknown>[];
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

/**
 * Spawns the service with the production start command (`node` from PATH, as in the image). tap injects its process-info hooks into
 * every child through NODE_OPTIONS; they track each module the service loads (and turn on source
 * maps), which inflated the service's heap past its ceiling when it loaded the Sentry SDK, and as
 * another uid they would write tap's coverage into the checkout. `env -u NODE_OPTIONS` removes
 * them, so the child is the production process and nothing else.
 */
export async function spawnService(env: Record<string, string>, options: ServiceOptions = {}): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn('/usr/bin/env', ['-u', 'NODE_OPTIONS', join(options.cwd ?? WEB_ROOT, START_SCRIPT)], {
    cwd: options.cwd ?? WEB_ROOT,
    ...(options.user === undefined ? {} : { uid: options.user, gid: options.user }),
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let all = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    all += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    all += chunk.toString();
  });
  const exited = new Promise<number | string>((done) =>
    child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown')),
  );
  const logs = () =>
    out.split('\n').flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return parsed !== null && typeof parsed === 'object' ? [parsed as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    output: () => all,
    logs,
    exited,
  };
}

/** Starts the built service as a real process, killed when the test ends, and waits until
 * readiness answers 200. */
export async function startService(
  t: Test,
  env: Record<string, string>,
  options: ServiceOptions = {},
): Promise<ServiceProcess> {
  const service = await spawnService(env, options);
  const { child } = service;
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const ready = await eventually(
    'readiness',
    async () => {
      if (child.exitCode !== null || child.signalCode !== null) return false;
      const response = await fetch(`${service.url}${PATHS.ready}`, { signal: AbortSignal.timeout(2000) });
      return response.status === 200 ? true : undefined;
    },
    options.readyTimeoutMs ?? 30_000,
  ).catch(() => false);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(
      `the service did not become ready (exit ${child.exitCode ?? child.signalCode ?? 'none'}): ${service.stderr()}`,
    );
  }
  return service;
}

/**
 * Starts the service expecting it to refuse to start: resolves with its exit code, its stderr and
 * all its output, and the port it was given (killed after 30 s if it starts after all).
 */
export async function bootUntilExit(env: Record<string, string>) {
  const service = await spawnService(env);
  const timer = setTimeout(() => service.child.kill('SIGKILL'), 30_000);
  const code = await service.exited;
  clearTimeout(timer);
  return { code, stderr: service.stderr(), output: service.output(), port: service.port };
}
