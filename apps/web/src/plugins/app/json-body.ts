import fp from 'fastify-plugin';
import { jsonContentTypeProblem } from './content-type.js';

/** An error the error handler answers with its own status and (safe) message. */
function clientError(statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode });
}

/**
 * JSON bodies are accepted only as what they say they are: UTF-8 JSON, uncompressed. Fastify's
 * own parser reads any body as UTF-8 and silently replaces invalid bytes (U+FFFD), ignores the
 * charset and Content-Encoding; so `caf\xe9` was stored as "caf\uFFFD" and gzip bodies were
 * stored or misparsed. Here the Content-Type is parsed (content-type.ts: one field line, one
 * charset, UTF-8), every byte is decoded strictly (overlong forms, encoded surrogates and
 * truncated sequences are errors), then parsed by Fastify's own JSON parser, which keeps its
 * prototype-poisoning protection.
 */
export default fp(
  async (fastify) => {
    const parseJson = fastify.getDefaultJsonParser('error', 'error');
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    // JSON only: a text/plain body is refused with 415 instead of failing validation as a string.
    fastify.removeContentTypeParser(['application/json', 'text/plain']);
    fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      const encoding = request.headers['content-encoding']?.trim().toLowerCase();
      if (encoding && encoding !== 'identity') {
        return done(clientError(415, 'A Content-Encoding is not accepted; send the body uncompressed'));
      }
      const typeProblem = jsonContentTypeProblem(request.raw.headersDistinct['content-type'] ?? []);
      if (typeProblem) return done(clientError(415, `${typeProblem}; send application/json`));
      let text: string;
      try {
        text = utf8.decode(body as Buffer);
      } catch {
        return done(clientError(400, 'The body is not valid UTF-8'));
      }
      parseJson(request, text, done);
    });
  },
  { name: 'json-body' },
);
