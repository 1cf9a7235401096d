import fp from 'fastify-plugin';
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';

const shared: Options = {
  useDefaults: true,
  removeAdditional: true,
  // Every broken rule is reported at once, so a form can mark every bad field in one round trip.
  allErrors: true,
};

/**
 * Two validators: query strings and params arrive as text and are coerced to their declared types
 * (`?limit=5` -> 5), but JSON bodies are typed already and must not be: with coercion
 * `{"content": 123}` would be stored as "123" instead of being refused.
 */
export default fp(
  async (fastify) => {
    const strict = addFormats.default(new Ajv({ ...shared, coerceTypes: false }));
    const coercing = addFormats.default(new Ajv({ ...shared, coerceTypes: 'array' }));
    fastify.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
  },
  { name: 'validation' },
);
