import { Type, type Static } from 'typebox';
import { MESSAGE_LIMITS } from './limits.js';

/**
 * Bounded primitives every route reuses, so one limit is declared once.
 */

/** The schema keyword that applies the text rules of text-rules.ts (registered with Ajv in
 * plugins/app/validation.ts): each broken rule is reported with its own message. */
export const SHOWN_TEXT_KEYWORD = 'shownText';

/**
 * Text a person typed for others to read: no control characters, no invisible or reordering
 * format characters, no towering stacks of combining marks, joiners, tags and variation selectors
 * only where scripts and emoji need them, and something visible (text-rules.ts, docs/service.md).
 */
const shownText = (maxLength: number) =>
  // No minLength: an empty text has no visible character, and one rule gives one error.
  Type.String({ maxLength, [SHOWN_TEXT_KEYWORD]: true });

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

/** One page of the board, newest first; `nextBefore` is the cursor of the next page, or null. */
export const MessagePage = Type.Object({ items: Type.Array(Message), nextBefore: Type.Union([Id, Type.Null()]) });
export type MessagePage = Static<typeof MessagePage>;

/** GET /api/info: where and what is answering (the page's live panel reads the same type). */
export const Info = Type.Object({
  podName: Nullable(Type.String()),
  podIp: Nullable(Type.String()),
  namespace: Nullable(Type.String()),
  nodeName: Nullable(Type.String()),
  hostname: Type.String(),
  release: Type.String(),
  startedAt: IsoTimestamp,
  uptimeSeconds: Type.Number({ minimum: 0 }),
  servedAt: IsoTimestamp,
  runtime: Type.Union([Type.Literal('kubernetes'), Type.Literal('local')]),
});
export type Info = Static<typeof Info>;
