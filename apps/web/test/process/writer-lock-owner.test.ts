import { join } from 'node:path';
import t from 'tap';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../../src/db/open-database.js';
import { bootUntilExit } from '../helper.js';

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
