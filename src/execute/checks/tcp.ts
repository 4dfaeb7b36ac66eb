import { Socket } from 'node:net';
import type { TcpProbe } from '../../model/runbook.js';
import type { CheckKind } from './check-kind.js';

export const tcpCheck: CheckKind<TcpProbe> = {
  defaultExpect: { open: true },
  describe: (o, w) => ({ what: `TCP connection to ${w.code(`${o.host}:${o.port}`)}`, defaults: 'the port open' }),
  probe: (o, ctx) =>
    new Promise((resolve) => {
      const socket = new Socket();
      const onAbort = () => {
        done(false, 'interrupted');
      };
      const done = (open: boolean, reason: string) => {
        ctx.signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve({ open, reason });
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      socket.setTimeout(ctx.deadlineMs, () => {
        done(false, `no answer within ${ctx.deadlineMs} ms`);
      });
      socket.once('connect', () => {
        done(true, 'connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        done(false, error.code ?? error.message);
      });
      socket.connect(Number(o.port), o.host);
    }),
};
