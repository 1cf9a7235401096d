import { Type, type Static } from 'typebox';
import { FORBIDDEN_CHARACTER_CLASS, MESSAGE_LIMITS, NO_FORMAT_CHARACTERS, VISIBLE_CHARACTER } from './limits.js';

/**
 * Bounded primitives every route reuses, so one limit is declared once.
 * Patterns are compiled with the `u` flag by Ajv, so \p{...} classes work.
 */

/** Unicode control characters (Cc) and lone surrogates (Cs) are refused: they are invisible, break
 * terminals and logs, and a lone surrogate cannot be stored as UTF-8 without changing it. */
export const NO_CONTROL_CHARACTERS = `^[^${FORBIDDEN_CHARACTER_CLASS}]*$`;

/** Human wording for patterns, used by the error handler instead of echoing a regex. */
export const PATTERN_MESSAGES: Readonly<Record<string, string>> = {
  [NO_CONTROL_CHARACTERS]: 'must not contain control characters',
  [NO_FORMAT_CHARACTERS]: 'must not contain invisible formatting characters (zero-width, bidi overrides)',
  [VISIBLE_CHARACTER]: 'must contain a visible character',
};

/**
 * Text a person typed for others to read: no control characters, no invisible or reordering
 * format characters, and something visible (rules in limits.ts, docs/service.md). Each rule is its
 * own pattern so the error names the one that was broken.
 */
const shownText = (maxLength: number) =>
  Type.String({
    // No minLength: an empty text has no visible character, and one rule gives one error.
    maxLength,
    pattern: NO_CONTROL_CHARACTERS,
    allOf: [{ pattern: NO_FORMAT_CHARACTERS }, { pattern: VISIBLE_CHARACTER }],
  });

export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export const MessageContent = shownText(MESSAGE_LIMITS.contentMax);

export const Author = shownText(MESSAGE_LIMITS.authorMax);

export const PageLimit = Type.Integer({
  minimum: 1,
  maximum: MESSAGE_LIMITS.pageMax,
  default: MESSAGE_LIMITS.pageDefault,
});

export const IsoTimestamp = Type.String({ format: 'date-time' });

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** The one error shape of every 4xx and 5xx answer. */
export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  details: Type.Optional(
    Type.Array(
      Type.Object({
        /** Where the bad value was: body, querystring, params or headers. */
        in: Type.String(),
        /** The field's name, e.g. `content` or `limit`. */
        field: Type.String(),
        /** The rule it broke, in words. */
        message: Type.String(),
      }),
    ),
  ),
});
export type ErrorResponse = Static<typeof ErrorResponse>;

export const Message = Type.Object({
  id: Id,
  author: Nullable(Type.String()),
  content: Type.String(),
  createdAt: IsoTimestamp,
});
export type Message = Static<typeof Message>;
