-- drillbook store, version 3: the service's schedules and alerts (`drillbook serve`, issue 20). Forward-only.

-- The schedules table of version 1 was room kept for this; it becomes the service's: a cron expression in a time
-- zone fires a run of one incident (pg-boss's cron does the firing, one pg-boss schedule per row).
alter table schedules
  add column tz              text not null default 'UTC',
  add column vars            jsonb not null default '{}',
  add column updated_at      timestamptz not null default now(),
  add column last_run_at     timestamptz,
  add column last_request_id uuid,
  add column last_error      text;
alter table schedules drop column next_run_at;
alter table schedules drop column last_run_id;

-- A run the service queued because a schedule fired (null: asked for through POST /api/runs), and when the
-- alert check looked at its end (null: not yet; a run is judged for alerts once).
alter table service_runs
  add column schedule_id      bigint,
  add column alert_checked_at timestamptz;
create index service_runs_schedule on service_runs (schedule_id, requested_at);
create index service_runs_alert_pending on service_runs (ended_at) where schedule_id is not null and alert_checked_at is null;

-- Every alert raised: a scheduled run that failed, was interrupted or breached, or an incident overdue for a drill.
-- The dedupe key makes it once per run (run:<request id>) and once per incident per overdue period.
create table alerts (
  id          bigserial primary key,
  kind        text not null check (kind in ('failed', 'breached', 'overdue')),
  request_id  uuid,
  run_id      text,
  incident    text,
  dedupe_key  text not null unique,
  summary     text not null,
  delivered   boolean not null default false,
  attempts    integer not null default 0,
  -- Per webhook (its URL masked): delivered or not, tries, the last error.
  deliveries  jsonb not null default '[]',
  error       text,
  created_at  timestamptz not null default now()
);
create index alerts_created on alerts (created_at);
