import fc from 'fast-check';

/** Percent-encodes every byte of the UTF-8 form except unreserved characters (lone surrogates
 * become U+FFFD, as any client would send them; encodeURIComponent would throw). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Spellings of numbers a schema with coercion would misread: hex, exponents, padding, non-finite. */
export const numberSpelling = fc.oneof(
  fc.integer({ min: -5, max: 200 }).map(String),
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      'Infinity',
      '-Infinity',
      'NaN',
      '0x10',
      '0b11',
      '0o7',
      '1e1',
      '1e308',
      '1e-7',
      '1.0',
      '+5',
      '05',
      '-0',
      ' 5',
      '5 ',
      '',
      '9007199254740991',
      '9007199254740992',
      '99999999999999999999999',
      'true',
      'null',
      '[]',
      '{}',
    ),
  },
  fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
  fc.double().map(String),
);

/**
 * Text assembled from the pieces whose order matters: letters of several scripts, combining
 * marks, joiners, variation selectors and their bases, tag characters, flags, emoji, skin tones,
 * blanks and default-ignorable code points.
 */
export const unicodeSequence = fc
  .array(
    fc.constantFrom(
      'a',
      'Z',
      ' ',
      '\u0645', // Arabic meem
      '\u0915', // Devanagari ka
      '\u094D', // virama (Mn)
      '\u0E01', // Thai ko kai
      '\u0E48', // Thai tone mark (Mn)
      '\u0301',
      '\u0323',
      '\u20E3', // combining enclosing keycap (Me)
      '\u200C',
      '\u200D',
      '\uFE0F',
      '\uFE0E',
      '\uFE00',
      '\u{E0100}',
      '\u845B', // a unified ideograph (takes VS17-256)
      '#',
      '\u{1F3F4}',
      '\u{E0067}', // tag g
      '\u{E0062}', // tag b
      '\u{E0065}', // tag e
      '\u{E006E}', // tag n
      '\u{E007F}', // cancel tag
      '\u{E0080}', // unassigned, default-ignorable
      '\u2065', // unassigned, default-ignorable
      '\u034F', // combining grapheme joiner
      '\u{1F468}',
      '\u{1F3FD}',
      '\u2764',
      '\u2800',
      '\u{1D159}',
    ),
    { minLength: 1, maxLength: 30 },
  )
  .map((pieces) => pieces.join(''));

/** Text meant to hurt: control and format characters, lone surrogates, bidi, SQL, very long. */
export const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u200b\u200b',
    '\u202egnp.exe',
    '\ud800',
    'a\udc00b',
    '\u0000',
    '\u001b[31m',
    '\ufeff',
    '\u00ad',
    '\u2066x',
    "'; DROP TABLE messages; --",
    '../../etc/passwd',
    '%00',
    '%ff',
    '\u{1F468}\u200d\u{1F469}',
    '\u3164',
    // Text that towers, blanks and hidden tag text.
    `Z${'\u0301\u0302\u0303\u0304'.repeat(68)}`,
    '\u2800\u2800',
    '\u{1D159}',
    `hi${String.fromCodePoint(0xe0069, 0xe006e, 0xe0076)}`,
    `a${'\u200d\u200c'.repeat(100)}`,
    `\u{1F600}${'\u{E0100}'.repeat(100)}`,
  ),
  { weight: 3, arbitrary: unicodeSequence },
  fc.string({ maxLength: 5 }).map((s) => s.repeat(100)),
);

/** A URL query string: known and unknown keys, repeated keys, raw percent-escapes. */
export const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom('limit', 'before') },
        fc.constantFrom('limit[]', 'x', '__proto__', 'constructor'),
      ),
      fc.oneof({ weight: 3, arbitrary: numberSpelling }, hostileText),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&'));

/** A path segment for `:id`, percent-encoded (so it is a valid URL) or raw malformed escapes. */
export const idSegment = fc.oneof(
  numberSpelling.map(percentEncode),
  hostileText.map(percentEncode),
  fc.constantFrom('%ff', '%', '%zz', '%c0%af', '1%00', '1;DROP'),
  fc.string({ unit: fc.constantFrom('1', '9', '0'), minLength: 90, maxLength: 200 }),
);

/** JSON bodies: from the schema's shape with hostile values, plus any JSON at all. */
export const jsonBody = fc.oneof(
  fc.record(
    {
      content: fc.oneof(hostileText, fc.jsonValue()),
      author: fc.oneof(hostileText, fc.jsonValue()),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);

/** Raw body bytes: invalid UTF-8, truncated JSON, noise. */
export const rawBody = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  jsonBody.map((v) => Buffer.from(JSON.stringify(v) ?? 'null').subarray(0, 1 + Math.floor(Math.random() * 40))),
);

export const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  // Ambiguous parameters.
  'application/json; x="a;charset=utf-8"; charset=utf-16',
  'application/json; charset="utf-8"; charset=utf-16',
  'application/json; charset*=utf-16',
  'application/json; charset=',
  'application/json; charset=latin1',
  'application/json; charset="UTF-16"',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  '',
);

export const contentEncoding = fc.constantFrom(undefined, 'identity', 'gzip', 'br', 'deflate, gzip');

/** Header values a client might send (printable ASCII: anything else never leaves an HTTP client). */
export const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 }),
  fc.constantFrom('-1', ', , ,', 'foo, 1.2.3.4', '2001:db8::1', '::ffff:10.0.0.1', 'x'.repeat(4000)),
);

/** A request head as a raw client could send it: any method, HTTP/1.0 or 1.1, with or without
 * Host, with odd Expect values (Node answered some of these itself). */
export const requestHead = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT'),
  path: fc.constantFrom('/api/info', '/api/messages', '/api/messages/1', '/healthz', '/nope', '/'),
  version: fc.constantFrom('1.0', '1.1'),
  host: fc.boolean(),
  expect: fc.constantFrom(undefined, '100-continue', 'x-foo', '', '100-continue, x-bar'),
});
