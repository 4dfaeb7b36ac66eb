import { mapStrings } from '../model/map-strings.js';
import type { CheckSpec } from '../model/runbook.js';
import { envNameOf, renderTemplate } from '../model/template.js';
import type { Plan } from '../plan/plan-types.js';
import { incidentValues } from '../resolve/builtin-values.js';

/** Who runs and since when: the run.* built-ins. */
export interface RunIdentity {
  id: string;
  operator: string;
  /** ISO time the run first started (a resumed run keeps it). */
  started: string;
}

/** A template names a value that has none yet (a capture that never happened): the step fails, it never gets raw braces. */
export class UnfilledValueError extends Error {
  override name = 'UnfilledValueError';
  constructor(readonly names: string[]) {
    super(
      `no value for ${names.map((n) => `{{ ${n} }}`).join(', ')}${names.some((n) => n.startsWith('secrets.')) ? '' : ' (captured by a step that did not run?)'}`,
    );
  }
}

/** How a value that cannot be known yet is shown (simulate, step cards): visible, never raw braces. */
export function placeholder(name: string): string {
  return `‹${name}›`;
}

/**
 * The one source of every value a template can name: the environment's variables (with --var),
 * the incident's built-ins, the run's identity, the current phase, the clock, values captured by
 * earlier steps, and secrets from the process environment. The plan keeps templates as written;
 * each is filled here exactly once, when it is used, so a value that itself contains {{ … }} is data.
 */
export class RunVariables {
  readonly captured = new Map<string, string>();
  private clock: (name: string) => string | undefined = () => undefined;
  private readonly builtins = new Map<string, string>();

  constructor(
    private readonly env: Map<string, string>,
    private readonly secretNames: readonly string[],
    private readonly processEnv: NodeJS.ProcessEnv = process.env,
    /** Simulate mode: nothing runs, so a value not known yet is shown as a placeholder instead of failing the step. */
    readonly executes = true,
  ) {}

  static forPlan(plan: Plan, options: { executes: boolean; processEnv?: NodeJS.ProcessEnv }): RunVariables {
    const vars = new RunVariables(
      new Map(Object.entries(plan.variables)),
      plan.secrets,
      options.processEnv ?? process.env,
      options.executes,
    );
    for (const [name, value] of incidentValues(
      { ...plan.incident, rpo: plan.incident.rpo ?? 'none' },
      plan.environment,
    ))
      vars.builtins.set(name, value);
    return vars;
  }

  setRun(run: RunIdentity): void {
    this.builtins.set('run.id', run.id);
    this.builtins.set('run.operator', run.operator);
    this.builtins.set('run.started', run.started);
  }

  /** The phase (or section: rollback, always, cleanup) the walk is in. */
  setPhase(id: string, title: string): void {
    this.builtins.set('phase.id', id);
    this.builtins.set('phase.title', title);
  }

  /** The step the walk is at: what a status update sent meanwhile names. */
  setStep(id: string, title: string): void {
    this.builtins.set('step.id', id);
    this.builtins.set('step.title', title);
  }

  /** The run's clock (elapsed, remaining, eta), read when a template asks for it, not before every step. */
  setClock(read: (name: string) => string | undefined): void {
    this.clock = read;
  }

  get(name: string): string | undefined {
    if (name.startsWith('secrets.')) {
      const secret = name.slice('secrets.'.length);
      // Set but empty is a value (a service that takes no password); unset is not.
      return this.secretNames.includes(secret) ? this.processEnv[secret] : undefined;
    }
    return this.captured.get(name) ?? this.builtins.get(name) ?? this.clock(name) ?? this.env.get(name);
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
    if (rendered.command?.shell)
      rendered.command = { ...rendered.command, env: { ...this.exported(), ...rendered.command.env } };
    return rendered;
  }

  /** Fills a template for use. Running: a name without a value throws. Simulating: it becomes a placeholder. */
  render(text: string): string {
    const missing: string[] = [];
    const out = renderTemplate(text, (name) => {
      if (!this.executes && name.startsWith('secrets.')) return placeholder(name);
      const value = this.get(name);
      if (value !== undefined) return value;
      if (!this.executes) return placeholder(name);
      missing.push(name);
      return undefined;
    });
    if (missing.length > 0) throw new UnfilledValueError(missing);
    return out;
  }

  /** Fills a template for a person to read: secrets as ***, values not known yet as placeholders. */
  display(text: string): string {
    return renderTemplate(text, (name) =>
      name.startsWith('secrets.') ? '***' : (this.get(name) ?? placeholder(name)),
    );
  }

  /** Renders every string inside a value (check options, argument lists). */
  renderDeep<T>(value: T): T {
    return mapStrings(value, (text) => this.render(text));
  }

  displayDeep<T>(value: T): T {
    return mapStrings(value, (text) => this.display(text));
  }
}
