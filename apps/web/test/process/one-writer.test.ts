import { execFileSync } from 'node:child_process';
import {
  closeSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../../src/db/open-database.js';
import { bootUntilExit, request, startService } from '../helper.js';

// A second process that reaches the served file by another name must not become a second writer:
// each would keep its own -wal (SQLite names it after the name used), and writes acknowledged by
// one would be missing from the other.
t.test('one writer, whatever name the file is reached by', async (t) => {
  const dir = realpathSync(t.testdir({ sub: {} }));
  const path = join(dir, 'a.db');
  const first = await startService(t, { DATABASE_PATH: path });
  symlinkSync('a.db', join(dir, 'alias.db'));
  symlinkSync(dir, join(dir, 'linked-dir'));

  for (const [name, spelling] of [
    ['a symlink to the file', join(dir, 'alias.db')],
    ['a symlinked directory', join(dir, 'linked-dir', 'a.db')],
    ['a ./x/../ spelling', join(dir, 'sub', '..', 'a.db')],
    ['a .. and a symlink in one path', `${dir}/sub/../alias.db`],
  ]) {
    const second = await bootUntilExit({ DATABASE_PATH: spelling! });
    t.equal(second.code, 1, `${name}: the second process exits 1`);
    t.match(
      second.output,
      `database ${spelling}: another process is already serving it`,
      `${name}: the error names the path given and why`,
    );
  }
  t.equal((await request(`${first.url}/readyz`)).status, 200, 'the first keeps serving');

  linkSync(path, join(dir, 'hard.db'));
  const hard = await bootUntilExit({ DATABASE_PATH: join(dir, 'hard.db') });
  t.equal(hard.code, 1, 'a hard link: refused');
  t.match(hard.output, /has 2 names \(hard links\)/, 'saying why');
});

/** Binds `file` onto `alias` (root only); returns why not when it cannot. */
function bindMount(file: string, alias: string): string | false {
  try {
    closeSync(openSync(alias, 'w'));
    execFileSync('mount', ['--bind', file, alias], { stdio: 'pipe' });
    return false;
  } catch (err) {
    return `cannot bind-mount a file (needs root): ${(err as Error).message.split('\n')[0]}`;
  }
}

// Not under t.testdir: tap removes that before teardowns run, while the alias is still mounted.
const mountRoot = mkdtempSync(join(tmpdir(), 'zumo-bind-'));
mkdirSync(join(mountRoot, 'volume'));
mkdirSync(join(mountRoot, 'elsewhere'));
const served = join(mountRoot, 'volume', 'zumo.db');
const alias = join(mountRoot, 'elsewhere', 'other-name.db');
closeSync(openSync(served, 'w'));
const cannotMount = bindMount(served, alias);
t.teardown(() => {
  if (!cannotMount) execFileSync('umount', ['-l', alias]);
  rmSync(mountRoot, { recursive: true, force: true });
});

t.test(
  'one writer when the file is bind-mounted under another name in another directory',
  { skip: cannotMount },
  async (t) => {
    const [a, b] = [statSync(served), statSync(alias)];
    t.same([b.dev, b.ino, b.nlink], [a.dev, a.ino, 1], 'the same file with one link: nothing a link count can catch');
    t.not(realpathSync(alias), realpathSync(served), 'and realpath cannot unify the two names');

    const first = await startService(t, { DATABASE_PATH: served });
    const second = await bootUntilExit({ DATABASE_PATH: alias });
    t.equal(second.code, 1, 'the second process exits 1');
    t.match(second.output, `database ${alias}: another process is already serving it`, 'saying why');
    t.equal((await request(`${first.url}/readyz`)).status, 200, 'the first keeps serving');

    first.child.kill('SIGKILL');
    await first.exited;
    const after = await startService(t, { DATABASE_PATH: alias });
    t.equal(
      (await request(`${after.url}/readyz`)).status,
      200,
      'once the first is gone, the file can be served by its other name',
    );
  },
);

// SQLite drops every classic POSIX lock its process holds on a file when a connection unlocks it
// (posixUnlock: l_start = l_len = 0) or closes a descriptor of it. The writer lock must outlive
// that: a backup or an operator's query inside the same process must not let a second writer in.
t.test('the writer lock outlives other SQLite connections of its process opening and closing the file', async (t) => {
  const path = join(t.testdir({}), 'zumo.db');
  const opened = openDatabase(path);
  t.teardown(() => opened.close());

  for (let i = 0; i < 3; i++) {
    const reader = new BetterSqlite3(path, { readonly: true });
    reader.prepare('SELECT count(*) FROM messages').get();
    reader.close();
  }
  opened.db.prepare('SELECT count(*) FROM messages').get();

  const second = await bootUntilExit({ DATABASE_PATH: path });
  t.equal(second.code, 1, 'a second process still refuses to start');
  t.match(second.output, `database ${path}: another process is already serving it`);
});
