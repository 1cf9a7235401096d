import fc from 'fast-check';
import t from 'tap';
import { build } from '../helper.js';
import { rawExchange } from '../raw-http.js';
import { assertWellFormed } from './well-formed.js';
import { requestHead, unicodeSequence } from './generators.js';

// Properties for request heads the app must answer itself, and for text that must not hide or tower.
const RUNS = 150;

t.test('any method, HTTP version, Host and Expect: a well-formed answer from the app, never a 5xx', async (t) => {
  const { url } = await build(t);
  const port = Number(new URL(url).port);
  await fc.assert(
    fc.asyncProperty(requestHead, async ({ method, path, version, host, expect }) => {
      const lines = [
        `${method} ${path} HTTP/${version}`,
        ...(host ? ['Host: x'] : []),
        ...(expect === undefined ? [] : [`Expect: ${expect}`]),
        'Content-Length: 0',
        'Connection: close',
      ];
      const what = lines.slice(0, 3).join(' | ');
      let r;
      try {
        r = await rawExchange(port, `${lines.join('\r\n')}\r\n\r\n`);
      } catch (err) {
        t.fail(`${what}: ${(err as Error).message}`);
        return false;
      }
      const ok = assertWellFormed(t, what, r, [200, 400, 404, 405, 415, 417]);
      return ok && /^[0-9a-f-]{36}$/.test(r.headers['x-request-id'] ?? '');
    }),
    { numRuns: RUNS },
  );
});

const MARK = /[\p{Mn}\p{Me}]/u;
const JOINER = /[\u200C\u200D]/u;
const VS = /\p{Variation_Selector}/u;
/** The recommended flags spelled with tags (emoji-sequences.txt): England, Scotland, Wales. */
const tags = (id: string) => Array.from(id, (c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
const FLAGS = ['gbeng', 'gbsct', 'gbwls'].map((id) => `\u{1F3F4}${tags(id)}\u{E007F}`);
const UNASSIGNED_IGNORABLE = /(?=\p{Cn})\p{Default_Ignorable_Code_Point}/u;

/** The rules read independently of text-rules.ts: what accepted text must never contain. */
function ruleBreaks(text: string): string[] {
  const chars = Array.from(text);
  const breaks: string[] = [];
  let marks = 0;
  for (const c of chars) {
    if (MARK.test(c)) marks++;
    else if (!JOINER.test(c)) marks = 0;
    if (marks > 4) breaks.push('a stack of 5 marks');
  }
  if (/[\u{E0000}-\u{E007F}]/u.test(FLAGS.reduce((rest, flag) => rest.replaceAll(flag, ''), text))) {
    breaks.push('a tag outside a flag');
  }
  if (UNASSIGNED_IGNORABLE.test(text)) breaks.push('an unassigned default-ignorable code point');
  chars.forEach((c, i) => {
    const base = chars[i - 1] ?? '';
    if (/[\u{E0100}-\u{E01EF}]/u.test(c) && !/\p{Unified_Ideograph}/u.test(base)) {
      breaks.push('an ideographic selector after no ideograph');
    }
    if (/[\uFE0E\uFE0F]/u.test(c) && !/\p{Emoji}/u.test(base)) breaks.push('a presentation selector after no emoji');
  });
  if (/^[\u200C\u200D]|[\u200C\u200D]{2}/u.test(text)) breaks.push('a joiner at the start or two in a row');
  if (new RegExp(`${VS.source}${VS.source}`, 'u').test(text)) breaks.push('two variation selectors in a row');
  const visible = chars.some(
    (c) => /[\p{L}\p{N}\p{P}\p{S}]/u.test(c) && !/[\p{Default_Ignorable_Code_Point}\u2800\u{1D159}]/u.test(c),
  );
  if (!visible) breaks.push('nothing visible');
  return [...new Set(breaks)];
}

t.test(
  'POST /api/messages: text that is stored never stacks marks, hides tags or ignorables, misplaces selectors, chains joiners or shows nothing',
  async (t) => {
    const { url, app } = await build(t, { MESSAGE_RATE_LIMIT: '1000000' });
    const port = Number(new URL(url).port);
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(unicodeSequence, async (content) => {
        const body = Buffer.from(JSON.stringify({ content }), 'utf8');
        const r = await rawExchange(
          port,
          Buffer.concat([
            Buffer.from(
              `POST /api/messages HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
            ),
            body,
          ]),
        );
        if (!assertWellFormed(t, JSON.stringify(content), r, [201, 400])) return false;
        if (r.status !== 201) return true;
        stored++;
        const breaks = ruleBreaks((await app.messages.get(JSON.parse(r.body).id))!.content);
        if (breaks.length > 0) t.fail(`${JSON.stringify(content)} was stored with ${breaks.join(', ')}`);
        return breaks.length === 0;
      }),
      { numRuns: RUNS * 2 },
    );
    t.ok(stored > 0, `the generator also reaches accepted text (${stored} stored)`);
  },
);
