import { describe, expect, it } from 'vitest';
import { ClockEvents, firedSoFar, type FiredSoFar } from '../../src/execute/clock-events.js';
import type { ChannelSender, Delivery } from '../../src/execute/notify/send.js';
import { RunVariables } from '../../src/execute/variables.js';
import type { EventBody, JournalEvent } from '../../src/journal/events.js';
import type { JournalWriter } from '../../src/journal/journal-writer.js';
import type { Plan, PlanComms } from '../../src/plan/plan-types.js';

class MemoryJournal implements JournalWriter {
  readonly events: JournalEvent[] = [];
  append(body: EventBody): JournalEvent {
    const event = { at: new Date().toISOString(), t: 0, ...body };
    this.events.push(event);
    return event;
  }
}

/** A sender that records what it was asked to send and delivers nothing. */
function recordingSender(): { sender: ChannelSender; sent: [string, readonly string[], string][] } {
  const sent: [string, readonly string[], string][] = [];
  const sender = {
    send(about: string, channels: readonly string[], text: string): Promise<Delivery[]> {
      sent.push([about, channels, text]);
      return Promise.resolve([]);
    },
  } as unknown as ChannelSender;
  return { sender, sent };
}

const COMMS: PlanComms = {
  escalation: [
    { level: 2, afterMs: 60_000, after: '1m', contacts: ['CTO'], action: 'war room', notify: ['chat'] },
    { level: 1, afterMs: 0, after: '0s', contacts: ['DBA'], notify: [] },
    { level: 3, afterMs: null, contacts: ['CEO'], notify: ['chat'] },
  ],
  statusUpdates: { every: '30s', everyMs: 30_000, text: '{{ incident.id }} at {{ elapsed }}', notify: ['chat'] },
  channels: {},
  smtp: null,
};

function clock(options: { executes: boolean; remindOnly?: boolean; fired?: FiredSoFar }) {
  const plan = { incident: { id: 'INC-900' }, comms: COMMS } as unknown as Plan;
  const journal = new MemoryJournal();
  const vars = new RunVariables(new Map([['incident.id', 'INC-900']]), [], {}, options.executes);
  vars.setClock((name) => (name === 'elapsed' ? 'T' : undefined));
  const { sender, sent } = recordingSender();
  const events = new ClockEvents({
    plan,
    journal,
    vars,
    sender,
    executes: options.executes,
    remindOnly: options.remindOnly ?? false,
    fired: options.fired ?? { levels: new Set(), updates: 0 },
  });
  const of = (type: string) =>
    journal.events.filter((e) => e.type === type) as (JournalEvent & Record<string, unknown>)[];
  return { events, journal, sent, of };
}

describe('timed events on the run clock', () => {
  it('fires levels in time order, once each, never a level without after, and an update per cadence', () => {
    const c = clock({ executes: true });
    c.events.due(0);
    c.events.due(59_000);
    c.events.due(61_000);
    c.events.due(61_500);
    expect(c.of('escalation').map((e) => [e.level, e.atMs])).toEqual([
      [1, 0],
      [2, 61_000],
    ]);
    expect(c.of('escalation')[1]?.line).toBe('Level 2: war room');
    expect(c.of('status-update').map((e) => [e.n, e.atMs, e.sent])).toEqual([
      [1, 59_000, true],
      [2, 61_000, true],
    ]);
    expect(c.sent.map(([about]) => about)).toEqual(['status update 1', 'escalation level 2', 'status update 2']);
  });

  it('a real run stopped through several update times sends one update, not one per missed slot', () => {
    const c = clock({ executes: true, fired: { levels: new Set([1, 2]), updates: 1 } });
    c.events.due(200_000);
    expect(c.of('escalation')).toEqual([]);
    expect(c.of('status-update').map((e) => e.n)).toEqual([2]);
    // The cadence goes on from the catch-up: the next is due at the next 30s mark of the run's clock.
    c.events.due(209_000);
    expect(c.of('status-update').map((e) => e.n)).toEqual([2]);
    c.events.due(210_000);
    expect(c.of('status-update').map((e) => [e.n, e.atMs])).toEqual([
      [2, 200_000],
      [3, 210_000],
    ]);
  });

  it('a simulation projects each event at its own time and sends nothing', () => {
    const c = clock({ executes: false });
    c.events.due(95_000);
    expect(c.of('escalation').map((e) => [e.level, e.atMs, e.projected])).toEqual([
      [1, 0, true],
      [2, 60_000, true],
    ]);
    expect(c.of('status-update').map((e) => [e.n, e.atMs])).toEqual([
      [1, 30_000],
      [2, 60_000],
      [3, 90_000],
    ]);
    expect(c.sent).toEqual([]);
  });

  it('interactive mode reminds: the update is journaled as not sent, and nothing goes out', () => {
    const c = clock({ executes: true, remindOnly: true, fired: { levels: new Set([1, 2]), updates: 0 } });
    c.events.due(31_000);
    expect(c.of('status-update').map((e) => [e.n, e.sent, e.text])).toEqual([[1, false, 'INC-900 at T']]);
    expect(c.sent).toEqual([]);
  });

  it('stops firing once halted (the incident is recovered)', async () => {
    const c = clock({ executes: true });
    c.events.due(0);
    c.events.halt();
    c.events.due(120_000);
    await c.events.stop();
    expect(c.of('escalation').map((e) => e.level)).toEqual([1]);
    expect(c.of('status-update')).toEqual([]);
  });

  it('reads what fired from a journal: levels, and the last update number', () => {
    expect(
      firedSoFar([
        { type: 'escalation', level: 1 },
        { type: 'status-update', n: 1 },
        { type: 'escalation', level: 2 },
        { type: 'status-update', n: 2 },
        { type: 'step-started' },
      ]),
    ).toEqual({ levels: new Set([1, 2]), updates: 2 });
  });
});
