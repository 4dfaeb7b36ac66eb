import { postWebhook, WebhookError } from '../../execute/notify/webhook.js';
import { messageOf } from '../../model/error-message.js';
import type { ServiceContext } from '../context.js';
import { maskWebhook, maskWebhooks, type AlertConfig } from './alert-config.js';
import { alertMessage } from './alert-message.js';
import { raiseAlert, recordDeliveries, type AlertDelivery, type AlertDraft } from './alert-store.js';
import { overdueDrafts } from './overdue-alerts.js';
import { markChecked, runAlertDrafts } from './run-alerts.js';

/** Scheduled runs are looked at this often; cadences (days and more) less often. */
const RUN_CHECK_MS = 10_000;
const OVERDUE_CHECK_MS = 5 * 60_000;
const WEBHOOK_TIMEOUT_MS = 10_000;

export interface CheckResult {
  raised: number;
  delivered: number;
}

/**
 * Raises the alerts due (ended scheduled runs, overdue incidents), each once by its key, and posts each new one to
 * every webhook through the one webhook sender (retries and back-off there). Runs on a timer in `serve`, and on
 * POST /api/alerts/check.
 */
export class AlertChecker {
  private timer: NodeJS.Timeout | undefined;
  private lastOverdue = 0;
  private running: Promise<CheckResult> | undefined;
  private readonly stopping = new AbortController();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly config: AlertConfig,
    /** Links in alert text: --public-url, else the address serve listens on (set once it listens). */
    public baseUrl = config.publicUrl ?? '',
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.check(Date.now() - this.lastOverdue >= OVERDUE_CHECK_MS).catch((error: unknown) => {
        process.stderr.write(`drillbook serve: alert check failed: ${this.mask(messageOf(error))}\n`);
      });
    }, RUN_CHECK_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.running?.catch(() => undefined);
  }

  /** The webhooks as they may be shown (origin only). */
  maskedWebhooks(): string[] {
    return this.config.webhooks.map(maskWebhook);
  }

  /**
   * One check at a time in this server, each asked-for check whole (others are kept apart by the store's claims
   * and keys): a check asked for while one runs starts when it ends.
   */
  check(withOverdue = true): Promise<CheckResult> {
    const next = (this.running ?? Promise.resolve()).catch(() => undefined).then(() => this.checkOnce(withOverdue));
    this.running = next;
    return next;
  }

  private async checkOnce(withOverdue: boolean): Promise<CheckResult> {
    const { drafts, checked } = await runAlertDrafts(this.ctx.pool);
    if (withOverdue) {
      this.lastOverdue = Date.now();
      drafts.push(...(await overdueDrafts(this.ctx.pool)));
    }
    // Recorded first, delivered after: only the server whose insert made an alert posts it.
    const raised: { id: number; draft: AlertDraft }[] = [];
    for (const draft of drafts) {
      const id = await raiseAlert(this.ctx.pool, draft);
      if (id !== undefined) raised.push({ id, draft });
    }
    await markChecked(this.ctx.pool, checked);
    let delivered = 0;
    for (const { id, draft } of raised) {
      const deliveries = await this.deliver(draft);
      await recordDeliveries(this.ctx.pool, id, deliveries);
      if (deliveries.length > 0 && deliveries.every((d) => d.ok)) delivered += 1;
    }
    return { raised: raised.length, delivered };
  }

  private deliver(draft: AlertDraft): Promise<AlertDelivery[]> {
    const message = alertMessage(draft, this.baseUrl);
    return Promise.all(
      this.config.webhooks.map(async (url): Promise<AlertDelivery> => {
        const webhook = maskWebhook(url);
        try {
          return {
            webhook,
            ok: true,
            attempts: await postWebhook(url, message, this.stopping.signal, WEBHOOK_TIMEOUT_MS),
          };
        } catch (error) {
          const attempts = error instanceof WebhookError ? error.attempts : 1;
          return { webhook, ok: false, attempts, error: this.mask(messageOf(error)) };
        }
      }),
    );
  }

  private mask(text: string): string {
    return maskWebhooks(text, this.config.webhooks);
  }
}
