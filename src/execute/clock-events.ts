import type { JournalWriter } from '../journal/journal-writer.js';
import { escalationLine } from '../plan/plan-comms.js';
import type { Plan, PlanEscalationLevel } from '../plan/plan-types.js';
import type { ChannelSender } from './notify/send.js';
import type { RunVariables } from './variables.js';

const TICK_MS = 250;

/** What a journal says has fired already: a resumed run fires no level twice and numbers its updates on. */
export interface FiredSoFar {
  levels: ReadonlySet<number>;
  updates: number;
}

export interface ClockEventsInput {
  plan: Plan;
  journal: JournalWriter;
  vars: RunVariables;
  sender: ChannelSender;
  /** Simulate: events are projected on the timeline, nothing is sent. */
  executes: boolean;
  /** Interactive: a status update due reminds the responder; auto sends it from the template. */
  remindOnly: boolean;
  fired: FiredSoFar;
}

/**
 * Timed events on the run's clock (elapsed since the run first started, kept over a resume): escalation levels
 * fire when the clock passes their `after`, status updates every `every`. A real run checks on a short tick
 * beside the steps; a simulation is told the projected clock after each step. Each event is journaled before
 * anything is sent, so the journal is what fired; stop() ends the clock once the incident is recovered.
 */
export class ClockEvents {
  private readonly levels: PlanEscalationLevel[];
  /** Status updates so far (numbered on over a resume), and when the next is due on the run's clock. */
  private updates: number;
  private nextUpdateMs: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly sending = new Set<Promise<unknown>>();

  constructor(private readonly input: ClockEventsInput) {
    this.levels = input.plan.comms.escalation
      .filter((l) => l.afterMs !== null && !input.fired.levels.has(l.level))
      .sort((a, b) => (a.afterMs ?? 0) - (b.afterMs ?? 0));
    this.updates = input.fired.updates;
    this.nextUpdateMs = (this.updates + 1) * (input.plan.comms.statusUpdates?.everyMs ?? 0);
  }

  /** Real runs: the clock starts ticking (and fires what is due already: level 1 at 0s, levels passed while stopped). */
  start(elapsed: () => number): void {
    this.due(elapsed());
    if (!this.input.executes) return;
    this.timer = setInterval(() => {
      this.due(elapsed());
    }, TICK_MS);
    this.timer.unref();
  }

  /** Fires every event due at `atMs` on the run's clock. */
  due(atMs: number): void {
    if (this.stopped) return;
    while (this.levels.length > 0 && (this.levels[0]?.afterMs ?? 0) <= atMs) {
      const level = this.levels.shift();
      if (level) this.escalate(level, this.input.executes ? atMs : (level.afterMs ?? 0));
    }
    const cadence = this.input.plan.comms.statusUpdates;
    if (!cadence || cadence.everyMs <= 0) return;
    while (this.nextUpdateMs <= atMs) {
      const dueMs = this.nextUpdateMs;
      this.updates += 1;
      // A real run that was stopped for a while sends one update now, not every one it missed.
      this.nextUpdateMs = this.input.executes
        ? (Math.floor(atMs / cadence.everyMs) + 1) * cadence.everyMs
        : dueMs + cadence.everyMs;
      this.statusUpdate(this.updates, this.input.executes ? atMs : dueMs);
    }
  }

  /** The incident is recovered: nothing more fires (messages under way still go). */
  halt(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** The run is over: nothing more fires, and the messages under way are delivered (and journaled) first. */
  async stop(): Promise<void> {
    this.halt();
    await Promise.all([...this.sending]);
  }

  private escalate(level: PlanEscalationLevel, atMs: number): void {
    const { journal, executes, vars } = this.input;
    const line = escalationLine(level);
    // A simulation names the channels a level would reach; it sends nothing.
    const channels = level.notify;
    journal.append(
      {
        type: 'escalation',
        level: level.level,
        atMs,
        line,
        contacts: level.contacts,
        channels,
        ...(executes ? {} : { projected: true }),
      },
      { durable: true },
    );
    if (!executes || channels.length === 0) return;
    const text = level.message
      ? fill(vars, level.message)
      : `[${this.input.plan.incident.id}] ${line}\nContacts: ${level.contacts.join(', ')}${level.when ? `\n${level.when}` : ''}`;
    this.track(this.input.sender.send(`escalation level ${level.level}`, channels, text));
  }

  private statusUpdate(n: number, atMs: number): void {
    const { journal, executes, remindOnly, vars, plan } = this.input;
    const cadence = plan.comms.statusUpdates;
    if (!cadence) return;
    const sent = executes && !remindOnly;
    const channels = cadence.notify;
    const text = executes ? fill(vars, cadence.text) : vars.display(cadence.text);
    journal.append(
      { type: 'status-update', n, atMs, text, sent, channels, ...(executes ? {} : { projected: true }) },
      { durable: true },
    );
    if (sent && channels.length > 0) this.track(this.input.sender.send(`status update ${n}`, channels, text));
  }

  private track(sending: Promise<unknown>): void {
    const p = sending.catch(() => undefined).finally(() => this.sending.delete(p));
    this.sending.add(p);
  }
}

/** A template filled for sending; a value not known yet (a capture still ahead) shows as a placeholder, not a failure. */
function fill(vars: RunVariables, text: string): string {
  try {
    return vars.render(text);
  } catch {
    return vars.display(text);
  }
}

/** What fired before a resume, from the journal's events. */
export function firedSoFar(
  events: readonly { type: string; level?: number; n?: number; projected?: boolean }[],
): FiredSoFar {
  const levels = new Set<number>();
  let updates = 0;
  for (const e of events) {
    if (e.type === 'escalation' && typeof e.level === 'number') levels.add(e.level);
    if (e.type === 'status-update' && typeof e.n === 'number') updates = Math.max(updates, e.n);
  }
  return { levels, updates };
}
