import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Whether the server closed the connection after answering: awaited (up to the exchange's
   * timeout) when the answer says `Connection: close`, otherwise looked for for `closeWaitMs`. */
  closed: boolean;
}

/** Parses the first final HTTP/1.1 response in `data`, after any interim 1xx ones such as
 * 100 Continue (headers lower-cased; Content-Length bodies only). */
export function parseResponse(data: Buffer): Omit<RawResponse, 'closed'> | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  if (/^HTTP\/1\.[01] 1\d\d /.test(statusLine!)) return parseResponse(data.subarray(end + 4));
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  if (data.length < end + 4 + length) return undefined;
  const body = data.subarray(end + 4, end + 4 + length).toString('utf8');
  return { status: Number(statusLine!.split(' ')[1]), headers, body };
}

/**
 * Writes exactly these bytes to the server and reads the first response: for requests no HTTP
 * client would send (bad encodings, broken request lines, odd headers). After the response it
 * waits for the server to close the connection when the response announces it (bounded by
 * `timeoutMs`), or `closeWaitMs` to catch a close that was not announced.
 */
export function rawExchange(
  port: number,
  bytes: string | Buffer,
  { timeoutMs = 10_000, closeWaitMs = 300 } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let response: Omit<RawResponse, 'closed'> | undefined;
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      if (response) resolve({ ...response, closed });
      else reject(new Error(`no complete response: ${JSON.stringify(data.toString('latin1', 0, 200))}`));
    };
    let timer = setTimeout(() => done(false), timeoutMs);
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (!response && (response = parseResponse(data))) {
        clearTimeout(timer);
        const announced = /(^|,)\s*close\s*(,|$)/i.test(response.headers['connection'] ?? '');
        timer = setTimeout(() => done(false), announced ? timeoutMs : closeWaitMs);
      }
    });
    socket.on('close', () => done(true));
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}
