import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook, WebhookError } from '../../src/execute/notify/webhook.js';
import { startWebhook, type WebhookServer } from '../helpers/comms-servers.js';

describe('the one webhook sender: retries with back-off', () => {
  let hook: WebhookServer | undefined;
  afterEach(async () => {
    await hook?.close();
    hook = undefined;
  });

  it('a receiver that answers 503 twice gets the message on the third try, and the tries are counted', async () => {
    hook = await startWebhook({ failFirst: 2 });
    const attempts = await postWebhook(hook.url, { text: 'hello', blocks: [] }, new AbortController().signal, 2000);
    expect(attempts).toBe(3);
    expect(hook.requests()).toBe(3);
    expect(hook.received).toEqual([{ text: 'hello', blocks: [] }]);
  });

  it('429 is retried; 404 is final after one try', async () => {
    hook = await startWebhook({ failFirst: 1, failStatus: 429 });
    expect(await postWebhook(hook.url, 'x', new AbortController().signal, 2000)).toBe(2);
    await hook.close();
    hook = await startWebhook({ failFirst: 9, failStatus: 404 });
    const error = await postWebhook(hook.url, 'x', new AbortController().signal, 2000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    expect((error as WebhookError).message).toBe('webhook answered HTTP 404');
    expect((error as WebhookError).attempts).toBe(1);
    expect(hook.requests()).toBe(1);
  });

  it('gives up after five tries, saying so', async () => {
    hook = await startWebhook({ failFirst: 9, failStatus: 500 });
    const error = (await postWebhook(hook.url, 'x', new AbortController().signal, 2000).catch(
      (e: unknown) => e,
    )) as WebhookError;
    expect(error.message).toBe('webhook answered HTTP 500 (after 5 tries)');
    expect(error.attempts).toBe(5);
    expect(hook.requests()).toBe(5);
  }, 20_000);

  it('a stopped run stops the retries', async () => {
    hook = await startWebhook({ failFirst: 9, failStatus: 503 });
    const stop = new AbortController();
    const sending = postWebhook(hook.url, 'x', stop.signal, 2000).catch((e: unknown) => e);
    const server = hook;
    // The first answer is in: the sender is waiting before its second try.
    while (server.requests() < 1) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    const error = (await sending) as WebhookError;
    expect(error.message).toBe('webhook answered HTTP 503');
    expect(error.attempts).toBe(1);
    expect(hook.requests()).toBe(1);
  });
});
