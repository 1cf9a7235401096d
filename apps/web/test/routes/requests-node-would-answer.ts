import { connect as connectTcp } from 'node:net';
import t, { type Test } from 'tap';
import { API_SECURITY_HEADERS } from '@zumo/config';
import { build } from '../helper.js';
import { parseExposition, sampleValue } from '../prometheus-text.js';
import { rawExchange, type RawResponse } from '../raw-http.js';

// Requests Node's HTTP server would answer by itself (a request without Host, an Expect it does
// not know, CONNECT), bypassing the error shape, the security headers, the request id, the access
// log and the metric, are answered by the app (plugins/app/http-conformance.ts).
function assertShaped(t: Test, name: string, r: RawResponse, status: number, message: RegExp) {
  t.equal(r.status, status, `${name}: ${status}`);
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(r.body);
  } catch {
    t.fail(`${name}: the body is not JSON: ${JSON.stringify(r.body)}`);
  }
  t.match(body, { statusCode: status, message }, `${name}: the one error shape, saying why`);
  for (const [header, value] of Object.entries(API_SECURITY_HEADERS)) {
    t.equal(r.headers[header], value, `${name}: ${header}`);
  }
  t.match(r.headers['x-request-id'] ?? '', /^[A-Za-z0-9._:-]{1,128}$/, `${name}: a request id`);
}

/** Everything the server sends until it closes the connection (bounded by 5 s). */
function everything(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connectTcp(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.write(bytes);
  });
}

t.test('no Host, an unknown Expect, CONNECT: answered by the app in its error shape', async (t) => {
  const { url, app, logs } = await build(t);
  const port = Number(new URL(url).port);

  const noHost = await rawExchange(port, 'GET /api/info HTTP/1.1\r\nConnection: close\r\n\r\n');
  assertShaped(t, 'HTTP/1.1 without Host', noHost, 400, /Host header is required/);
  const oldClient = await rawExchange(port, 'GET /healthz HTTP/1.0\r\n\r\n');
  t.equal(oldClient.status, 200, 'HTTP/1.0 without Host is still served (Host is an HTTP/1.1 rule)');

  const expect = await rawExchange(
    port,
    'GET /api/info HTTP/1.1\r\nHost: x\r\nExpect: x-foo\r\nConnection: close\r\n\r\n',
  );
  assertShaped(t, 'Expect: x-foo', expect, 417, /only Expect: 100-continue is supported/);
  t.notMatch(expect.body, /x-foo/, 'the header value is not echoed');
  const body = JSON.stringify({ content: 'after a continue' });
  const continued = await everything(
    port,
    `POST /api/messages HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  );
  t.match(continued, /^HTTP\/1.1 100 Continue\r\n\r\nHTTP\/1.1 201 /, 'Expect: 100-continue still works');

  const connect = await rawExchange(port, 'CONNECT /api/info HTTP/1.1\r\nHost: x\r\nX-Request-Id: tunnel-1\r\n\r\n');
  assertShaped(t, 'CONNECT /api/info', connect, 405, /CONNECT is not supported/);
  t.not(connect.headers['x-request-id'], 'tunnel-1', 'CONNECT: the caller id is not adopted');
  t.equal(connect.closed, true, 'CONNECT: the connection is closed');

  await new Promise((r) => setTimeout(r, 50));
  for (const status of [400, 417, 405]) {
    const line = logs.find((l) => l['msg'] === 'request' && l['statusCode'] === status);
    t.ok(
      line && line['clientIp'] === '127.0.0.1' && typeof line['requestId'] === 'string',
      `${status}: one access line`,
    );
  }
  const metrics = parseExposition(await app.metrics.registry.metrics());
  for (const [method, status] of [
    ['GET', '400'],
    ['GET', '417'],
    ['CONNECT', '405'],
  ] as const) {
    t.equal(
      sampleValue(metrics, 'http_request_duration_seconds_count', { method, status_code: status }),
      1,
      `${method} ${status}: counted in the request metric`,
    );
  }
});

t.test('malformed requests: the answer carries a request id, the log line the same one', async (t) => {
  const { url, logs } = await build(t);
  const port = Number(new URL(url).port);
  const broken = await rawExchange(port, 'GET / HTTP/1.1\r\nHost x\r\n\r\n');
  t.equal(broken.status, 400);
  const id = broken.headers['x-request-id'];
  t.match(id ?? '', /^[0-9a-f-]{36}$/, 'a generated request id');
  await new Promise((r) => setTimeout(r, 50));
  t.ok(
    id !== undefined && logs.some((l) => l['requestId'] === id && l['statusCode'] === 400),
    'the log line names the same request id',
  );
});
