#!/usr/bin/env node
/**
 * `npm run bench`: the service as deployed (built JS, the production start command, access logs
 * on, metrics on, security headers on, Sentry initialised with a DSN pointing at a local sink,
 * tracing 0) against a baseline (raw node:http + better-sqlite3 reading the service's database,
 * baseline-server.mjs), measured
 * alternately with wrk (one thread) on 127.0.0.1, then checked against the targets in
 * docs/performance.md. Exits 1 when a target is missed.
 *
 * Then the same for the PostgreSQL engine: the service with DATABASE_URL on a real local server
 * (scripts/postgres-server.mjs, fsync on) against that engine's own ceiling (node:http + the same
 * client and query on the same server, baseline-postgres.mjs).
 *
 * Options (env): BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_CONNECTIONS (32).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wrk } from './wrk.mjs';
import { startPostgres } from '../scripts/postgres-server.mjs';
import { freePort } from '../scripts/free-port.mjs';

const WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const TARGETS = { ratio: 0.55, p99Ms: 10, postPerSecond: 5000, coldStartMs: 500, rssMb: 120 };

/** /proc/<pid>/status: current and peak resident set size, in MB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/**
 * CPU time the process has used (user + system), in ms. Throughput on this shared 2-core machine
 * depends on what else runs; CPU time per request does much less, so the bench reports both.
 */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in 1/100 s ticks
}

/** Starts a server process and measures the time from spawn to the first 200 from /readyz. */
async function start(name, [command, ...args], env, port) {
  const started = process.hrtime.bigint();
  // stdout is a pipe the bench drains, as the container runtime reads it in production: the
  // access log's write cost is measured, not thrown into /dev/null.
  const child = spawn(command, args, {
    cwd: WEB_ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.resume();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 2));
  }
  const coldStartMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { name, child, url: `http://127.0.0.1:${port}`, coldStartMs };
}

/** One wrk run against a server, with the server's CPU time per request. */
async function load(server, path, options = {}) {
  const before = cpuMs(server.child.pid);
  const result = await wrk(`${server.url}${path}`, { connections: CONNECTIONS, seconds: SECONDS, ...options });
  return { ...result, cpuUs: ((cpuMs(server.child.pid) - before) * 1000) / result.requests };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// A local stand-in for Sentry's ingest, so the SDK is initialised exactly as in production.
const sink = createServer((req, res) => req.resume().on('end', () => res.end('{}'))).listen(0, '127.0.0.1');
await new Promise((r) => sink.once('listening', r));
const dir = mkdtempSync(join(tmpdir(), 'zumo-bench-'));

const appPort = await freePort();
const basePort = await freePort();
// The production start command (the image's CMD and `npm start` run it too).
const startArgs = [join(WEB_ROOT, 'bin/start.sh')];
/** The service's environment as the bench runs it, on one engine's database. */
const serviceEnv = (port, database) => ({
  NODE_ENV: 'production',
  PORT: String(port),
  HOST: '127.0.0.1',
  ...database,
  LOG_LEVEL: 'info',
  RELEASE: 'abc1234',
  SENTRY_DSN: `http://public@127.0.0.1:${sink.address().port}/1`,
  SENTRY_TRACES_SAMPLE_RATE: '0',
  MESSAGE_RATE_LIMIT: '1000000',
  // wrk is one client (127.0.0.1): let it hold BENCH_CONNECTIONS however large it is set.
  MAX_CONNECTIONS_PER_CLIENT: '2000',
  SHUTDOWN_DRAIN_MS: '0',
});
const app = await start('service', startArgs, serviceEnv(appPort, { DATABASE_PATH: join(dir, 'zumo.db') }), appPort);
const baseline = await start(
  'baseline',
  // The service's own file (it exists now: the service answered /readyz), read-only.
  [process.execPath, 'bench/baseline-server.mjs', String(basePort), join(dir, 'zumo.db')],
  {},
  basePort,
);

/**
 * Alternating rounds of the baseline and the service's three scenarios; medians, one table, and
 * the checks every engine shares (GET ratios against its own baseline, p99, POST rate).
 */
async function measure(engine, service, ceiling) {
  const runs = { baseline: [], message: [], info: [], post: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    runs.baseline.push(await load(ceiling, '/api/message'));
    runs.message.push(await load(service, '/api/message'));
    runs.info.push(await load(service, '/api/info'));
    runs.post.push(
      await load(service, '/api/messages', {
        method: 'POST',
        body: JSON.stringify({ content: 'bench message', author: 'bench' }),
      }),
    );
    process.stderr.write(`${engine}: round ${round}/${ROUNDS} done\n`);
  }
  const summary = Object.fromEntries(
    Object.entries(runs).map(([name, list]) => [
      name,
      {
        rps: median(list.map((r) => r.rps)),
        p50: median(list.map((r) => r.p50)),
        p99: median(list.map((r) => r.p99)),
        cpuUs: median(list.map((r) => r.cpuUs)),
      },
    ]),
  );
  const rows = [
    [`${engine} baseline GET /api/message`, summary.baseline],
    [`${engine} service GET /api/message`, summary.message],
    [`${engine} service GET /api/info`, summary.info],
    [`${engine} service POST /api/messages`, summary.post],
  ];
  console.log(
    `\n${engine}: ${ROUNDS} rounds x ${SECONDS} s, wrk 1 thread, ${CONNECTIONS} connections, medians; node ${process.version}, ${cpus().length} x ${cpus()[0]?.model.trim()}\n`,
  );
  console.log(
    '| scenario | req/s | p50 ms | p99 ms | vs baseline | server CPU µs/request | vs baseline (CPU) |\n|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const [name, r] of rows) {
    console.log(
      `| ${name} | ${Math.round(r.rps)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.rps / summary.baseline.rps).toFixed(2)}x | ${r.cpuUs.toFixed(1)} | ${(summary.baseline.cpuUs / r.cpuUs).toFixed(2)}x |`,
    );
  }
  return [
    [
      `${engine}: GET /api/message >= ${TARGETS.ratio}x baseline`,
      summary.message.rps / summary.baseline.rps >= TARGETS.ratio,
    ],
    [
      `${engine}: GET /api/info >= ${TARGETS.ratio}x baseline`,
      summary.info.rps / summary.baseline.rps >= TARGETS.ratio,
    ],
    [
      `${engine}: p99 <= ${TARGETS.p99Ms} ms (GET message, GET info, POST)`,
      [summary.message, summary.info, summary.post].every((r) => r.p99 <= TARGETS.p99Ms),
    ],
    [`${engine}: POST >= ${TARGETS.postPerSecond} req/s`, summary.post.rps >= TARGETS.postPerSecond],
  ];
}

const checks = await measure('SQLite', app, baseline);
const appMemory = memory(app.child.pid);
console.log(
  `\ncold start (spawn to first 200 from /readyz): service ${app.coldStartMs.toFixed(0)} ms, baseline ${baseline.coldStartMs.toFixed(0)} ms`,
);
console.log(
  `service memory after the run: RSS ${appMemory.rssMb.toFixed(1)} MB, peak RSS ${appMemory.peakMb.toFixed(1)} MB`,
);
checks.push(
  [`cold start <= ${TARGETS.coldStartMs} ms`, app.coldStartMs <= TARGETS.coldStartMs],
  [`RSS after the run <= ${TARGETS.rssMb} MB`, appMemory.rssMb <= TARGETS.rssMb],
);
app.child.kill('SIGTERM');
baseline.child.kill('SIGTERM');
await new Promise((r) => app.child.once('exit', r));

// PostgreSQL with fsync on: a commit costs what it costs in production.
const postgres = await startPostgres({ fsync: true });
try {
  const pgAppPort = await freePort();
  const pgBasePort = await freePort();
  const pgApp = await start(
    'service on PostgreSQL',
    startArgs,
    serviceEnv(pgAppPort, { DATABASE_URL: postgres.url }),
    pgAppPort,
  );
  // Started after the service, which created the table and the welcome message.
  const pgBaseline = await start(
    'PostgreSQL baseline',
    [process.execPath, 'bench/baseline-postgres.mjs', String(pgBasePort), postgres.url],
    {},
    pgBasePort,
  );
  checks.push(...(await measure('PostgreSQL', pgApp, pgBaseline)));
  pgApp.child.kill('SIGTERM');
  pgBaseline.child.kill('SIGTERM');
  await new Promise((r) => pgApp.child.once('exit', r));
} finally {
  postgres.remove();
}

console.log('');
for (const [name, ok] of checks) console.log(`${ok ? 'MET   ' : 'MISSED'} ${name}`);
sink.close();
rmSync(dir, { recursive: true, force: true });
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
