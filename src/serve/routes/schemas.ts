/** JSON Schemas shared by the routes (and so by /openapi.json). */
export const ERROR = {
  type: 'object',
  properties: { error: { type: 'string' } },
  required: ['error'],
} as const;

export const ID_PARAMS = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
  required: ['id'],
  additionalProperties: false,
} as const;

/** A free-form JSON object answer (a report, a run row): documented as an object, not filtered. */
export const ANY_OBJECT = { type: 'object', additionalProperties: true } as const;

export const MODES = ['simulate', 'auto'] as const;

export const NAME = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** A run's variables (`--var k=v`): names as the runbook's, values as text. */
export const RUN_VARS = {
  type: 'object',
  maxProperties: 100,
  propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', maxLength: 100 },
  additionalProperties: { type: 'string', maxLength: 4096 },
} as const;

/** The `?format=` of a report route: one of the formats it renders. */
export function formatQuery(formats: string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: { format: { type: 'string', enum: formats } },
    additionalProperties: false,
  };
}
