import t from 'tap';
import { build, request } from '../helper.js';
import { parseExposition, sampleValue, type Exposition } from '../prometheus-text.js';

async function scrape(url: string): Promise<Exposition> {
  const response = await request(`${url}/metrics`);
  if (!/^text\/plain; version=0\.0\.4/.test(response.headers.get('content-type') ?? '')) {
    throw new Error(`not the Prometheus text format: ${response.headers.get('content-type')}`);
  }
  return parseExposition(response.text);
}

t.test('GET /metrics', async (t) => {
  const { url } = await build(t, { RELEASE: 'deadbee' });

  t.test('exposes process metrics, the build info and a histogram', async (t) => {
    const metrics = await scrape(url);
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      t.ok(metrics.types.has(name), `${name} is exported`);
    }
    t.equal(metrics.types.get('http_request_duration_seconds'), 'histogram');
    t.equal(metrics.types.get('messages_created_total'), 'counter');
    t.equal(sampleValue(metrics, 'zumo_build_info', { release: 'deadbee' }), 1, 'build info carries the release');
    t.equal(sampleValue(metrics, 'zumo_ready', {}), 1, 'a ready instance says so');
  });

  t.test('histogram counts follow requests, labelled by route pattern', async (t) => {
    const before = await scrape(url);
    const created = await request(`${url}/api/messages`, { json: { content: 'count me' } });
    for (const id of [created.json.id, 1, 424242]) await request(`${url}/api/messages/${id}`);
    await request(`${url}/no/such/page`);
    await request(`${url}/api/messages?limit=0`);
    const after = await scrape(url);

    const delta = (labels: Record<string, string>) =>
      sampleValue(after, 'http_request_duration_seconds_count', labels) -
      sampleValue(before, 'http_request_duration_seconds_count', labels);
    t.equal(
      delta({ method: 'GET', route: '/api/messages/:id', status_code: '200' }),
      2,
      'two GETs by id counted under the pattern',
    );
    t.equal(
      delta({ method: 'GET', route: '/api/messages/:id', status_code: '404' }),
      1,
      'the missing id is a 404 under the same pattern',
    );
    t.equal(delta({ method: 'POST', route: '/api/messages', status_code: '201' }), 1, 'the POST');
    t.equal(delta({ method: 'GET', route: '/api/messages', status_code: '400' }), 1, 'the rejected query');
    t.equal(delta({ method: 'GET', route: 'unmatched', status_code: '404' }), 1, 'unknown URLs share one series');
    const infBucket = sampleValue(after, 'http_request_duration_seconds_bucket', {
      route: '/api/messages/:id',
      status_code: '200',
      le: '+Inf',
    });
    t.equal(
      infBucket,
      sampleValue(after, 'http_request_duration_seconds_count', { route: '/api/messages/:id', status_code: '200' }),
      '+Inf bucket equals the count',
    );
    const routes = new Set(
      after.samples.filter((s) => s.name.startsWith('http_request_duration')).map((s) => s.labels['route']),
    );
    t.notOk(
      [...routes].some((r) => /\d/.test(r ?? '')),
      `no raw URLs (ids) in route labels: ${[...routes].join(', ')}`,
    );
    t.equal(
      sampleValue(after, 'messages_created_total') - sampleValue(before, 'messages_created_total'),
      1,
      'messages_created_total counts the stored message',
    );
  });
});

t.test('zumo_ready follows /readyz (the WebNotReady alert reads it)', async (t) => {
  const { url, app } = await build(t);
  t.equal(sampleValue(await scrape(url), 'zumo_ready', {}), 1);
  await app.messages.close(); // the database goes away: readiness fails, metrics are still served
  t.equal((await request(`${url}/readyz`)).status, 503);
  t.equal(sampleValue(await scrape(url), 'zumo_ready', {}), 0);
});
