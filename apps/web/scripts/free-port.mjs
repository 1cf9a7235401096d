import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that was free a moment ago, for a child process that must be told its port
 * (the tests' service processes, the benchmark's servers, a test PostgreSQL).
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
