/**
 * Schema validation for requests. Bodies are validated strictly (no type coercion, unknown
 * fields refused) so a client learns about its mistakes; query strings and path parameters
 * are text by nature and are coerced to the schema's types.
 */
import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

function makeAjv(options: Options) {
  const ajv = new Ajv.default({ allErrors: false, removeAdditional: false, useDefaults: true, ...options });
  addFormats.default(ajv);
  ajv.addKeyword('example');
  return ajv;
}

const strict = makeAjv({ coerceTypes: false });
const coercing = makeAjv({ coerceTypes: 'array' });

/** The JSON path of the first string holding a NUL character, which PostgreSQL text cannot store. */
function findNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}/${i}`);
      if (found !== undefined) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findNul(item, `${path}/${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Picks strict or coercing validation by the part of the request, and refuses NUL characters
 * in any string (the database would fail on them with a 500 instead of a 400).
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  const validate = ajv.compile(schema as object);
  const checked = (data: unknown, dataCtx?: Parameters<typeof validate>[1]) => {
    const nulAt = findNul(data);
    if (nulAt !== undefined) {
      checked.errors = [{ instancePath: nulAt, schemaPath: '#', keyword: 'nul', params: {}, message: 'must not contain NUL characters' }];
      return false;
    }
    const ok = validate(data, dataCtx);
    checked.errors = validate.errors;
    return ok;
  };
  checked.errors = null as typeof validate.errors;
  // Fastify hands Ajv functions the parent object so that a root value can be coerced.
  checked.schemaEnv = validate.schemaEnv;
  return checked as ReturnType<FastifySchemaCompiler<unknown>>;
};
