import { linkSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { bootUntilExit, request, startService } from '../helper.js';

// Attack review of issue 12, item 2: the single-writer lock was named after DATABASE_PATH as
// given, so a second process reaching the same file by another name (a symlink) took a lock of
// its own and served the same database. The lock now follows the real file.
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
      `database ${spelling}: another process is already serving it (it holds ${path}.lock)`,
      `${name}: the error names the path given and the lock of the real file`,
    );
  }
  t.equal((await request(`${first.url}/readyz`)).status, 200, 'the first keeps serving');

  linkSync(path, join(dir, 'hard.db'));
  const hard = await bootUntilExit({ DATABASE_PATH: join(dir, 'hard.db') });
  t.equal(hard.code, 1, 'a hard link: refused');
  t.match(hard.output, /has 2 names \(hard links\)/, 'saying why');
});
