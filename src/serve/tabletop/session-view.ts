import { blockAt, type SessionRecord } from '../../render/tabletop/session-record.js';
import type { SessionRow } from './sessions.js';

/** A session as the API answers it and the room shows it: the plan, the clock, what reached the room so far. */
export interface SessionView {
  id: string;
  runbook: { name: string; version: string; sha256: string };
  incident: SessionRecord['started']['incident'];
  facilitator: string;
  startedAt: string;
  endedAt: string | null;
  clock: { ms: number; running: boolean; sessionMs: number };
  scenario: string;
  triggers: string[];
  objectives: string[];
  /** Asked in every phase. */
  standing: string[];
  blocks: SessionRecord['started']['plan']['blocks'];
  /** Index in `blocks` of the block the clock is in. */
  current: number;
  /** Only the injects delivered: the room learns an inject's text when the clock reaches it. */
  injects: { n: number; atMs: number; phase: string | null; text: string; deliveredAtMs: number }[];
  next: { n: number; atMs: number } | null;
  injectsPlanned: number;
  decisions: { clockMs: number; phase: string | null; text: string; by: string }[];
  gaps: { clockMs: number; phase: string | null; text: string; by: string }[];
  actions: { clockMs: number; phase: string | null; text: string; owner: string; due: string | null; by: string }[];
}

export function sessionView(row: SessionRow, record: SessionRecord, clock: number): SessionView {
  const { plan } = record.started;
  const delivered = new Set(record.injects.map((e) => e.n));
  const next = plan.injects.find((inj) => !delivered.has(inj.n));
  const item = (e: { clockMs: number; phase: string | null; text: string; by: string }) => ({
    clockMs: e.clockMs,
    phase: e.phase,
    text: e.text,
    by: e.by,
  });
  const current = blockAt(plan, clock);
  return {
    id: row.id,
    runbook: record.started.runbook,
    incident: record.started.incident,
    facilitator: row.facilitator,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    clock: { ms: clock, running: row.clock_since !== null && row.ended_at === null, sessionMs: plan.sessionMs },
    scenario: plan.scenario,
    triggers: plan.triggers,
    objectives: plan.objectives,
    standing: plan.standing,
    blocks: plan.blocks,
    current: current ? plan.blocks.indexOf(current) : -1,
    injects: record.injects.map((e) => ({
      n: e.n,
      atMs: e.atMs,
      phase: e.phase,
      text: e.text,
      deliveredAtMs: e.clockMs,
    })),
    next: next && row.ended_at === null ? { n: next.n, atMs: next.atMs } : null,
    injectsPlanned: plan.injects.length,
    decisions: record.decisions.map(item),
    gaps: record.gaps.map(item),
    actions: record.actions.map((e) => ({ ...item(e), owner: e.owner, due: e.due ?? null })),
  };
}
