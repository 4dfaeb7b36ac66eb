import type { FastifyInstance } from 'fastify';
import { HttpError, type ServiceContext } from '../context.js';
import { checkRunnable } from '../queue-run.js';
import { checkCron } from '../schedules/cron.js';
import { fireSchedule } from '../schedules/fire.js';
import {
  deleteSchedule,
  findSchedule,
  insertSchedule,
  listSchedules,
  updateSchedule,
  type Schedule,
  type ScheduleFields,
} from '../schedules/schedule-store.js';
import { ANY_OBJECT, ID_PARAMS, MODES, NAME, RUN_VARS } from './schemas.js';

const FIELDS = {
  runbook: NAME,
  incident: NAME,
  mode: { type: 'string', enum: MODES },
  environment: { type: ['string', 'null'], minLength: 1, maxLength: 200 },
  vars: RUN_VARS,
  cron: { type: 'string', minLength: 1, maxLength: 200, description: '5 fields: minute hour day month weekday' },
  tz: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone (default UTC)' },
  enabled: { type: 'boolean' },
} as const;

const CREATE_BODY = {
  type: 'object',
  properties: FIELDS,
  required: ['runbook', 'incident', 'mode', 'cron'],
  additionalProperties: false,
} as const;

/** PUT changes the fields it names; the others stay as they are. */
const UPDATE_BODY = { type: 'object', properties: FIELDS, minProperties: 1, additionalProperties: false } as const;

type Body = Partial<ScheduleFields>;
type CreateBody = Body & Pick<ScheduleFields, 'runbook' | 'incident' | 'mode' | 'cron'>;
const runner = { role: 'runner' } as const;
const viewer = { role: 'viewer' } as const;

export function registerScheduleRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  createRoute(app, ctx);
  app.get(
    '/api/schedules',
    { config: viewer, schema: { summary: 'schedules, with last and next run', response: { 200: ANY_OBJECT } } },
    async () => ({ schedules: await listSchedules(ctx.pool) }),
  );
  app.get<{ Params: { id: string } }>(
    '/api/schedules/:id',
    { config: viewer, schema: { summary: 'a schedule', params: ID_PARAMS, response: { 200: ANY_OBJECT } } },
    async (request) => existing(ctx, request.params.id),
  );
  updateRoute(app, ctx);
  deleteRoute(app, ctx);
  fireRoute(app, ctx);
}

function createRoute(app: FastifyInstance, ctx: ServiceContext): void {
  app.post<{ Body: CreateBody }>(
    '/api/schedules',
    {
      config: runner,
      bodyLimit: 64 * 1024,
      schema: {
        summary: 'schedule runs of an incident on a cron in a time zone (pg-boss fires them)',
        body: CREATE_BODY,
        response: { 201: ANY_OBJECT },
      },
    },
    async (request, reply) => {
      const fields = await checked(ctx, { environment: null, vars: {}, tz: 'UTC', enabled: true, ...request.body });
      const id = await insertSchedule(ctx.pool, fields, request.caller?.name ?? 'unknown');
      await ctx.scheduler?.sync(id);
      return reply.code(201).send(await existing(ctx, String(id)));
    },
  );
}

function updateRoute(app: FastifyInstance, ctx: ServiceContext): void {
  app.put<{ Params: { id: string }; Body: Body }>(
    '/api/schedules/:id',
    {
      config: runner,
      bodyLimit: 64 * 1024,
      schema: {
        summary: 'change a schedule (the fields given; enabled: false pauses it)',
        params: ID_PARAMS,
        body: UPDATE_BODY,
        response: { 200: ANY_OBJECT },
      },
    },
    async (request) => {
      const before = await existing(ctx, request.params.id);
      const fields = await checked(ctx, { ...fieldsOf(before), ...request.body });
      await updateSchedule(ctx.pool, before.id, fields);
      await ctx.scheduler?.sync(before.id);
      return existing(ctx, request.params.id);
    },
  );
}

function deleteRoute(app: FastifyInstance, ctx: ServiceContext): void {
  app.delete<{ Params: { id: string } }>(
    '/api/schedules/:id',
    {
      config: runner,
      schema: { summary: 'delete a schedule (its runs stay)', params: ID_PARAMS, response: { 200: ANY_OBJECT } },
    },
    async (request) => {
      const { id } = await existing(ctx, request.params.id);
      await deleteSchedule(ctx.pool, id);
      await ctx.scheduler?.sync(id);
      return { id, deleted: true };
    },
  );
}

function fireRoute(app: FastifyInstance, ctx: ServiceContext): void {
  app.post<{ Params: { id: string } }>(
    '/api/schedules/:id/run',
    {
      config: runner,
      schema: {
        summary: 'fire a schedule now (also a paused one): its run is queued as a firing would queue it',
        params: ID_PARAMS,
        response: { 202: ANY_OBJECT },
      },
    },
    async (request, reply) => {
      const { id } = await existing(ctx, request.params.id);
      const req = await fireSchedule(ctx, id);
      return reply.code(202).send({ id: req.id, status: 'queued', scheduleId: id, requestedBy: req.requestedBy });
    },
  );
}

async function existing(ctx: ServiceContext, id: string): Promise<Schedule> {
  const schedule = /^\d{1,15}$/.test(id) ? await findSchedule(ctx.pool, Number(id)) : undefined;
  if (!schedule) throw new HttpError(404, `no schedule "${id}"`);
  return schedule;
}

function fieldsOf(s: Schedule): ScheduleFields {
  const { runbook, incident, mode, environment, vars, cron, tz, enabled } = s;
  return { runbook, incident, mode, environment, vars, cron, tz, enabled };
}

/** 422 for a bad cron or time zone, 404/422 for what a run of it would be refused for. */
async function checked(ctx: ServiceContext, fields: ScheduleFields): Promise<ScheduleFields> {
  checkCron(fields.cron, fields.tz);
  await checkRunnable(ctx, {
    runbook: fields.runbook,
    incident: fields.incident,
    ...(fields.environment !== null ? { environment: fields.environment } : {}),
  });
  return { ...fields, cron: fields.cron.trim().replace(/\s+/g, ' ') };
}
