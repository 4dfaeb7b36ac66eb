import { describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { journalEvents, onlyRunDir, runFixture, workspace } from '../helpers/runs.js';

interface Element { name: string; attrs: Record<string, string>; children: Element[] }

/** A small strict XML reader: enough to prove the document is well formed and to count its elements. */
function parseXml(xml: string): Element {
  const root: Element = { name: '#root', attrs: {}, children: [] };
  const stack = [root];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const tag = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = tag.exec(body)) !== null) {
    at = tag.lastIndex;
    if (m[5] !== undefined) {
      expect(m[5], 'text must not hold a raw & or >').not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
      continue;
    }
    const [, close, name = '', attrText = '', selfClose] = m;
    const parent = stack[stack.length - 1] as Element;
    if (close) {
      expect(parent.name, `</${name}> closes <${parent.name}>`).toBe(name);
      stack.pop();
      continue;
    }
    const attrs = Object.fromEntries([...attrText.matchAll(/([\w.:-]+)="([^"]*)"/g)].map((a) => [a[1] ?? '', a[2] ?? '']));
    const element: Element = { name, attrs, children: [] };
    parent.children.push(element);
    if (!selfClose) stack.push(element);
  }
  expect(at, 'the whole document parses').toBe(body.length);
  expect(stack, 'every element is closed').toHaveLength(1);
  return root;
}

function all(e: Element, name: string): Element[] {
  return e.children.flatMap((c) => (c.name === name ? [c, ...all(c, name)] : all(c, name)));
}

/** What the journal says about a run's steps: last status of each started step, and the planned steps never started. */
function journalCounts(runDir: string): { steps: number; failed: number; skipped: number } {
  const events = journalEvents(runDir);
  const status = new Map<string, string>();
  for (const e of events) if (e.type === 'step-finished') status.set(e.step as string, (e.result as { status: string }).status);
  for (const e of events) if (e.type === 'step-started' && !status.has(e.step as string)) status.set(e.step as string, 'unknown');
  const planned = (events[0]?.phases as { steps: string[] }[]).flatMap((p) => p.steps).filter((id) => !status.has(id));
  const values = [...status.values()];
  return {
    steps: values.length + planned.length,
    failed: values.filter((s) => ['failed', 'timed-out', 'unknown'].includes(s)).length,
    skipped: values.filter((s) => s === 'skipped').length + planned.length,
  };
}

describe('drillbook report --format junit', () => {
  it.each([
    ['INC-101', 0, 'recovers (one step skipped by its condition)', ''],
    ['INC-102', 1, 'fails, one step never reached', 'not reached: the run stopped before this step'],
    ['INC-103', 1, 'fails and rolls back', 'not reached: the run stopped before this step'],
    ['INC-105', 1, 'times out', ''],
  ])('%s: testsuite counts match the journal when the run %s', (incident, exitCode, _what, notReached) => {
    const ws = workspace();
    expect(runFixture(ws, incident, ['--mode', 'auto']).status).toBe(exitCode);
    const r = drillbook(['report', 'latest', '--format', 'junit'], { env: { DRILLBOOK_HOME: ws.home } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const doc = parseXml(r.stdout);
    const [suites] = all(doc, 'testsuites');
    const [suite] = all(doc, 'testsuite');
    const cases = all(doc, 'testcase');
    const failures = cases.filter((c) => c.children.some((x) => x.name === 'failure'));
    const skipped = cases.filter((c) => c.children.some((x) => x.name === 'skipped'));
    const expected = journalCounts(onlyRunDir(ws));
    expect(cases).toHaveLength(expected.steps);
    expect(failures).toHaveLength(expected.failed);
    expect(skipped).toHaveLength(expected.skipped);
    for (const element of [suites, suite]) {
      expect(element?.attrs).toMatchObject({ tests: String(cases.length), failures: String(failures.length), skipped: String(skipped.length), errors: '0' });
    }
    expect(suite?.attrs.name).toMatch(new RegExp(`^${incident} `));
    for (const c of cases) {
      expect(c.attrs.classname).toMatch(new RegExp(`^${incident}\\.`));
      expect(Number(c.attrs.time)).toBeGreaterThanOrEqual(0);
    }
    expect(failures.map((c) => c.children[0]?.attrs.message ?? '').every((m) => /^(failed|timed-out|unknown)/.test(m))).toBe(true);
    expect(skipped.some((c) => c.children[0]?.attrs.message === notReached)).toBe(notReached !== '');
  });
});
