import { Server, type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Emitted with the number of sockets cut because they were still open at the end of the grace. */
export const CONNECTIONS_CUT = 'zumo:connections-cut';

/** Time kept back from the grace for what runs after the last connection ends (onClose hooks:
 * closing the database, loading and flushing Sentry, which waits up to 2 s). */
export const CLOSE_RESERVE_MS = 2500;

/** When open connections are cut, counted from the listener closing: the grace minus the reserve
 * (at most half the grace, so a short grace still gives requests some time). */
export const cutAfterMs = (graceMs: number) => graceMs - Math.min(CLOSE_RESERVE_MS, graceMs / 2);

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Node sets `_httpMessage` once a request's headers are complete (its response is attached to the
 * socket) and clears it when the response is done; Node's own closeIdleConnections() reads it. */
const responseInProgress = (socket: Socket) =>
  (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;

/**
 * node:http's server, with a shutdown that ends on time whatever the clients do.
 *
 * Node's close() stops the listener and closes the connections it calls idle, but it also stops
 * the timer that enforces headersTimeout and requestTimeout; and a connection that has not
 * finished a request yet (it sent nothing, or half its headers) is not idle to Node
 * (src/node_http_parser.cc marks a new connection active so that the header timeout applies to it).
 * One such connection kept the server open until the grace ran out: exit 1, the database not
 * closed, Sentry not flushed. So when the listener closes:
 *
 * - connections without a request in progress (no complete headers) are destroyed at once: no
 *   answer was promised to them;
 * - a request in progress whose answer has not started yet is answered with `Connection: close`,
 *   so a keep-alive client (the ALB) lets go of the socket once it has its answer, instead of
 *   holding it open until the grace runs out (exit 1, the database not closed). Set here, once,
 *   on the few responses concerned, rather than by a hook every request would pay for;
 * - requests in progress keep their connection until `cutAfterMs(grace)`; then every connection
 *   still open (a body still trickling in, a client not reading its answer) is destroyed, leaving
 *   the reserve for the database close and the Sentry flush before the budget runs out.
 */
export class GracefulServer extends Server {
  readonly #sockets = new Set<Socket>();
  readonly #graceMs: number;

  constructor(options: ServerOptions, handler: RequestListener, graceMs: number) {
    super(options, handler);
    this.#graceMs = graceMs;
    this.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  override close(callback?: (err?: Error) => void): this {
    super.close(callback);
    for (const socket of this.#sockets) {
      const response = responseInProgress(socket);
      if (!response) socket.destroy();
      else if (!response.headersSent) response.setHeader('connection', 'close');
    }
    const cut = setTimeout(() => {
      const open = this.#sockets.size;
      if (open === 0) return;
      this.closeAllConnections();
      // closeAllConnections() skips sockets Node no longer tracks (already parsed to an error).
      for (const socket of this.#sockets) socket.destroy();
      this.emit(CONNECTIONS_CUT, open);
    }, cutAfterMs(this.#graceMs));
    cut.unref();
    this.once('close', () => clearTimeout(cut));
    return this;
  }
}
