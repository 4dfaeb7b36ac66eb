import { sleep } from '../sleep.js';

/** A Slack-compatible message: `text` is what every chat tool shows; `blocks` lay it out where they are understood. */
export interface WebhookMessage {
  text: string;
  blocks?: unknown[];
}

/** The waits before the 2nd, 3rd, 4th and 5th try: a receiver that is restarting or rate-limiting gets time. */
export const WEBHOOK_BACKOFF_MS = [500, 1000, 2000, 4000] as const;

/** A webhook that was not delivered, with how many tries were made. */
export class WebhookError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Posts a message to a webhook as JSON (`{"text": …}`, the form Slack and most chat tools take), the one webhook
 * sender of drillbook: notify steps, channels and the service's alerts all post through it. Up to five tries
 * with back-off, retried only where another try can help: no answer, 408, 425, 429 and 5xx; another 4xx is the
 * message or the URL being wrong, and is final. Resolves to the number of tries; throws a WebhookError.
 */
export async function postWebhook(
  url: string,
  message: string | WebhookMessage,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<number> {
  const body = JSON.stringify(typeof message === 'string' ? { text: message } : message);
  let attempt = 1;
  let problem = await postOnce(url, body, signal, timeoutMs);
  while (problem?.retry === true && attempt <= WEBHOOK_BACKOFF_MS.length) {
    await sleep(WEBHOOK_BACKOFF_MS[attempt - 1] ?? 0, signal);
    // A run stopped while waiting: no more tries.
    if (signal.aborted) break;
    attempt += 1;
    problem = await postOnce(url, body, signal, timeoutMs);
  }
  if (problem === undefined) return attempt;
  const tries = attempt === 1 ? '' : ` (after ${attempt} tries)`;
  throw new WebhookError(`${problem.message}${tries}`, attempt, { cause: problem.cause });
}

interface Problem {
  message: string;
  retry: boolean;
  cause?: unknown;
}

/** One POST: undefined when delivered, else what went wrong and whether another try may help. */
async function postOnce(
  url: string,
  body: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Problem | undefined> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
  } catch (error) {
    return { message: `webhook failed: ${reason(error, timeoutMs)}`, retry: !signal.aborted, cause: error };
  }
  // The answer's body is not needed; reading it frees the connection.
  await response.body?.cancel().catch(() => undefined);
  if (response.ok) return undefined;
  const status = response.status;
  return { message: `webhook answered HTTP ${status}`, retry: status >= 500 || [408, 425, 429].includes(status) };
}

function reason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000}s`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return (cause ?? (error instanceof Error ? error.message : String(error))).split('\n')[0] ?? '';
}
