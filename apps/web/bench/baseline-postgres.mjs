/**
 * The PostgreSQL engine's ceiling: the least a Node service can do to answer GET /api/message from
 * PostgreSQL with the same client (`pg`, a pool of the same size) and the same query as the
 * service, on the same server and data. No framework, no logging, no metrics, no headers.
 * Usage: node baseline-postgres.mjs <port> <database URL>
 */
import { createServer } from 'node:http';
import pg from 'pg';

const [port, url] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 10 });
const newest = { name: 'newest', text: 'SELECT content FROM messages ORDER BY id DESC LIMIT 1' };

createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/api/message') {
    const { rows } = await pool.query(newest);
    const body = JSON.stringify({ message: rows[0].content });
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  } else if (req.url === '/readyz') {
    res.end('{"status":"ready"}');
  } else {
    res.writeHead(404).end();
  }
}).listen(Number(port), '127.0.0.1');
