/**
 * The process: validate the environment, build the logger, listen, shut down gracefully.
 * Started by bin/start.sh (the image's CMD and what `npm start` runs), with the memory budget's
 * V8 flags and dist/instrument.js imported first.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig, type Env } from '@zumo/config';
import app from './app.js';
import { loggerOptions, serverOptions } from './server-options.js';
import { bufferedStdout } from './logging/log-destination.js';

function configOrExit(): Readonly<Env> {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

function isInstalled(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

const config = configOrExit();
const server = Fastify(serverOptions(config, loggerOptions(config, isInstalled('pino-pretty'), bufferedStdout())));

// First signal: readiness turns 503 at once. On SIGTERM (the kubelet's stop), the service then
// keeps answering for SHUTDOWN_DRAIN_MS while load balancers notice and stop routing here (the
// manifests set it; the default is 0). SIGINT (Ctrl-C at a terminal) has no load balancer to wait
// for and skips the drain. Then the listener closes, in-flight requests get SHUTDOWN_GRACE_MS to
// finish, the database closes (onClose) and the process exits 0. A second signal, or the whole
// budget running out, exits 1 at once.
closeWithGrace(
  { delay: config.SHUTDOWN_DRAIN_MS + config.SHUTDOWN_GRACE_MS, logger: server.log },
  async ({ signal, err }) => {
    const drainMs = signal === 'SIGTERM' ? config.SHUTDOWN_DRAIN_MS : 0;
    if (err) {
      server.log.error({ err }, 'fatal error, shutting down');
      if (server.hasDecorator('reportError')) server.reportError(err);
    } else server.log.info({ signal, drainMs }, 'shutting down');
    if (server.hasDecorator('lifecycle')) server.lifecycle.shuttingDown = true;
    if (!err && drainMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, drainMs));
      server.log.info({ drainMs }, 'drain over, closing the listener');
    }
    await server.close();
  },
);

try {
  await server.register(app, { config, publicDir: fileURLToPath(new URL('./public', import.meta.url)) });
  await server.listen({ port: config.PORT, host: config.HOST });
} catch (err) {
  server.log.fatal({ err }, 'failed to start');
  process.exit(1);
}
