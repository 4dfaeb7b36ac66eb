import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Options, ValidateFunction } from 'ajv';
import { ajvOptions, schemaSha256, validate as prebuilt } from './generated/runbook-validator.js';
import { schemaProblems, type SchemaProblem } from './schema-errors.js';

export const SCHEMA_URL = new URL('../../schemas/runbook.schema.json', import.meta.url);

let chosen: ValidateFunction | undefined;

/**
 * The validator generated from the schema at build time (scripts/build-validator.mjs), so no run
 * pays for compiling the schema. If the schema changed since that build (a checkout edited
 * without `npm run build`), the schema is compiled here instead: schemas/runbook.schema.json is
 * the source of truth, and both paths give the same ajv error objects.
 */
function validator(): ValidateFunction {
  if (!chosen) {
    const text = readFileSync(SCHEMA_URL, 'utf8');
    chosen = createHash('sha256').update(text).digest('hex') === schemaSha256 ? prebuilt : compile(text);
  }
  return chosen;
}

function compile(schemaText: string): ValidateFunction {
  // Loaded only on this rare path: ajv's compiler is the slowest thing drillbook could load.
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as {
    Ajv2020: new (options: Options) => { compile(schema: object): ValidateFunction };
  };
  return new Ajv2020(ajvOptions).compile(JSON.parse(schemaText) as object);
}

/** Checks a parsed document against the runbook schema; returns every problem at once. */
export function checkSchema(value: unknown): SchemaProblem[] {
  const validate = validator();
  return validate(value) ? [] : schemaProblems(validate.errors ?? []);
}
