import fp from 'fastify-plugin';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import { SHOWN_TEXT_KEYWORD } from '../../schemas/common.js';
import { TEXT_RULE_MESSAGES, brokenTextRules } from '../../schemas/text-rules.js';

/** The one spelling of a number in a URL: plain decimal digits, no leading zero or plus sign.
 * (A minus sign is converted too, so `-3` gets the range error "must be >= 1".) */
const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]{0,19})$/;

interface ObjectSchema {
  properties?: Record<string, { type?: string }>;
}

/** The properties of a querystring or params schema that are declared as integers or numbers. */
function numericProperties(schema: FastifySchema): string[] {
  const properties = (schema as ObjectSchema).properties ?? {};
  return Object.keys(properties).filter((key) => ['integer', 'number'].includes(properties[key]!.type ?? ''));
}

/**
 * Validation without Ajv's type coercion. Coercion accepts `0x10`, `1e1`, ` 5` and `Infinity`
 * for an integer (and then skips the range keywords for the non-finite value, which reached
 * SQLite as "datatype mismatch"). URL text becomes a number here only when it is plainly decimal;
 * any other spelling stays text and fails the schema's integer type, so the client gets a 400
 * naming the field. JSON bodies are typed already and are never converted.
 */
export default fp(
  async (fastify) => {
    const ajv = addFormats.default(
      new Ajv({
        useDefaults: true,
        removeAdditional: true,
        coerceTypes: false,
        // Every broken rule is reported at once, so a form can mark every bad field in one round trip.
        allErrors: true,
      }),
    );
    // The text rules are sequence rules (what may follow what), beyond what a pattern says
    // readably; each broken rule becomes one error, so the answer names every one of them.
    const shownText = (_enabled: boolean, text: string): boolean => {
      const broken = brokenTextRules(text);
      shownText.errors = broken.map((rule) => ({
        keyword: SHOWN_TEXT_KEYWORD,
        message: TEXT_RULE_MESSAGES[rule],
        params: { rule },
      }));
      return broken.length === 0;
    };
    shownText.errors = [] as { keyword: string; message: string; params: Record<string, unknown> }[];
    ajv.addKeyword({
      keyword: SHOWN_TEXT_KEYWORD,
      type: 'string',
      schemaType: 'boolean',
      errors: true,
      validate: shownText,
    });
    const compiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
      const validate = ajv.compile(schema);
      const numeric = httpPart === 'body' ? [] : numericProperties(schema);
      if (numeric.length === 0) return validate;
      const converting = (data: Record<string, unknown>) => {
        for (const key of numeric) {
          const value = data[key];
          if (typeof value === 'string' && DECIMAL_INTEGER.test(value)) data[key] = Number(value);
        }
        const valid = validate(data);
        converting.errors = validate.errors;
        return valid;
      };
      converting.errors = validate.errors;
      return converting;
    };
    fastify.setValidatorCompiler(compiler);
  },
  { name: 'validation' },
);
