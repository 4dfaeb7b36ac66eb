-- drillbook store, version 1. Forward-only: a later change is a new numbered file, never an edit of this one.
-- Every run's local JSONL journal is the source; these tables are its mirror, rebuilt from journals at any time.

-- A runbook as it was when a run used it: the same sha256 is the same text.
create table runbooks (
  sha256      text primary key,
  name        text not null,
  version     text not null,
  file        text not null,
  source      text,
  first_seen  timestamptz not null default now()
);

-- One row per run: who, where from, and the single verdict (src/verdict) as history reads it.
create table runs (
  id              text primary key,
  runbook         text not null,
  runbook_version text not null,
  runbook_sha256  text not null,
  incident        text not null,
  incident_title  text not null,
  severity        text not null,
  mode            text not null,
  environment     text not null,
  operator        text not null,
  origin_host     text,
  origin_user     text,
  origin_ci       jsonb,
  started_at      timestamptz not null,
  ended_at        timestamptz,
  duration_ms     bigint not null,
  outcome         text not null,
  exit_code       integer,
  simulated       boolean not null,
  succeeded       boolean not null,
  verdict         text not null,
  reason          text,
  ttr_ms          double precision,
  rto_target_ms   double precision not null,
  rto_met         boolean,
  rpo_target_ms   double precision,
  rpo_ms          double precision,
  rpo_met         boolean,
  -- How many journal events the verdict columns were computed from: an older summary never overwrites a newer one.
  events_seen     integer not null,
  updated_at      timestamptz not null default now()
);
create index runs_incident_started on runs (incident, started_at);
create index runs_started on runs (started_at);

-- Every journal line, keyed by its line number: shipping twice stores it once.
create table events (
  run_id   text not null,
  seq      integer not null,
  type     text not null,
  at       timestamptz not null,
  t_ms     double precision not null,
  payload  jsonb not null,
  primary key (run_id, seq)
);

-- Each step-finished event's result, for queries that do not want to read payloads.
create table step_results (
  run_id       text not null,
  seq          integer not null,
  step         text not null,
  title        text not null,
  kind         text not null,
  section      text not null,
  phase        text,
  status       text not null,
  started_at   timestamptz,
  duration_ms  double precision not null,
  exit_code    integer,
  error        text,
  primary key (run_id, seq)
);
create index step_results_step on step_results (step);

-- Metrics a runbook's record: lists asked for (seed 002's test_metrics).
create table metrics (
  run_id       text not null,
  seq          integer not null,
  step         text not null,
  name         text not null,
  value        text not null,
  recorded_by  text not null,
  at           timestamptz not null,
  primary key (run_id, seq)
);

-- Room for the service's schedules (seed 002's test_schedules); the CLI does not write it yet.
create table schedules (
  id           bigserial primary key,
  runbook      text not null,
  incident     text not null,
  mode         text not null default 'auto',
  environment  text,
  cron         text not null,
  enabled      boolean not null default true,
  next_run_at  timestamptz,
  last_run_id  text,
  created_by   text,
  created_at   timestamptz not null default now()
);
