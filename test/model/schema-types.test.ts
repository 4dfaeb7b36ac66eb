import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

interface SchemaObject {
  properties?: Record<string, unknown>;
  required?: string[];
  additionalProperties?: SchemaObject | boolean;
}
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/runbook.schema.json'), 'utf8')) as SchemaObject & {
  $defs: Record<string, SchemaObject>;
};

/** Each object the schema defines, and the TypeScript type in src/model/runbook.ts that code reads it as. */
const PAIRS: Record<string, string> = {
  '#': 'Runbook',
  metadata: "Runbook['metadata']",
  objectives: "Runbook['objectives']",
  contact: "NonNullable<Runbook['contacts']>[number]",
  escalationLevel: "NonNullable<Runbook['escalation']>[number]",
  role: 'Role',
  serviceTier: "NonNullable<Runbook['service_tiers']>[number]",
  backups: "NonNullable<Runbook['backups']>",
  environment: "NonNullable<Runbook['environments']>[string]",
  checkCommand: 'CommandProbe',
  checkHttp: 'HttpProbe',
  checkTcp: 'TcpProbe',
  checkPostgres: 'PostgresProbe',
  checkRedis: 'RedisProbe',
  checkS3: 'S3Probe',
  checkFile: 'FileProbe',
  retentionPolicy: 'RetentionPolicy',
  check: 'CheckSpec',
  wait: 'WaitSpec',
  notify: 'NotifySpec',
  'capture/*': 'CaptureRule',
  when: 'WhenSpec',
  step: 'Step',
  phase: 'Phase',
  template: 'Template',
  metric: "NonNullable<Incident['metrics']>[number]",
  tabletop: 'Tabletop',
  incident: 'Incident',
  checklist: 'Checklist',
};

function schemaObject(name: string): SchemaObject {
  if (name === '#') return schema;
  const [def = '', star] = name.split('/');
  const found = schema.$defs[def];
  if (!found) throw new Error(`schema has no $defs.${def}`);
  return star ? (found.additionalProperties as SchemaObject) : found;
}

/** Every property of each paired TypeScript type, and whether it is optional, read with the compiler. */
function typeProperties(): Map<string, Map<string, boolean>> {
  const dir = mkdtempSync(join(tmpdir(), 'drillbook-types-'));
  const file = join(dir, 'pairs.ts');
  const names = Object.keys(PAIRS);
  writeFileSync(
    file,
    [
      `import type { ${['Runbook', 'Role', 'CommandProbe', 'HttpProbe', 'TcpProbe', 'PostgresProbe', 'RedisProbe', 'S3Probe', 'FileProbe', 'RetentionPolicy', 'CheckSpec', 'WaitSpec', 'NotifySpec', 'CaptureRule', 'WhenSpec', 'Step', 'Phase', 'Template', 'Incident', 'Tabletop', 'Checklist'].join(', ')} } from ${JSON.stringify(join(ROOT, 'src/model/runbook.js'))};`,
      ...names.map((n, i) => `export type T${i} = ${PAIRS[n] ?? ''};`),
    ].join('\n'),
  );
  const program = ts.createProgram([file], {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error('no source');
  const out = new Map<string, Map<string, boolean>>();
  source.statements.filter(ts.isTypeAliasDeclaration).forEach((decl, i) => {
    const type = checker.getTypeAtLocation(decl.name);
    out.set(
      names[i] ?? '',
      new Map(type.getApparentProperties().map((p) => [p.name, (p.flags & ts.SymbolFlags.Optional) !== 0])),
    );
  });
  return out;
}

describe('the schema and the model types agree, both ways', () => {
  const types = typeProperties();
  for (const [def, typeName] of Object.entries(PAIRS)) {
    it(`${def} = ${typeName}`, () => {
      const object = schemaObject(def);
      const props = types.get(def) ?? new Map<string, boolean>();
      expect(props.size, `${typeName} resolved to no properties`).toBeGreaterThan(0);
      const required = new Set(object.required ?? []);
      const fromSchema = Object.keys(object.properties ?? {})
        .sort()
        .map((k) => `${k}${required.has(k) ? '' : '?'}`);
      const fromType = [...props]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, optional]) => `${k}${optional ? '?' : ''}`);
      expect(fromType).toEqual(fromSchema);
    });
  }
});
