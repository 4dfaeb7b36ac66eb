import { UsageError } from '../../model/errors.js';

/** Where alerts go and how their links are written. */
export interface AlertConfig {
  /** Webhook URLs: secrets (a Slack webhook's path is its key), never shown; see maskWebhook. */
  webhooks: string[];
  /** The service's address as people reach it, for links in alert text (default: the address it listens on). */
  publicUrl?: string;
}

/** `--alert-webhook URL` (repeatable) and $DRILLBOOK_ALERT_WEBHOOKS (comma-separated), each checked to be http(s). */
export function alertWebhooks(flags: readonly string[], env = process.env.DRILLBOOK_ALERT_WEBHOOKS ?? ''): string[] {
  const all = [...flags, ...env.split(',')].map((u) => u.trim()).filter((u) => u !== '');
  for (const [i, url] of all.entries()) {
    let protocol = '';
    try {
      protocol = new URL(url).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'http:' && protocol !== 'https:')
      throw new UsageError(`alert webhook ${i + 1} is not an http(s) URL (--alert-webhook, DRILLBOOK_ALERT_WEBHOOKS)`);
  }
  return [...new Set(all)];
}

/** `--public-url`, checked; without a trailing slash. */
export function publicUrl(flag: string | undefined): string | undefined {
  if (flag === undefined) return undefined;
  try {
    const url = new URL(flag);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  throw new UsageError(`--public-url must be an http(s) URL, got "${flag}"`);
}

/** A webhook as it may be shown: its origin only (the path and query carry the key). */
export function maskWebhook(url: string): string {
  try {
    return `${new URL(url).origin}/***`;
  } catch {
    return '***';
  }
}

/** Text with every configured webhook URL replaced by its masked form: errors may quote a URL. */
export function maskWebhooks(text: string, webhooks: readonly string[]): string {
  return webhooks.reduce((t, url) => t.split(url).join(maskWebhook(url)), text);
}
