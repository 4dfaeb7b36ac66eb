import type { CheckKindName } from '../../model/runbook.js';
import type { CheckKind } from './check-kind.js';
import { commandCheck } from './command.js';
import { fileCheck } from './file.js';
import { httpCheck } from './http.js';
import { postgresCheck } from './postgres.js';
import { redisCheck } from './redis.js';
import { s3Check } from './s3.js';
import { tcpCheck } from './tcp.js';

/**
 * Every check kind by name: adding one is its file and a line here. The modules are light: each
 * loads its client (pg, ioredis, the S3 SDK) only inside its probe, so describing never connects.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind narrows its own options type
export const CHECK_KINDS: Record<CheckKindName, CheckKind<any>> = {
  command: commandCheck,
  http: httpCheck,
  tcp: tcpCheck,
  postgres: postgresCheck,
  redis: redisCheck,
  s3: s3Check,
  file: fileCheck,
};
