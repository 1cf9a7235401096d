import { get as httpGet } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig, type Env } from '@zumo/config';
import app from '../src/app.js';
// Decorator types (app.db, app.messages, ...) for tests that reach into the instance.
import type {} from '../src/plugins/app/database.js';
import type {} from '../src/plugins/app/metrics.js';
import { loggerOptions, serverOptions } from '../src/server-options.js';
import { WEB_ROOT } from './service-process.js';

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

/** The built page (the test target depends on the build). */
export const PUBLIC_DIR = join(WEB_ROOT, 'dist/public');

export {
  START_SCRIPT,
  WEB_ROOT,
  bootUntilExit,
  eventually,
  freePort,
  spawnService,
  startService,
  type ServiceOptions,
  type ServiceProcess,
} from './service-process.js';
