/** Replaces secret values with *** in everything drillbook writes or prints. */
export class SecretMasker {
  private readonly values: string[];

  constructor(names: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    // Longest first, so a secret that contains another is masked whole.
    this.values = names
      .map((n) => env[n])
      .filter((v): v is string => typeof v === 'string' && v.length >= 3)
      .sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let out = text;
    for (const value of this.values) out = out.split(value).join('***');
    return out;
  }

  /** Masks every string inside a JSON-like value. */
  maskDeep<T>(value: T): T {
    if (this.values.length === 0) return value;
    if (typeof value === 'string') return this.mask(value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => this.maskDeep(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.maskDeep(v)])) as T;
    }
    return value;
  }
}
