/**
 * What text a person may post for others to read, shared by the server's schema (an Ajv keyword,
 * plugins/app/validation.ts) and the page's form (the page bundles this file), so the two never
 * disagree. The rules and why: docs/service.md, "Input rules". In short: no control or formatting
 * characters except where real scripts and emoji need them, no stacks of combining marks taller
 * than real scripts use, and something visible.
 *
 * Character classes come from the JavaScript engine's Unicode data (`\p{...}`), not from lists
 * kept here, except BLANK (characters that render as nothing yet are letters or symbols). Every
 * Default_Ignorable code point (what renders as nothing) is refused unless a rule below gives it
 * a place: joiners, variation selectors, tags inside a flag, the Hangul fillers (letters).
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
  variation: 'must not contain a variation selector except one right after a character it applies to',
  marks: `must not stack more than ${MAX_COMBINING_MARKS} combining marks on one character`,
  visible: 'must contain a visible character',
};

const ZWNJ = '\u200C';
const ZWJ = '\u200D';
const BLACK_FLAG = '\u{1F3F4}';

const CONTROL = /[\p{Cc}\p{Cs}]/u;
const FORMAT = /\p{Cf}/u;
const TAG = /[\u{E0020}-\u{E007F}]/u;
/** The flags spelled with tags that are emoji: the RGI emoji tag sequences of UTS #51
 * (emoji-sequences.txt: England, Scotland, Wales), from the engine's data through an ES2024
 * property of strings, which needs the `v` flag (Node 20+, Chrome 112+, Firefox 116+, Safari 17+).
 * Anything else shaped like one (`🏴` + "hide" + cancel tag) is hidden text. Engines without the
 * `v` flag (Safari 16: the page only; the server always has it) fall back to the grammar of an
 * emoji tag sequence: the black flag, a 2-letter region and 1-4 letters or digits, cancel tag. */
const RGI_TAG_SEQUENCE =
  propertyOfStrings('\\p{RGI_Emoji_Tag_Sequence}', 'gv') ??
  /\u{1F3F4}[\u{E0061}-\u{E007A}]{2}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{1,4}\u{E007F}/gu;
const MARK = /[\p{Mn}\p{Me}]/u;
const VARIATION_SELECTOR = /\p{Variation_Selector}/u;
/** The presentation selectors go after an emoji character (Emoji=Yes): UTS #51 defines text and
 * emoji presentation sequences as an emoji character followed by VS15 or VS16. */
const PRESENTATION_SELECTOR = /[\uFE0E\uFE0F]/u;
const EMOJI_CHARACTER = /\p{Emoji}/u;
/** Ideographic variation selectors (VS17-256) go after a unified ideograph: UTS #37 defines an
 * ideographic variation sequence as one with the Unified_Ideograph property, then one of these. */
const IDEOGRAPHIC_SELECTOR = /[\u{E0100}-\u{E01EF}]/u;
const UNIFIED_IDEOGRAPH = /\p{Unified_Ideograph}/u;
/** The other selectors (VS1-14, the Mongolian free variation selectors) go after a character
 * that has a shape to vary (StandardizedVariants.txt: letters, digits, punctuation, symbols). */
const SELECTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;
const LETTER = /\p{L}/u;
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const EMOJI = /\p{Extended_Pictographic}/u;
/** What may end an emoji element before a ZWJ: the emoji, its presentation selector or skin tone. */
const EMOJI_END = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]/u;
/** Letters, digits, punctuation, symbols: what can be seen, unless ignorable or blank. */
const BASE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
/** Render as nothing, yet are symbols (So), not White_Space or Default_Ignorable: the Braille
 * blank and the musical null notehead. (The Hangul fillers U+115F, U+1160, U+3164 and U+FFA0 are
 * Default_Ignorable, the Khitan filler U+16FE4 is a mark, the beams and ties U+1D173-1D17A are Cf:
 * the rules above already set them aside.) */
const BLANK = /[\u2800\u{1D159}]/u;

const isJoiner = (c: string | undefined) => c === ZWJ || c === ZWNJ;

/** A regular expression with flags this engine may not know (the `v` flag), or undefined. */
function propertyOfStrings(source: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

/** Whether a variation selector may follow `before`: the base it is defined for. */
function selectorAllowed(selector: string, before: string | undefined): boolean {
  if (before === undefined || isJoiner(before) || VARIATION_SELECTOR.test(before)) return false;
  if (PRESENTATION_SELECTOR.test(selector)) return EMOJI_CHARACTER.test(before);
  if (IDEOGRAPHIC_SELECTOR.test(selector)) return UNIFIED_IDEOGRAPH.test(before);
  return SELECTABLE.test(before);
}

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
  const chars = Array.from(text.replace(RGI_TAG_SEQUENCE, BLACK_FLAG));
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
    } else if (VARIATION_SELECTOR.test(c)) {
      if (!selectorAllowed(c, before)) broken.add('variation');
    } else if (FORMAT.test(c) || (IGNORABLE.test(c) && !LETTER.test(c))) broken.add('format');
    if (MARK.test(c)) {
      if (++marks > MAX_COMBINING_MARKS) broken.add('marks');
    } else marks = 0;
    if (!visible && BASE.test(c) && !IGNORABLE.test(c) && !BLANK.test(c)) visible = true;
  }
  if (!visible) broken.add('visible');
  const order = Object.keys(TEXT_RULE_MESSAGES) as TextRule[];
  return order.filter((rule) => broken.has(rule));
}
