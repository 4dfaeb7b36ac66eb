/** Posts a message to a webhook as `{"text": …}` (the form Slack and most chat tools take); throws one line on failure. */
export async function postWebhook(url: string, text: string, signal: AbortSignal, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
  } catch (error) {
    throw new Error(`webhook failed: ${reason(error, timeoutMs)}`, { cause: error });
  }
  // The answer's body is not needed; reading it frees the connection.
  await response.body?.cancel().catch(() => undefined);
  if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}`);
}

function reason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000}s`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return (cause ?? (error instanceof Error ? error.message : String(error))).split('\n')[0] ?? '';
}
