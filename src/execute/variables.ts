import type { CheckSpec } from '../model/runbook.js';
import { envNameOf, renderTemplate } from '../model/template.js';

/**
 * The variables a running step sees: environment values fixed by the plan, values captured by
 * earlier steps, clock values (elapsed, eta), and secrets read from the process environment.
 */
export class RunVariables {
  readonly captured = new Map<string, string>();
  private clock: (name: string) => string | undefined = () => undefined;

  constructor(
    private readonly env: Map<string, string>,
    private readonly secretNames: readonly string[],
    private readonly processEnv: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The run's clock (elapsed, remaining, eta), read when a template asks for it, not before every step. */
  setClock(read: (name: string) => string | undefined): void {
    this.clock = read;
  }

  get(name: string): string | undefined {
    if (name.startsWith('secrets.')) {
      const secret = name.slice('secrets.'.length);
      return this.secretNames.includes(secret) ? this.processEnv[secret] : undefined;
    }
    return this.captured.get(name) ?? this.clock(name) ?? this.env.get(name);
  }

  /**
   * Environment and captured variables as a shell step sees them: db.replica -> DB_REPLICA.
   * Secrets are not exported; a step passes one explicitly with env: {NAME: "{{ secrets.NAME }}"}.
   */
  exported(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.env) out[envNameOf(k)] = v;
    for (const [k, v] of this.captured) out[envNameOf(k)] = v;
    return out;
  }

  /** A check with its templates filled; a shell command probe also gets the exported variables. */
  prepareCheck<T extends CheckSpec>(spec: T): T {
    const rendered = this.renderDeep(spec);
    if (rendered.command?.shell) rendered.command = { ...rendered.command, env: { ...this.exported(), ...rendered.command.env } };
    return rendered;
  }

  render(text: string): string {
    return renderTemplate(text, (name) => this.get(name));
  }

  /** Renders every string inside a value (check options, argument lists). */
  renderDeep<T>(value: T): T {
    if (typeof value === 'string') return this.render(value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => this.renderDeep(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.renderDeep(v)])) as T;
    }
    return value;
  }
}
