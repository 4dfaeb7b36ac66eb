import type { HttpProbe } from '../../model/runbook.js';
import { runSecrets } from '../secrets.js';
import { ProbeError, type CheckKind } from './check-kind.js';

export const httpCheck: CheckKind<HttpProbe> = {
  defaultExpect: { status: { lt: 400 } },
  describe: (o, w) => ({ what: `HTTP ${o.method ?? 'GET'} ${w.code(o.url)}`, defaults: 'a status below 400' }),
  async probe(o, ctx) {
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.deadlineMs)]);
    let response: Response;
    try {
      response = await fetch(o.url, {
        method: o.method ?? 'GET',
        headers: Object.fromEntries(Object.entries(o.headers ?? {}).map(([k, v]) => [k, String(v)])),
        ...(o.body !== undefined ? { body: o.body } : {}),
        signal,
        redirect: 'manual',
      });
    } catch (error) {
      throw new ProbeError(`${o.url}: ${reason(error, ctx.deadlineMs)}`);
    }
    const body = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    return { status: response.status, body: runSecrets().head(body, 4096), json };
  },
};

function reason(error: unknown, deadlineMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${deadlineMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException).code;
  return code ?? (cause instanceof Error ? cause.message : String(cause));
}
