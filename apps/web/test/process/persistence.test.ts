import t from 'tap';
import { request, startService } from '../helper.js';
import { engines } from '../contract/engines.js';

const { engines: both } = await engines(t);

async function allMessages(url: string) {
  const items: { id: number; content: string; author: string | null }[] = [];
  let before: number | null | undefined;
  do {
    const page = await request(`${url}/api/messages?limit=100${before ? `&before=${before}` : ''}`);
    items.push(...page.json.items);
    before = page.json.nextBefore;
  } while (before);
  return items;
}

for (const engine of both) {
  t.test(`${engine.name}: a message survives a restart, and the welcome message is seeded only once`, async (t) => {
    const env = engine.freshDatabase(t);
    const first = await startService(t, env);
    const created = await request(`${first.url}/api/messages`, { json: { content: 'still here?', author: 'ops' } });
    t.equal(created.status, 201);
    first.child.kill('SIGTERM');
    t.equal(await first.exited, 0, 'clean exit');

    const second = await startService(t, env);
    const messages = await allMessages(second.url);
    t.match(messages[0], { id: created.json.id, content: 'still here?', author: 'ops' });
    t.equal(messages.filter((m) => m.content === 'Hello from Kubernetes!').length, 1, 'seeded exactly once');
  });

  t.test(`${engine.name}: every acknowledged message survives SIGKILL under concurrent writes`, async (t) => {
    const env = { ...engine.freshDatabase(t), MESSAGE_RATE_LIMIT: '1000000' };
    const service = await startService(t, env);
    const acknowledged: { id: number; content: string }[] = [];
    let stop = false;
    const writer = async (worker: number) => {
      for (let n = 0; !stop && n < 2000; n++) {
        const content = `worker ${worker} message ${n} ✓`;
        try {
          const response = await request(`${service.url}/api/messages`, { json: { content } });
          if (response.status === 201) acknowledged.push({ id: response.json.id, content });
        } catch {
          return; // the process died mid-request: that message was never acknowledged
        }
      }
    };
    const writers = Array.from({ length: 16 }, (_, i) => writer(i));
    while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 10));
    service.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    t.equal(await service.exited, 'SIGKILL');
    t.ok(acknowledged.length >= 200, `${acknowledged.length} messages were acknowledged before the kill`);

    const restarted = await startService(t, env);
    const stored = new Map((await allMessages(restarted.url)).map((m) => [m.id, m.content]));
    const lost = acknowledged.filter((m) => stored.get(m.id) !== m.content);
    t.same(lost, [], 'no acknowledged message is missing or changed');
  });
}
