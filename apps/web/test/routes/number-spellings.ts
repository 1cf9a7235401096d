import t from 'tap';
import { build, request } from '../helper.js';

// Ids, limits and cursors are plain decimal integers in range; every other
// spelling is a 400 naming the field, and nothing non-finite ever reaches a handler or SQLite.
// `limit=Infinity` answered 500 ("datatype mismatch"): Ajv's type coercion turned the text
// "Infinity" into a number and then skipped the range keywords for a non-finite value.
const refusedQueries: [query: string, field: string][] = [
  ['limit=Infinity', 'limit'],
  ['limit=-Infinity', 'limit'],
  ['before=Infinity', 'before'],
  ['limit=NaN', 'limit'],
  ['limit=0x10', 'limit'],
  ['before=0x10', 'before'],
  ['limit=0b11', 'limit'],
  ['limit=0o7', 'limit'],
  ['limit=1e1', 'limit'],
  ['before=1e1', 'before'],
  ['limit=1.0', 'limit'],
  ['before=2.0', 'before'],
  ['limit=%205', 'limit'],
  ['limit=5%20', 'limit'],
  ['limit=+5', 'limit'],
  ['limit=05', 'limit'],
  ['limit=-0', 'limit'],
  ['limit=', 'limit'],
  ['limit=true', 'limit'],
  ['limit=5&limit=6', 'limit'],
  ['before=1.0000000000000001', 'before'],
  ['limit=99.99999999999999999', 'limit'],
  ['before=9007199254740992', 'before'],
  ['before=' + '9'.repeat(400), 'before'],
];

const refusedIds = ['Infinity', '0x10', '1e1', '1.0', '+1', '01', '%201', '-0', '9007199254740992', '9'.repeat(99)];

t.test('GET /api/messages: only plain decimal integers in range', async (t) => {
  const { url } = await build(t);
  for (const [query, field] of refusedQueries) {
    const response = await request(`${url}/api/messages?${query}`);
    t.equal(response.status, 400, `?${query}: 400`);
    t.same(
      response.json?.details?.map((d: { field: string }) => d.field),
      [field],
      `?${query}: names ${field}`,
    );
  }
  for (const query of ['limit=5', 'limit=100', 'before=9007199254740991', 'limit=1&before=2']) {
    t.equal((await request(`${url}/api/messages?${query}`)).status, 200, `?${query}: 200`);
  }
});

t.test('GET /api/messages/:id: only plain decimal integers in range', async (t) => {
  const { url } = await build(t);
  for (const id of refusedIds) {
    const response = await request(`${url}/api/messages/${id}`);
    t.equal(response.status, 400, `/${id.slice(0, 20)}: 400`);
    t.same(
      response.json?.details?.map((d: { field: string }) => d.field),
      ['id'],
      `/${id.slice(0, 20)}: names id`,
    );
  }
  t.equal((await request(`${url}/api/messages/1`)).status, 200, '/1: 200');
  t.equal((await request(`${url}/api/messages/9007199254740991`)).status, 404, 'the largest id: 404');
});
