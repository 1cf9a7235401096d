import t from 'tap';
import { build, request } from '../helper.js';

// Text that shows as nothing, or that reorders what is shown, is refused.
// The rule (docs/service.md): no Unicode format characters (Cf) except the zero-width joiner and
// non-joiner and the emoji tag characters, which real text and emoji need; and at least one
// visible character once blanks and default-ignorable characters are set aside.
const refused: [name: string, content: string, message: RegExp][] = [
  ['zero-width spaces only', '\u200b\u200b', /content must not contain invisible formatting characters/],
  ['a right-to-left override', '\u202egnp.exe', /must not contain invisible formatting characters/],
  ['a left-to-right isolate', 'a\u2066b', /must not contain invisible formatting characters/],
  ['a byte order mark inside', 'hel\ufefflo', /must not contain invisible formatting characters/],
  ['a soft hyphen', 'in\u00advisible', /must not contain invisible formatting characters/],
  ['joiners only', '\u200d\u200c', /content must contain a visible character/],
  ['a Hangul filler only', '\u3164', /content must contain a visible character/],
  ['blanks of other scripts only', '\u3000\u2003', /content must contain a visible character/],
];

const accepted: [name: string, content: string][] = [
  ['a family emoji (ZWJ sequence)', '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}'],
  ['a flag of England (tag sequence)', '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}'],
  ['Persian with a non-joiner', '\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645'],
  ['Hebrew', '\u05e9\u05dc\u05d5\u05dd'],
  ['a skin-tone emoji', '\u{1F44D}\u{1F3FD}'],
];

t.test('POST /api/messages: invisible and spoofing text', async (t) => {
  const { url, app } = await build(t);
  const before = await app.messages.count();
  for (const [name, content, message] of refused) {
    const r = await request(`${url}/api/messages`, { json: { content } });
    t.equal(r.status, 400, `${name}: 400`);
    t.match(r.json.message, message, `${name}: ${r.json.message}`);
    const author = await request(`${url}/api/messages`, { json: { content: 'ok', author: content } });
    t.equal(author.status, 400, `${name} as the author: 400`);
  }
  t.equal(await app.messages.count(), before, 'nothing refused was stored');
  for (const [name, content] of accepted) {
    const r = await request(`${url}/api/messages`, { json: { content, author: content } });
    t.equal(r.status, 201, `${name}: accepted`);
    t.equal(r.json.content, content, `${name}: unchanged`);
  }
});
