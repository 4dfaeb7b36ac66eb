// Types of runbook-validator.js, which scripts/build-validator.mjs generates from
// schemas/runbook.schema.json on every build (the .js is not committed).
import type { Options, ValidateFunction } from 'ajv';

/** The schema compiled by ajv: the same function, and the same error objects, as ajv.compile(schema). */
export declare const validate: ValidateFunction;
export default validate;
/** sha256 of the schema file the validator was generated from. */
export declare const schemaSha256: string;
/** The ajv options it was compiled with. */
export declare const ajvOptions: Options;
