import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { bootUntilExit, request, startService } from '../helper.js';

t.test('two writers on one file: the second refuses to start, naming the path', async (t) => {
  const path = join(t.testdir({}), 'zumo.db');
  const first = await startService(t, { DATABASE_PATH: path });
  const second = await bootUntilExit({ DATABASE_PATH: path });
  t.equal(second.code, 1, 'the second process exits 1');
  t.match(second.output, `database ${path}: another process is already serving it`);
  t.equal((await request(`${first.url}/readyz`)).status, 200, 'the first keeps serving');

  first.child.kill('SIGKILL'); // even without a clean exit the kernel releases the lock
  await first.exited;
  const third = await startService(t, { DATABASE_PATH: path });
  t.equal((await request(`${third.url}/readyz`)).status, 200, 'the next process starts at once');
});

t.test('a damaged database stops the boot, naming the path', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'zumo.db');
  const service = await startService(t, { DATABASE_PATH: path, MESSAGE_RATE_LIMIT: '1000' });
  for (let i = 0; i < 200; i++) {
    await request(`${service.url}/api/messages`, { json: { content: `message ${i} ${'x'.repeat(200)}` } });
  }
  service.child.kill('SIGTERM');
  t.equal(await service.exited, 0);
  // Overwrite the middle of the file (table pages, not the header) with garbage.
  const fd = openSync(path, 'r+');
  const size = statSync(path).size;
  writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
  closeSync(fd);

  const boot = await bootUntilExit({ DATABASE_PATH: path });
  t.equal(boot.code, 1, 'exit code 1');
  t.match(boot.output, `database ${path}: failed its integrity check`, 'the log names the path and the check');
});

t.test('a DATABASE_PATH that cannot be opened: the error names it', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'is-a-directory');
  mkdirSync(path);
  const boot = await bootUntilExit({ DATABASE_PATH: path });
  t.equal(boot.code, 1);
  t.match(boot.output, `database ${path}`);
});

// A real full disk: a 1 MiB tmpfs (root only; CI runs as root).
function mountTinyDisk(dir: string): string | false {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
    return false;
  } catch (err) {
    return `cannot mount a small tmpfs to fill (needs root): ${(err as Error).message.split('\n')[0]}`;
  }
}

// Not under t.testdir: tap removes that before teardowns run, while it is still mounted.
const disk = mkdtempSync(join(tmpdir(), 'zumo-full-disk-'));
const cannotMount = mountTinyDisk(disk);
t.teardown(() => {
  if (!cannotMount) execFileSync('umount', ['-l', disk]);
  rmSync(disk, { recursive: true, force: true });
});

t.test(
  'disk full: posts get 503 + Retry-After, readiness fails with the reason, both recover',
  { skip: cannotMount },
  async (t) => {
    const dir = disk;
    const path = join(dir, 'zumo.db');
    const service = await startService(t, { DATABASE_PATH: path, MESSAGE_RATE_LIMIT: '100000' });
    const filler = join(dir, 'filler');
    try {
      const fd = openSync(filler, 'w');
      try {
        for (;;) writeSync(fd, Buffer.alloc(4096, 1));
      } finally {
        closeSync(fd);
      }
    } catch {
      // ENOSPC: the disk is full now
    }
    const statuses = new Set<number>();
    let last: Awaited<ReturnType<typeof request>> | undefined;
    for (let i = 0; i < 50 && !statuses.has(503); i++) {
      last = await request(`${service.url}/api/messages`, { json: { content: `filling ${i} ${'y'.repeat(250)}` } });
      statuses.add(last.status);
    }
    t.ok(statuses.has(503), `a post on a full disk: 503 (saw ${[...statuses]})`);
    t.notOk(statuses.has(500), 'never a 500');
    t.ok(last?.headers.get('retry-after'), 'with Retry-After');
    t.match(last?.json, { message: 'The database cannot store messages right now' });
    const ready = await request(`${service.url}/readyz`);
    t.equal(ready.status, 503, 'readiness fails');
    t.match(ready.json.message, /^Not ready: database cannot store messages \(SQLITE_FULL\)$/);
    t.equal((await request(`${service.url}/healthz`)).status, 200, 'liveness still answers');
    // Log lines reach stdout in batches, at the latest after LOG_BUFFER.flushEveryMs.
    const logged = `"databasePath":"${path}"`;
    for (let i = 0; i < 20 && !service.stdout().includes(logged); i++) await new Promise((r) => setTimeout(r, 100));
    t.match(service.stdout(), logged, 'the log names the database file');

    rmSync(filler);
    t.equal((await request(`${service.url}/readyz`)).status, 200, 'with room again, readiness recovers');
    t.equal((await request(`${service.url}/api/messages`, { json: { content: 'room again' } })).status, 201);
  },
);
