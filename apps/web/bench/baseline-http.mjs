import { createServer } from 'node:http';

/**
 * The HTTP half of the benchmark's baselines: raw node:http answering GET /api/message with the
 * newest message's text, /readyz for the start-up wait, 404 otherwise. No framework, no logging,
 * no metrics, no headers beyond the two a client needs.
 * @param {number} port
 * @param {() => string | Promise<string>} newestContent
 */
export function serveBaseline(port, newestContent) {
  return createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/api/message') {
      const body = JSON.stringify({ message: await newestContent() });
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
  }).listen(port, '127.0.0.1');
}
