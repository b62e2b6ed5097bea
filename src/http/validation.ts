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

/** Picks strict or coercing validation by the part of the request. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};
