/**
 * The benchmark's baseline: the least a Node service can do to answer GET /api/message from
 * SQLite (raw node:http, one prepared statement, JSON.stringify). No framework, no logging,
 * no metrics, no headers. Usage: node baseline-server.mjs <port> <the service's sqlite file>
 *
 * It reads the service's own database, read-only: the same table and the same rows as they grow
 * with the POST rounds, so both answer the same query over the same data (with a table of its
 * own, the baseline read one row while the service's grew by ~100,000 rows a round).
 */
import BetterSqlite3 from 'better-sqlite3';
import { serveBaseline } from './baseline-http.mjs';

const [port, file] = process.argv.slice(2);
const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
const newest = db.prepare('SELECT content FROM messages ORDER BY id DESC LIMIT 1');
serveBaseline(Number(port), () => newest.get().content);
