import t from 'tap';
import { build, request } from '../helper.js';

// Text that towers over the page (a combining-mark flood, "Zalgo") or hides content (blanks, tag
// characters spelling text, runs of joiners or variation selectors, default-ignorable code points
// that render as nothing) is refused. The rules (src/schemas/text-rules.ts, docs/service.md)
// allow what real scripts and emoji need, and no more.
const marks = (count: number) =>
  Array.from({ length: count }, (_, i) => String.fromCodePoint(0x301 + (i % 8))).join('');
const tags = (text: string) => Array.from(text, (c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
const flag = (subdivision: string) => `\u{1F3F4}${tags(subdivision)}\u{E007F}`;

const refused: [name: string, content: string, message: RegExp][] = [
  ['Z and 272 combining marks', `Z${marks(272)}`, /must not stack more than 4 combining marks/],
  ['five marks on one letter', `e${marks(5)}`, /must not stack more than 4 combining marks/],
  ['marks continued through joiners', `Z${marks(4)}\u200d${marks(4)}`, /combining marks|joiner/],
  ['two Braille blanks', '\u2800\u2800', /must contain a visible character/],
  ['a null notehead alone', '\u{1D159}', /must contain a visible character/],
  ['Hangul choseong and jungseong fillers', '\u115F\u1160', /must contain a visible character/],
  ['a halfwidth Hangul filler', '\uFFA0', /must contain a visible character/],
  ['combining marks without a base', '\u0301\u0302', /must contain a visible character/],
  ['hidden text in tag characters', `hi${tags('invisible')}`, /must not contain tag characters outside a flag emoji/],
  ['tags after a flag without the cancel tag', `\u{1F3F4}${tags('gbeng')}`, /tag characters/],
  ['a flag hiding a sentence', flag('gbengsecretmessage'), /tag characters/],
  ['a and 200 alternating joiners', `a${'\u200d\u200c'.repeat(100)}`, /joiner/],
  ['a joiner at the start', '\u200dhello', /joiner/],
  ['a joiner between two spaces', 'a \u200d b', /joiner/],
  ['an emoji and 100 variation selectors', `\u{1F600}${'\u{E0100}'.repeat(100)}`, /variation selector/],
  ['two variation selectors', '\u2764\uFE0F\uFE0F', /variation selector/],
  ['a variation selector alone', '\uFE0F', /variation selector/],
  ['beam and tie format characters', 'a\u{1D173}\u{1D17A}', /invisible formatting characters/],
  ['an unassigned default-ignorable code point after the tags', `hi\u{E0080}`, /invisible formatting characters/],
  ['the last unassigned one of the tag plane', `hi\u{E0FFF}`, /invisible formatting characters/],
  ['an unassigned default-ignorable among the invisible operators', 'a\u2065b', /invisible formatting characters/],
  ['an unassigned default-ignorable before the specials', 'a\uFFF0b', /invisible formatting characters/],
  ['a combining grapheme joiner', 'a\u034Fb', /invisible formatting characters/],
  ['a Khmer inherent vowel (invisible)', '\u1780\u17B4', /invisible formatting characters/],
  ['a flag-shaped tag sequence spelling a word', `see ${flag('hide')}`, /tag characters/],
  ['a subdivision flag that is not a recommended emoji (Texas)', flag('ustx'), /tag characters/],
  ['an ideographic variation selector after a Latin letter', 'a\u{E0100}b', /variation selector/],
  ['an ideographic variation selector after an emoji', '\u{1F600}\u{E0100}', /variation selector/],
  ['an emoji presentation selector after a Latin letter', 'a\uFE0Fb', /variation selector/],
  ['a text presentation selector after a letter that is no emoji', 'x\uFE0E', /variation selector/],
];

const accepted: [name: string, content: string][] = [
  ['Vietnamese, precomposed', 'Tiếng Việt có dấu: người, được, ở đâu'],
  ['Vietnamese, decomposed (two marks per letter)', 'Tie\u0302\u0301ng Vie\u0323\u0302t'],
  ['Hindi with conjuncts', 'क्षत्रिय स्त्री हिन्दी'],
  ['Hindi with an explicit half form (ZWJ after virama)', 'क्\u200dष'],
  ['Thai with vowel and tone marks', 'ภาษาไทย น้ำ กี่ กิ๊ฟ'],
  ['Tibetan stacks', 'བསྒྲུབས ཧཱུྃ'],
  ['Hebrew with niqqud and a cantillation mark', 'בְּרֵאשִׁ֖ית'],
  ['Persian with a non-joiner', 'می\u200cخواهم'],
  ['Malayalam old chillu (virama + ZWJ at a word end)', 'അവന\u0d4d\u200d വന്നു'],
  ['German with a non-joiner against a ligature', 'Auf\u200clage'],
  ['a family emoji (ZWJ sequence)', '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}'],
  ['a rainbow flag (VS16 then ZWJ)', '\u{1F3F3}\uFE0F\u200d\u{1F308}'],
  ['a technologist with a skin tone', '\u{1F9D1}\u{1F3FD}\u200d\u{1F4BB}'],
  ['a keycap', '#\uFE0F\u20E3 1\uFE0F\u20E3'],
  ['flags of England, Scotland and Wales', `${flag('gbeng')}${flag('gbsct')}${flag('gbwls')}`],
  ['a CJK ideographic variation sequence', '\u845B\u{E0100}城'],
  ['a red heart with VS16', '\u2764\uFE0F'],
  ['a heart in text presentation (VS15)', '\u2764\uFE0E'],
  ['an ideographic variation sequence on an Extension A ideograph', '\u3404\u{E0101}'],
  ['a standardized mathematical variant (intersection with serifs)', 'A \u2229\uFE00 B'],
  ['a Mongolian letter with a free variation selector', '\u1820\u180B\u1821'],
];

t.test('POST /api/messages: combining marks, joiners, tags, variation selectors, blanks', async (t) => {
  const { url, app } = await build(t, { MESSAGE_RATE_LIMIT: '10000' });
  const before = await app.messages.count();
  for (const [name, content, message] of refused) {
    const r = await request(`${url}/api/messages`, { json: { content } });
    t.equal(r.status, 400, `${name}: 400`);
    t.match(r.json?.message, message, `${name}: ${r.json?.message}`);
    const author = await request(`${url}/api/messages`, { json: { content: 'ok', author: content.slice(0, 40) } });
    t.equal(author.status, 400, `${name} as the author: 400`);
  }
  t.equal(await app.messages.count(), before, 'nothing refused was stored');
  for (const [name, content] of accepted) {
    const r = await request(`${url}/api/messages`, { json: { content } });
    t.equal(r.status, 201, `${name}: accepted ${r.status === 201 ? '' : r.json?.message}`);
    t.equal(r.json?.content, content, `${name}: stored unchanged`);
  }
});
