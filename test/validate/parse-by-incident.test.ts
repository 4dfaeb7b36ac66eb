import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MAX_ALIAS_COUNT, parseSource } from '../../src/load/load-source.js';
import { parseByIncident } from '../../src/load/parse-by-incident.js';
import { ROOT } from '../helpers/cli.js';

const { largeRunbook } = (await import(pathToFileURL(join(ROOT, 'bench/generate.mjs')).href)) as {
  largeRunbook: (incidents: number, steps: number) => string;
};

const OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true };
const byIncident = (text: string) => parseByIncident(text, OPTIONS, MAX_ALIAS_COUNT);
const whole = (text: string): unknown => parse(text, OPTIONS);

const runbooks = [
  ...readdirSync(join(ROOT, 'playbooks')).map((f) => join(ROOT, 'playbooks', f)),
  join(ROOT, 'test/fixtures/valid/minimal.yaml'),
].filter((f) => f.endsWith('.yaml'));

const HEAD = 'apiVersion: drillbook/v1\nmetadata: { name: x }\n';
const incident = (id: string, extra = '') => `  - id: ${id}\n    title: Incident ${id}\n${extra}`;

/** Texts the splitter must either parse to exactly the whole document's value, or hand back. */
const TRICKY: Record<string, string> = {
  'alias to an anchor in an earlier incident': `${HEAD}incidents:\n${incident('INC-001', '    owner: &who Ops\n')}${incident('INC-002', '    owner: *who\n')}`,
  'alias to an anchor before incidents': `${HEAD}owner: &who Ops\nincidents:\n${incident('INC-001', '    owner: *who\n')}`,
  'alias in the tail to an anchor in an incident': `${HEAD}incidents:\n${incident('INC-001', '    owner: &who Ops\n')}after: *who\n`,
  'anchor and alias inside one incident': `${HEAD}incidents:\n${incident('INC-001', '    a: &x [1, 2]\n    b: *x\n')}${incident('INC-002')}`,
  'quoted scalar with a line that looks like an item': `${HEAD}incidents:\n  - id: INC-001\n    title: "first\n  - id: fake"\n`,
  'block scalar with an item-like line': `${HEAD}incidents:\n  - id: INC-001\n    notes: |\n      - id: not an item\n  - id: INC-002\n`,
  'items at column 0': `${HEAD}incidents:\n- id: INC-001\n  title: a\n- id: INC-002\n  title: b\nafter: 1\n`,
  'comments between items and after': `${HEAD}incidents:\n# first\n${incident('INC-001')}\n  # between\n${incident('INC-002')}# end\nafter: 2\n`,
  'a flow sequence': `${HEAD}incidents: [{ id: INC-001 }]\n`,
  'incidents written twice': `${HEAD}incidents:\n${incident('INC-001')}incidents:\n${incident('INC-002')}`,
  'a second document': `${HEAD}incidents:\n${incident('INC-001')}---\nincidents:\n${incident('INC-002')}`,
  'a %YAML directive': `%YAML 1.2\n---\n${HEAD}incidents:\n${incident('INC-001')}`,
  'a custom %TAG directive': `%TAG !e! tag:example.com,2000:\n---\n${HEAD}incidents:\n${incident('INC-001', '    t: !e!x 1\n')}`,
  'a duplicate key inside an incident': `${HEAD}incidents:\n${incident('INC-001', '    title: again\n')}`,
  'a leading-zero number in an incident': `${HEAD}incidents:\n${incident('INC-001', '    code: 0012\n')}`,
  'an item less indented than the first': `${HEAD}incidents:\n    - id: INC-001\n  - id: INC-002\n`,
  'an empty sequence': `${HEAD}incidents:\nafter: 1\n`,
  'CRLF line ends': `${HEAD}incidents:\r\n  - id: INC-001\r\n    title: a\r\n  - id: INC-002\r\n`,
  'incidents inside a block scalar before the key': `${HEAD}notes: |\n  incidents:\n  - id: fake\nincidents:\n${incident('INC-001')}`,
};

describe('parsing one incident at a time', () => {
  it.each(runbooks)("gives the whole document's value for %s", (file) => {
    const text = readFileSync(file, 'utf8');
    const value = byIncident(text);
    expect(value).toBeDefined();
    expect(value).toEqual(whole(text));
  });

  it("gives the whole document's value for the 10,000-step benchmark runbook", () => {
    const text = largeRunbook(50, 200);
    const value = byIncident(text);
    expect((value?.incidents as unknown[]).length).toBe(50);
    expect(value).toEqual(whole(text));
  });

  it.each(Object.entries(TRICKY))('%s: same value as the whole document, or none', (_name, text) => {
    const value = byIncident(text);
    if (value === undefined) return;
    expect(value).toEqual(whole(text));
  });

  it('hands back every text whose pieces would not mean what the whole means', () => {
    const handedBack = [
      'alias to an anchor in an earlier incident',
      'alias to an anchor before incidents',
      'alias in the tail to an anchor in an incident',
      'quoted scalar with a line that looks like an item',
      'a flow sequence',
      'incidents written twice',
      'a second document',
      'a %YAML directive',
      'a custom %TAG directive',
      'a duplicate key inside an incident',
      'a leading-zero number in an incident',
      'an item less indented than the first',
    ];
    const split = [
      'anchor and alias inside one incident',
      'block scalar with an item-like line',
      'items at column 0',
      'comments between items and after',
      'CRLF line ends',
      'incidents inside a block scalar before the key',
    ];
    const parsed = (names: string[]) => names.filter((name) => byIncident(TRICKY[name] as string) !== undefined);
    expect(parsed(handedBack)).toEqual([]);
    expect(parsed(split)).toEqual(split);
  });

  it('still reports problems at their place: the whole document is parsed for positions', () => {
    const text = `${HEAD}incidents:\n${incident('INC-001')}${incident('INC-002', '    title: again\n')}`;
    const result = parseSource('dup.yaml', text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => [e.line, e.col, /appears twice/.test(e.message)])).toEqual([
      [8, 5, true],
    ]);

    const parsed = parseSource('ok.yaml', `${HEAD}incidents:\n${incident('INC-001')}${incident('INC-002')}`);
    expect(parsed.ok && parsed.source.at('/incidents/1/title')).toEqual({ line: 7, col: 12 });
  });
});
