import type { JournalEvent } from '../journal/events.js';

/** Presentation of a run: fed the journal's events as they happen, so a display never drives the walk and is swappable (TTY, pipe, tests). */
export interface Progress {
  onEvent(event: JournalEvent): void;
  /** Text a notify step produced, for the person to paste into chat. */
  announce(stepId: string, text: string): void;
  close(): Promise<void>;
}

export const silentProgress: Progress = {
  onEvent: () => undefined,
  announce: () => undefined,
  close: () => Promise.resolve(),
};
