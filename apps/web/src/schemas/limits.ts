/**
 * Message limits and character rules, shared by the server's schemas and the page's form checks
 * (the page bundles this file), so the client can never be looser or stricter than the server.
 * Every pattern here is compiled with the `u` flag.
 */
export const MESSAGE_LIMITS = {
  /** Characters (Unicode code points) after trimming. */
  contentMax: 280,
  authorMax: 40,
  pageMax: 100,
  pageDefault: 20,
} as const;

/** Inside a character class: Unicode control characters (Cc) and lone surrogates (Cs). */
export const FORBIDDEN_CHARACTER_CLASS = '\\p{Cc}\\p{Cs}';

/**
 * The format characters (Cf) real text needs: the zero-width non-joiner and joiner (Persian,
 * Indic scripts, emoji sequences such as 👨‍👩‍👧) and the tag characters of subdivision flags
 * (🏴 England). Every other Cf character is refused: zero-width spaces, bidi overrides and
 * isolates (`\u202egnp.exe` shows as "exe.png"), the byte order mark, the soft hyphen.
 */
export const ALLOWED_FORMAT_CHARACTERS = '[\\u200C\\u200D\\u{E0020}-\\u{E007F}]';

/** Matches text with no format character other than the allowed ones. */
export const NO_FORMAT_CHARACTERS = `^(?:[^\\p{Cf}]|${ALLOWED_FORMAT_CHARACTERS})*$`;

/** Found in text that shows something: a character that is neither blank nor default-ignorable. */
export const VISIBLE_CHARACTER = '[^\\p{White_Space}\\p{Default_Ignorable_Code_Point}]';
