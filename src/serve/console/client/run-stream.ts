import { ApiError, apiFetch } from './session.js';

/** One Server-Sent Event of a run's stream: `id` is the journal line. */
export interface StreamEvent {
  id: number;
  type: string;
  data: unknown;
}

export interface RunStream {
  /** Cuts the connection as a network drop would; the stream reconnects from the last event received. */
  drop(): void;
  close(): void;
}

const RECONNECT_MS = 500;

/**
 * A run's SSE stream read with fetch (EventSource cannot send the Authorization header). After a drop it
 * reconnects with Last-Event-ID set to the last journal line received, so the server sends the next line on:
 * no gap, no repeat (a line at or before the last one is ignored all the same). It ends when the server ends
 * the stream normally (the run is done).
 */
export function openRunStream(
  runId: string,
  onEvent: (e: StreamEvent) => void,
  onState: (state: 'live' | 'reconnecting' | 'ended', detail?: string) => void,
): RunStream {
  let last = 0;
  let closed = false;
  let controller = new AbortController();
  const deliver = (e: StreamEvent) => {
    if (e.id <= last) return;
    last = e.id;
    onEvent(e);
  };
  const loop = async () => {
    while (!closed) {
      controller = new AbortController();
      try {
        await readOnce(runId, last, controller.signal, deliver, () => {
          onState('live');
        });
        if (!controller.signal.aborted) break;
      } catch (error) {
        if (closed) return;
        // A refusal (unknown run, token revoked) does not get better by asking again.
        if (error instanceof ApiError && error.status < 500) {
          onState('ended', error.message);
          return;
        }
        onState('reconnecting', error instanceof Error ? error.message : String(error));
      }
      if (closed) return;
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
    if (!closed) onState('ended');
  };
  void loop();
  return {
    drop: () => {
      controller.abort();
    },
    close: () => {
      closed = true;
      controller.abort();
    },
  };
}

async function readOnce(
  runId: string,
  after: number,
  signal: AbortSignal,
  deliver: (e: StreamEvent) => void,
  connected: () => void,
): Promise<void> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (after > 0) headers['last-event-id'] = String(after);
  const response = await apiFetch(`/api/runs/${encodeURIComponent(runId)}/events`, { headers, signal });
  connected();
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = parseBlock(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (block) deliver(block);
        end = buffer.indexOf('\n\n');
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
}

/** One `id:/event:/data:` block; null for a comment or a block without an id (an `event: error` report). */
function parseBlock(block: string): StreamEvent | null {
  const fields = new Map<string, string>();
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ''));
  }
  const type = fields.get('event') ?? 'message';
  const data = JSON.parse(fields.get('data') ?? 'null') as unknown;
  if (type === 'error') throw new Error((data as { error?: string } | null)?.error ?? 'the stream reported an error');
  const id = Number(fields.get('id'));
  return Number.isInteger(id) && id > 0 ? { id, type, data } : null;
}
