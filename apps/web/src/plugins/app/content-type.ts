import { parse } from 'fast-content-type-parse';

/**
 * The parameters of a Content-Type the parser accepted, in order: after a successful parse the
 * header is `type/subtype` followed by well-formed `; name=value` pairs (value a token or a
 * quoted-string), so this walk cannot start inside a quoted value.
 */
const PARAMETER = /;[ \t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+)=(?:"(?:[^"\\]|\\.)*"|[!#$%&'*+.^_`|~0-9A-Za-z-]+)/g;

/**
 * Why a JSON body's Content-Type is refused, in words safe to show (never the header's own text),
 * or undefined when it is fine. `lines` are the request's Content-Type field lines, all of them
 * (Node's `headersDistinct`: `headers` keeps only the first of repeated Content-Type lines, while
 * other software keeps the last, and RFC 9110 makes it a singleton field), so a second line is
 * refused rather than guessed. The one value is parsed by fast-content-type-parse (RFC 9110
 * grammar, quoted strings included), then refused when ambiguous: the parser keeps the first of
 * two `charset` parameters while other software keeps the last, and an RFC 8187 `charset*` says
 * the same thing differently. Other parameters are ignored.
 */
export function jsonContentTypeProblem(lines: readonly string[]): string | undefined {
  if (lines.length > 1) return 'The Content-Type header is given more than once';
  const header = lines[0] ?? '';
  let charset: string | undefined;
  try {
    charset = parse(header).parameters['charset'];
  } catch {
    return 'The Content-Type header is malformed';
  }
  const names = Array.from(header.matchAll(PARAMETER), (match) => match[1]!.toLowerCase());
  if (names.some((name) => name.endsWith('*'))) {
    return 'Content-Type extended parameters (name*=...) are not accepted';
  }
  if (names.filter((name) => name === 'charset').length > 1) return 'The Content-Type charset is given more than once';
  const label = charset?.toLowerCase();
  if (label !== undefined && label !== 'utf-8' && label !== 'utf8') {
    return 'The Content-Type charset is not accepted: only charset=utf-8 is accepted';
  }
  return undefined;
}
