import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { schemaProblems, type SchemaProblem } from './schema-errors.js';

export const SCHEMA_URL = new URL('../../schemas/runbook.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as object;
    // strictRequired is off: oneOf branches name the step kind they require without redefining it.
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** Checks a parsed document against the runbook schema; returns every problem at once. */
export function checkSchema(value: unknown): SchemaProblem[] {
  const validate = validator();
  return validate(value) ? [] : schemaProblems(validate.errors ?? []);
}
