import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { HTTP_LIMITS, MEMORY_BUDGET } from '@zumo/config';
import { request, startService } from '../helper.js';
import { parseExposition, sampleValue } from '../prometheus-text.js';

// The memory budget in the contract rests on two measured figures. This test
// measures them on the real service (the production start command) and fails when either exceeds
// what the budget assumes, so the container limit can never silently stop fitting.
const MiB = 1024 * 1024;

function rssBytes(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** 32 concurrent clients doing what visitors do (read, read, post) until the deadline. */
async function load(url: string, untilMs: number) {
  const worker = async (i: number) => {
    while (Date.now() < untilMs) {
      await request(`${url}/api/message`);
      await request(`${url}/api/info`);
      await request(`${url}/api/messages?limit=100`);
      await request(`${url}/api/messages`, { json: { content: `load ${i} ${'z'.repeat(200)}` } });
    }
  };
  await Promise.all(Array.from({ length: 32 }, (_, i) => worker(i)));
}

t.test('non-heap memory under load and per-connection memory fit the budget', async (t) => {
  const service = await startService(t, {
    DATABASE_PATH: join(t.testdir({}), 'zumo.db'),
    MESSAGE_RATE_LIMIT: '1000000',
    LOG_LEVEL: 'info',
    // Every slow connection below comes from 127.0.0.1: one client, allowed the whole server.
    MAX_CONNECTIONS_PER_CLIENT: String(HTTP_LIMITS.maxConnections),
  });
  const pid = service.child.pid!;
  const until = Date.now() + 4000;
  const loading = load(service.url, until);
  let nonHeapPeak = 0;
  while (Date.now() < until) {
    const metrics = parseExposition((await request(`${service.url}/metrics`)).text);
    const rss = sampleValue(metrics, 'process_resident_memory_bytes');
    const heapTotal = sampleValue(metrics, 'nodejs_heap_size_total_bytes');
    nonHeapPeak = Math.max(nonHeapPeak, rss - heapTotal);
    await new Promise((r) => setTimeout(r, 200));
  }
  await loading;
  const nonHeapMiB = nonHeapPeak / MiB;
  t.comment(`measured: RSS minus V8 heap under load, peak ${nonHeapMiB.toFixed(1)} MiB`);
  t.ok(
    nonHeapMiB <= MEMORY_BUDGET.nonHeapOverheadMiB,
    `non-heap overhead ${nonHeapMiB.toFixed(1)} MiB <= the budget's ${MEMORY_BUDGET.nonHeapOverheadMiB} MiB`,
  );

  const count = 1500;
  await new Promise((r) => setTimeout(r, 500));
  const before = rssBytes(pid);
  const sockets: Socket[] = [];
  t.teardown(() => sockets.forEach((s) => s.destroy()));
  for (let i = 0; i < count; i++) {
    const socket = connect(service.port, '127.0.0.1');
    socket.on('error', () => undefined);
    // The costliest slow client: headers complete (a request object exists), the body trickling.
    socket.write(
      'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );
    sockets.push(socket);
    if (i % 250 === 249) await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 1500));
  const perConnectionKiB = (rssBytes(pid) - before) / count / 1024;
  t.comment(`measured: ${perConnectionKiB.toFixed(1)} KiB per slow connection (${count} connections)`);
  t.equal(sockets.filter((s) => s.destroyed).length, 0, 'every slow connection was still held');
  t.ok(
    perConnectionKiB <= MEMORY_BUDGET.perConnectionKiB,
    `${perConnectionKiB.toFixed(1)} KiB per connection <= the budget's ${MEMORY_BUDGET.perConnectionKiB} KiB`,
  );
});
