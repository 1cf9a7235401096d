/**
 * The PostgreSQL engine's ceiling: the least a Node service can do to answer GET /api/message from
 * PostgreSQL with the same client (`pg`, a pool of the same size) and the same query as the
 * service, on the same server and data. No framework, no logging, no metrics, no headers.
 * Usage: node baseline-postgres.mjs <port> <database URL>
 */
import pg from 'pg';
import { serveBaseline } from './baseline-http.mjs';

const [port, url] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 10 });
const newest = { name: 'newest', text: 'SELECT content FROM messages ORDER BY id DESC LIMIT 1' };
serveBaseline(Number(port), async () => (await pool.query(newest)).rows[0].content);
