/** Attributes of an element made by `el`: strings, `true` for a bare attribute; false/undefined leave it out. */
type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

/** One element with its attributes and children; text is always a text node, never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg' as const;

/** An SVG element (the trend charts), with the same rules as `el`. */
export function svg(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  const node: SVGElement = document.createElementNS(SVG, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(node: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces an element's children. */
export function fill(node: Element, ...children: (Child | Child[])[]): void {
  node.replaceChildren();
  append(node, children);
}

export function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

export function inputById(id: string): HTMLInputElement {
  return byId(id) as HTMLInputElement;
}
