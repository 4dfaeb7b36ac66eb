-- drillbook store, version 4: two-person approvals (issue 20). Forward-only.

-- A run's request for a second person's decision before a step runs. The run inserts it (pending), the API or
-- `drillbook approve` decides it (granted/denied), the run itself expires it at the deadline (timed-out) or
-- withdraws it when it stops while waiting (withdrawn). Only a pending row is ever decided: the first wins.
create table approvals (
  id            uuid primary key,
  run_id        text not null,
  incident      text not null,
  runbook       text not null,
  step          text not null,
  step_title    text not null,
  command       text not null,
  why           text not null,
  approvers     text[] not null default '{}',
  requested_by  text not null,
  requested_at  timestamptz not null,
  deadline      timestamptz not null,
  status        text not null default 'pending'
                check (status in ('pending', 'granted', 'denied', 'timed-out', 'withdrawn')),
  decided_by    text,
  decided_at    timestamptz,
  comment       text
);
create index approvals_run on approvals (run_id, step, requested_at);
create index approvals_pending on approvals (status, requested_at);
