/**
 * The shared fixture of the infra tests: what a program declares under the mocks, recorded once per
 * (script, arguments) and reused by every test process of a run, and by later runs while nothing it
 * depends on changes.
 *
 * Where: infra/node_modules/.cache/zumo-declared/<key>.json (gitignored with node_modules). The key
 * is a SHA-256 over the script, its arguments and the content of every file a recording can read:
 * the program (infra/src, infra/reference, infra/bootstrap), the contract (packages/config, its
 * built dist included), deploy/, the stack files, package-lock.json and the test helpers (every
 * infra/test file but the tests: `*.test.ts` and the modules they import, which import tap).
 * Any change to those records again.
 *
 * Parallel tap processes: the first to miss takes `<key>.lock` (exclusive create), records in a
 * child process into a temporary file and renames it into place (atomic on one file system);
 * the others wait for the file. A lock whose process is gone (a test killed at its time limit), or
 * older than STALE_MS, is cleared.
 */
import { createHash } from 'node:crypto';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import {
  type Dirent,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';

const INFRA = join(import.meta.dirname, '../..');
const ROOT = join(INFRA, '..');
export const CACHE_DIR = join(INFRA, 'node_modules/.cache/zumo-declared');
/** A recording takes well under a minute on an idle 2-core machine; this allows for a loaded one. */
const RECORD_TIMEOUT_MS = 150_000;
const STALE_MS = RECORD_TIMEOUT_MS + 30_000;
const POLL_MS = 100;

/** Directories (recursively, without node_modules or Pulumi's local state) and files a recording reads. */
const INPUT_DIRS = [
  'infra/src',
  'infra/reference',
  'infra/bootstrap',
  'packages/config/src',
  'packages/config/dist',
  'deploy',
];
const isInputFile = (path: string) =>
  (path.startsWith('infra/test/') && path.endsWith('.ts') && !path.endsWith('.test.ts')) ||
  /^Pulumi(\.[\w-]+)?\.yaml$/.test(path) ||
  path === 'package-lock.json';

function filesUnder(dir: string): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  return (readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath ?? entry.path, entry.name)))
    .filter((path) => !path.split('/').some((part) => part === 'node_modules' || part === '.pulumi'));
}

/** Any import of tap's values (not `import type`): the file registers tests. */
const TEST_MODULE = /^import (?!type\b)[^;]*from 'tap';$/m;

let inputsDigest: string | undefined;
/** One digest of every input file's path and content, computed once per process. */
function inputsHash(): string {
  if (inputsDigest) return inputsDigest;
  const files = [
    ...INPUT_DIRS.flatMap(filesUnder),
    ...filesUnder('infra/test').filter(isInputFile),
    ...readdirSync(ROOT).filter(isInputFile),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const content = readFileSync(join(ROOT, file));
    // A test module (it imports tap to register tests): no recording reads it.
    if (file.startsWith('infra/test/') && TEST_MODULE.test(content.toString('utf8'))) continue;
    hash.update(`${file}\0`).update(content).update('\0');
  }
  inputsDigest = hash.digest('hex');
  return inputsDigest;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** True when the process that wrote `lock` is gone, or the lock outlived any recording. */
function isStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (Date.now() - statSync(lock).mtimeMs > STALE_MS) return true;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // ESRCH: no such process. ENOENT: released meanwhile (the next attempt sees it).
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Takes the lock (a file created exclusively, holding this process's id), clearing a stale one first. */
function tryLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!isStale(lock)) return false;
      rmSync(lock, { force: true });
    }
  }
  return false;
}

interface Recording {
  file: string;
  lock: string;
  command: string[];
  tmp: string;
}

function recording(script: string, args: string[]): Recording {
  mkdirSync(CACHE_DIR, { recursive: true });
  // The test runner's loaders (TypeScript, module mocks), without its process tracking: a
  // recording is a fixture, not a test, and collecting coverage of the SDKs it loads is slow.
  // They are part of the key: module mocks under another loader setup record another program.
  const loaders = process.execArgv.filter((arg) => !arg.includes('@tapjs/processinfo'));
  const key = createHash('sha256')
    .update(JSON.stringify([inputsHash(), loaders, script, args]))
    .digest('hex')
    .slice(0, 32);
  const file = join(CACHE_DIR, `${key}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  return { file, lock: `${file}.lock`, tmp, command: [...loaders, join(import.meta.dirname, script), ...args, tmp] };
}

const childOptions = {
  encoding: 'utf8' as const,
  timeout: RECORD_TIMEOUT_MS,
  maxBuffer: 16 * 1024 * 1024,
  env: { ...process.env, PULUMI_CONFIG: undefined, PULUMI_CONFIG_SECRET_KEYS: undefined, NODE_V8_COVERAGE: undefined },
};

/**
 * The JSON `script` (a file next to this one) writes to the path given as its last argument, run
 * with this process's loaders and `args`; from the cache when an earlier run recorded it.
 */
export function cachedRecording<T>(script: string, ...args: string[]): T {
  const { file, lock, tmp, command } = recording(script, args);
  for (;;) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as T;
    if (!tryLock(lock)) {
      sleep(POLL_MS);
      continue;
    }
    try {
      if (!existsSync(file)) {
        execFileSync(process.execPath, command, { ...childOptions, stdio: ['ignore', 'ignore', 'pipe'] });
        renameSync(tmp, file);
      }
    } finally {
      rmSync(lock, { force: true });
    }
  }
}

/**
 * Records every (script, args) not yet in the cache, `concurrency` at a time: the test runner's
 * `before` step (record-all.ts), so no test file spends its own time limit on a recording.
 * One another process is recording already is left to it.
 */
export async function recordAll(recordings: [script: string, ...args: string[]][], concurrency: number) {
  const queue = recordings.map(([script, ...args]) => recording(script, args));
  const missing = queue.filter((r) => !existsSync(r.file)).length;
  // A minute or two on 2 cores: say so, or the first test file seems to hang after a change.
  if (missing)
    console.error(`# recording what the program declares: ${missing} of ${queue.length} configurations changed`);
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (existsSync(next.file) || !tryLock(next.lock)) continue;
      try {
        await promisify(execFile)(process.execPath, next.command, childOptions);
        renameSync(next.tmp, next.file);
      } finally {
        rmSync(next.lock, { force: true });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
