import type { JournalWriter } from '../../journal/journal-writer.js';
import { durationMs } from '../../model/duration.js';
import { messageOf } from '../../model/error-message.js';
import type { Channel } from '../../model/runbook.js';
import type { PlanComms } from '../../plan/plan-types.js';
import { runSecrets } from '../secrets.js';
import type { RunVariables } from '../variables.js';
import { sendEmail, type SmtpConnection } from './email.js';
import { postWebhook, WebhookError } from './webhook.js';

const DEFAULT_TIMEOUT_MS = 10_000;

/** One message to one channel: delivered, skipped (a channel with no address in this environment), or failed. */
export interface Delivery {
  channel: string;
  ok: boolean;
  skipped?: string;
  error?: string;
  /** Tries a webhook took (the sender retries with back-off); absent for email and skipped channels. */
  attempts?: number;
}

/**
 * The one sender of notifications: notify steps, escalation levels and status updates all go through it. A
 * message is masked before it leaves (a template that names a secret never sends its value), every delivery is
 * journaled, and a channel whose address is empty here (a drill in the lab) is skipped with the reason.
 */
export class ChannelSender {
  constructor(
    private readonly comms: PlanComms,
    private readonly vars: RunVariables,
    private readonly journal: JournalWriter,
    private readonly signal: AbortSignal,
  ) {}

  async send(about: string, channels: readonly string[], text: string): Promise<Delivery[]> {
    const results = await Promise.all(channels.map((name) => this.deliver(name, runSecrets().mask(text))));
    for (const r of results) this.journal.append({ type: 'delivery', about, ...r }, { durable: true });
    return results;
  }

  private async deliver(name: string, text: string): Promise<Delivery> {
    const channel = this.comms.channels[name];
    if (!channel) return { channel: name, ok: false, error: `no channel "${name}" in the runbook's channels` };
    try {
      if (channel.webhook !== undefined) return { channel: name, ...(await this.webhook(channel, text)) };
      const skipped = await this.email(channel, text);
      return skipped ? { channel: name, ok: true, skipped } : { channel: name, ok: true };
    } catch (error) {
      const attempts = error instanceof WebhookError ? { attempts: error.attempts } : {};
      return { channel: name, ok: false, error: runSecrets().mask(messageOf(error)), ...attempts };
    }
  }

  private async webhook(channel: Channel, text: string): Promise<Omit<Delivery, 'channel'>> {
    const url = this.vars.render(channel.webhook ?? '').trim();
    if (url === '') return { ok: true, skipped: 'no webhook URL in this environment' };
    return { ok: true, attempts: await postWebhook(url, text, this.signal, timeoutOf(channel.timeout)) };
  }

  private async email(channel: Channel, text: string): Promise<string | undefined> {
    const { smtp } = this.comms;
    const mail = channel.email;
    if (!smtp || !mail) throw new Error("email needs the runbook's smtp server");
    const host = this.vars.render(smtp.host).trim();
    if (host === '') return 'no SMTP host in this environment';
    const server: SmtpConnection = {
      host,
      port: Number(this.vars.render(String(smtp.port ?? (smtp.secure ? 465 : 587)))),
      secure: smtp.secure === true,
      timeoutMs: timeoutOf(channel.timeout ?? smtp.timeout),
      ...(smtp.user !== undefined ? { user: this.vars.render(smtp.user) } : {}),
      ...(smtp.password !== undefined ? { password: this.vars.render(`{{ secrets.${smtp.password} }}`) } : {}),
    };
    const firstLine = text.split('\n').find((l) => l.trim() !== '') ?? 'drillbook';
    const subject = mail.subject !== undefined ? runSecrets().mask(this.vars.render(mail.subject)) : firstLine;
    await sendEmail(
      server,
      {
        from: this.vars.render(mail.from ?? smtp.from),
        to: mail.to.map((to) => this.vars.render(to)),
        subject: subject.slice(0, 200),
        text,
      },
      this.signal,
    );
    return undefined;
  }
}

function timeoutOf(duration: string | undefined): number {
  return duration ? durationMs(duration) : DEFAULT_TIMEOUT_MS;
}

/** Failed deliveries as one line for a step's error. */
export function deliveryErrors(results: readonly Delivery[]): string | undefined {
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return undefined;
  return failed.map((r) => `channel ${r.channel}: ${r.error ?? 'failed'}`).join('; ');
}
