-- drillbook store, version 2: the service (`drillbook serve`, issue 20). Forward-only.

-- API tokens: only the sha256 of each token is kept; the token itself is printed once by `drillbook token create`.
create table api_tokens (
  id          bigserial primary key,
  name        text not null,
  role        text not null check (role in ('viewer', 'runner', 'approver', 'admin')),
  sha256      text not null unique,
  created_at  timestamptz not null default now(),
  revoked_at  timestamptz
);

-- Every mutating API call: who (token name and role, or nobody), what (method, route, target), when, and its answer.
create table audit (
  id          bigserial primary key,
  at          timestamptz not null default now(),
  token_name  text,
  role        text,
  method      text not null,
  route       text not null,
  target      text,
  status      integer not null
);
create index audit_at on audit (at);

-- Runbooks registered with the service, by path or uploaded: workers on any host read their text from here.
create table service_runbooks (
  name           text primary key,
  path           text,
  source         text not null,
  sha256         text not null,
  registered_by  text,
  registered_at  timestamptz not null default now()
);

-- A run asked of the service: queued on pg-boss (job_id), taken by a worker, then the run id its journal got.
create table service_runs (
  id            uuid primary key,
  runbook       text not null,
  incident      text not null,
  mode          text not null,
  environment   text,
  status        text not null,
  run_id        text,
  requested_by  text not null,
  requested_at  timestamptz not null default now(),
  worker        text,
  started_at    timestamptz,
  ended_at      timestamptz,
  exit_code     integer,
  error         text
);
create index service_runs_run_id on service_runs (run_id);
