import { expect } from 'vitest';

export interface Element {
  name: string;
  attrs: Record<string, string>;
  children: Element[];
}

/** A small strict XML reader (a JUnit consumer's view): enough to prove the document is well formed and to count its elements. */
export function parseXml(xml: string): Element {
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
    const attrs = Object.fromEntries(
      [...attrText.matchAll(/([\w.:-]+)="([^"]*)"/g)].map((a) => [a[1] ?? '', a[2] ?? '']),
    );
    const element: Element = { name, attrs, children: [] };
    parent.children.push(element);
    if (!selfClose) stack.push(element);
  }
  expect(at, 'the whole document parses').toBe(body.length);
  expect(stack, 'every element is closed').toHaveLength(1);
  return root;
}

export function all(e: Element, name: string): Element[] {
  return e.children.flatMap((c) => (c.name === name ? [c, ...all(c, name)] : all(c, name)));
}
