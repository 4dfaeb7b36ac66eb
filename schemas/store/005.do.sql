-- drillbook store, version 5: tabletop sessions (issue 21, seed 004's tabletop exercise). Forward-only.

-- A tabletop session: its record is a journal (events under run_id = id, shipped like a run's); this row is
-- the session's live state. The exercise clock reads clock_offset_ms plus, while it runs, the time since
-- clock_since; a paused clock has clock_since null. Advancing the clock adds to clock_offset_ms.
create table tabletop_sessions (
  id               text primary key,
  runbook          text not null,
  runbook_sha256   text not null,
  incident         text not null,
  facilitator      text not null,
  started_at       timestamptz not null default now(),
  ended_at         timestamptz,
  clock_offset_ms  bigint not null default 0,
  clock_since      timestamptz,
  events_seen      integer not null default 0
);
create index tabletop_sessions_started on tabletop_sessions (started_at);
