/**
 * A piece of a secret at the edge of cut text (the start of a tail, the end of a head) is masked when it is at
 * least this long. Shorter pieces carry too little of the secret to tell it from ordinary text (docs/running.md).
 */
export const MIN_SECRET_FRAGMENT = 4;

/** Shorter values are not masked: "***" in place of every "ab" would make output unreadable. */
const MIN_SECRET_LENGTH = 3;

/**
 * Replaces secret values with *** in everything drillbook writes or prints: the value as it is, and the forms it
 * takes when a message quotes or encodes it (shell single quotes, JSON strings, URL encoding).
 */
export class SecretMasker {
  /** The names of the runbook's secrets (environment variables), set or not. */
  readonly names: readonly string[];
  /** Every written form of every secret, longest first, so that a secret containing another is masked whole. */
  private readonly forms: string[];
  private readonly pattern: RegExp | undefined;

  constructor(names: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    this.names = [...names];
    const values = names
      .map((n) => env[n])
      .filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH);
    this.forms = [...new Set(values.flatMap(writtenForms))]
      .filter((f) => f.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
    this.pattern = this.forms.length > 0 ? new RegExp(this.forms.map(escapeRegExp).join('|'), 'g') : undefined;
  }

  /** The longest written form in UTF-8 bytes: a cut that keeps this many bytes more can mask before it cuts. */
  get longestFormBytes(): number {
    return this.forms.reduce((n, f) => Math.max(n, Buffer.byteLength(f)), 0);
  }

  mask(text: string): string {
    return this.pattern ? text.replace(this.pattern, '***') : text;
  }

  /**
   * Masks text that was cut from something longer: whole secrets, and also a piece at a cut edge that is the end
   * (at `start`) or the beginning (at `end`) of a secret, MIN_SECRET_FRAGMENT characters or longer.
   */
  maskCut(text: string, edges: { start?: boolean; end?: boolean }): string {
    let out = this.mask(text);
    if (edges.start) {
      const n = this.longestEdgePiece(out, (form, k) => form.endsWith(out.slice(0, k)));
      if (n > 0) out = `***${out.slice(n)}`;
    }
    if (edges.end) {
      const n = this.longestEdgePiece(out, (form, k) => form.startsWith(out.slice(out.length - k)));
      if (n > 0) out = `${out.slice(0, out.length - n)}***`;
    }
    return out;
  }

  /** At most `max` characters of text, masked before it is cut; `marker` (counted in `max`) shows the cut. */
  head(text: string, max: number, marker = ''): string {
    const masked = this.mask(text);
    if (masked.length <= max) return masked;
    return `${this.maskCut(masked.slice(0, Math.max(0, max - marker.length)), { end: true })}${marker}`;
  }

  /** Masks every string inside a JSON-like value. */
  maskDeep<T>(value: T): T {
    if (this.forms.length === 0) return value;
    if (typeof value === 'string') return this.mask(value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => this.maskDeep(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.maskDeep(v)])) as T;
    }
    return value;
  }

  /** The length of the longest edge piece (>= MIN_SECRET_FRAGMENT) that `matches` a form, or 0. */
  private longestEdgePiece(text: string, matches: (form: string, k: number) => boolean): number {
    for (let k = Math.min(text.length, this.forms[0]?.length ?? 0); k >= MIN_SECRET_FRAGMENT; k -= 1) {
      if (this.forms.some((form) => form.length > k && matches(form, k))) return k;
    }
    return 0;
  }
}

/** A secret as it appears when printed plainly, inside shell single quotes, in a JSON string or URL-encoded. */
function writtenForms(value: string): string[] {
  const uri = encodeURIComponent(value);
  return [
    value,
    value.replaceAll("'", "'\\''"),
    JSON.stringify(value).slice(1, -1),
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    new URLSearchParams({ v: value }).toString().slice(2),
    encodeURI(value),
  ];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
