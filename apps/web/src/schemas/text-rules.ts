/**
 * What text a person may post for others to read, shared by the server's schema (an Ajv keyword,
 * plugins/app/validation.ts) and the page's form (the page bundles this file), so the two never
 * disagree. The rules and why: docs/service.md, "Input rules". In short: no control or formatting
 * characters except where real scripts and emoji need them, no stacks of combining marks taller
 * than real scripts use, and something visible.
 *
 * Character classes come from the JavaScript engine's Unicode data (`\p{...}`), not from lists
 * kept here, except BLANK (characters that render as nothing yet are letters or symbols).
 */

/** Consecutive combining marks (Mn, Me) allowed on one character. Real scripts need up to 4
 * (decomposed Vietnamese 2, Thai 2, Tibetan stacks 3, Hebrew with niqqud and cantillation 3-4);
 * "Zalgo" text uses dozens to tower over the lines around it. */
export const MAX_COMBINING_MARKS = 4;

export type TextRule = 'control' | 'format' | 'tags' | 'joiner' | 'variation' | 'marks' | 'visible';

/** How the server words each rule ("content must ..."); the page has its own wording. */
export const TEXT_RULE_MESSAGES: Readonly<Record<TextRule, string>> = {
  control: 'must not contain control characters',
  format: 'must not contain invisible formatting characters (zero-width, bidi overrides)',
  tags: 'must not contain tag characters outside a flag emoji',
  joiner: 'must not contain a zero-width joiner or non-joiner except between letters or between emoji',
  variation: 'must not contain more than one variation selector after a character',
  marks: `must not stack more than ${MAX_COMBINING_MARKS} combining marks on one character`,
  visible: 'must contain a visible character',
};

const ZWNJ = '\u200C';
const ZWJ = '\u200D';
const BLACK_FLAG = '\u{1F3F4}';

const CONTROL = /[\p{Cc}\p{Cs}]/u;
const FORMAT = /\p{Cf}/u;
const TAG = /[\u{E0020}-\u{E007F}]/u;
/** An emoji tag sequence (UTS #51, ED-14a) as flags use it: the black flag, a subdivision id
 * (CLDR: a 2-letter region and 1-4 letters or digits, in tag characters), the cancel tag. */
const FLAG_TAG_SEQUENCE = /\u{1F3F4}[\u{E0061}-\u{E007A}]{2}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{1,4}\u{E007F}/gu;
const MARK = /[\p{Mn}\p{Me}]/u;
const VARIATION_SELECTOR = /\p{Variation_Selector}/u;
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const EMOJI = /\p{Extended_Pictographic}/u;
/** What may end an emoji element before a ZWJ: the emoji, its presentation selector or skin tone. */
const EMOJI_END = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]/u;
const WHITE_SPACE = /\p{White_Space}/u;
/** Letters, digits, punctuation, symbols: what can be seen, unless ignorable or blank. */
const BASE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
/** Render as nothing, yet are symbols (So), not White_Space or Default_Ignorable: the Braille
 * blank and the musical null notehead. (The Hangul fillers U+115F, U+1160, U+3164 and U+FFA0 are
 * Default_Ignorable, the Khitan filler U+16FE4 is a mark, the beams and ties U+1D173-1D17A are Cf:
 * the rules above already set them aside.) */
const BLANK = /[\u2800\u{1D159}]/u;

const isJoiner = (c: string | undefined) => c === ZWJ || c === ZWNJ;

/** A joiner is kept where a script or an emoji needs it: between two emoji (ZWJ only), or after a
 * letter or mark (Persian, Indic half forms, Malayalam chillu, German ligature breaks) when what
 * follows does not continue a mark stack or another joiner. */
function joinerAllowed(joiner: string, before: string | undefined, after: string | undefined): boolean {
  if (before === undefined) return false;
  if (joiner === ZWJ && EMOJI_END.test(before) && after !== undefined && EMOJI.test(after)) return true;
  return LETTER_OR_MARK.test(before) && !(after !== undefined && (isJoiner(after) || MARK.test(after)));
}

/** The rules `text` breaks, in a fixed order (empty when it may be posted). */
export function brokenTextRules(text: string): TextRule[] {
  const broken = new Set<TextRule>();
  // Valid flag sequences stand for their black flag; any tag character left over is hidden text.
  const chars = Array.from(text.replace(FLAG_TAG_SEQUENCE, BLACK_FLAG));
  let marks = 0;
  let visible = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const before = chars[i - 1];
    if (CONTROL.test(c)) broken.add('control');
    else if (TAG.test(c)) broken.add('tags');
    else if (isJoiner(c)) {
      if (!joinerAllowed(c, before, chars[i + 1])) broken.add('joiner');
      continue; // transparent to the mark count: a joiner does not start a fresh stack
    } else if (FORMAT.test(c)) broken.add('format');
    if (VARIATION_SELECTOR.test(c)) {
      // One selector, right after the character it selects a form of.
      const noBase =
        before === undefined || VARIATION_SELECTOR.test(before) || isJoiner(before) || WHITE_SPACE.test(before);
      if (noBase) broken.add('variation');
    }
    if (MARK.test(c)) {
      if (++marks > MAX_COMBINING_MARKS) broken.add('marks');
    } else marks = 0;
    if (!visible && BASE.test(c) && !IGNORABLE.test(c) && !BLANK.test(c)) visible = true;
  }
  if (!visible) broken.add('visible');
  const order = Object.keys(TEXT_RULE_MESSAGES) as TextRule[];
  return order.filter((rule) => broken.has(rule));
}
