import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Writable, type Stream } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { START_ARGS as CONTRACT_START_ARGS, loadConfig, type Env } from '@zumo/config';
import app from '../src/app.js';
// Decorator types (app.db, app.messages, ...) for tests that reach into the instance.
import type {} from '../src/plugins/app/database.js';
import type {} from '../src/plugins/app/metrics.js';
import { loggerOptions, serverOptions } from '../src/server-options.js';

import type { Test } from 'tap';

/** A fresh directory for one test's SQLite file, removed by tap when the test ends. */
export function tempDir(t: Test): string {
  return t.testdir({});
}

export type EnvOverrides = Partial<Record<keyof Env, string>>;

export interface Built {
  app: FastifyInstance;
  url: string;
  config: Readonly<Env>;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
}

/**
 * Builds the real app (same plugin, same server options as server.ts), listening on 127.0.0.1 on a
 * free port, with its SQLite file in a temp directory; closed when the test ends.
 */
export async function build(t: Test, env: EnvOverrides = {}): Promise<Built> {
  const config = loadConfig({
    DATABASE_PATH: join(tempDir(t), 'zumo.db'),
    LOG_LEVEL: 'info',
    // In-process, the app shares its heap with tap and every other test in the file: the
    // production threshold (the memory budget's) would judge the test runner, not the service.
    READY_MAX_HEAP_USED_MB: '1024',
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  // The service's own logger settings (level, serializers), writing to the lines collected above.
  const instance = Fastify(serverOptions(config, loggerOptions(config, false, stream)));
  await instance.register(app, { config, publicDir: PUBLIC_DIR });
  t.teardown(() => instance.close());
  await instance.listen({ port: 0, host: '127.0.0.1' });
  const address = instance.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return { app: instance, url: `http://127.0.0.1:${address.port}`, config, logs };
}

/** Sends JSON (or a raw string body) and returns status, headers and the parsed JSON body. */
export async function request(
  url: string,
  init: { method?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/**
 * A GET through node:http with exactly the given headers. (fetch() adds `cache-control: no-cache`
 * to conditional requests, which rightly makes servers skip the 304.)
 */
export function rawGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    }).on('error', reject);
  });
}

/** A port that was free a moment ago (for child processes, which must be told their port). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Whether anything accepts TCP connections on 127.0.0.1:port right now. */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export const WEB_ROOT = resolve(import.meta.dirname, '..');

/** The built page (the test target depends on the build). */
export const PUBLIC_DIR = join(WEB_ROOT, 'dist/public');

/** The production start command, exactly as the image and `npm start` run it (from the contract). */
export const START_ARGS: readonly string[] = CONTRACT_START_ARGS;

/**
 * Spawns the service as production runs it. tap injects its process-info hooks into every child
 * through NODE_OPTIONS; they track each module the service loads (and turn on source maps), which
 * inflated the service's heap past its ceiling when it loaded the Sentry SDK. `env -u NODE_OPTIONS`
 * removes them, so the child is the production process and nothing else.
 */
export function spawnService(args: readonly string[], options: SpawnOptions): ChildProcess {
  return spawn('/usr/bin/env', ['-u', 'NODE_OPTIONS', process.execPath, ...args], options);
}

/**
 * Starts the service expecting it to refuse to start: resolves with its exit code, its stderr and
 * all its output, and the port it was given (killed after 15 s if it starts after all).
 */
export async function bootUntilExit(env: Record<string, string>) {
  const port = await freePort();
  const child = spawnService(START_ARGS, {
    cwd: WEB_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    output += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  return { code, stderr, output, port };
}

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  port: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

/** Starts the built service as a real process and waits until /readyz answers 200. */
export async function startService(
  t: Test,
  env: Record<string, string>,
  timeoutMs = 15_000,
  fixedPort?: number,
  /** Where the service's stdout goes: a pipe read here (the default), or a given stream. */
  stdout: 'pipe' | Stream = 'pipe',
): Promise<ServiceProcess> {
  const port = fixedPort ?? (await freePort());
  const child = spawnService(START_ARGS, {
    cwd: WEB_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_MS: '0',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', stdout, 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((done) =>
    child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown')),
  );
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited early (${child.exitCode}): ${err}`);
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) return { child, url, port, stdout: () => out, stderr: () => err, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not become ready within ${timeoutMs} ms: ${err}`);
}
