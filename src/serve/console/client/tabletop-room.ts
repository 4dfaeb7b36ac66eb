import type { SessionView } from '../../tabletop/session-view.js';
import { el, fill } from './dom.js';
import { apiFetch, apiJson, messageOf, postJson } from './session.js';
import { ExerciseClock, roomClock } from './tabletop-clock.js';
import { roomLayout, type RoomParts } from './tabletop-layout.js';
import { renderSession } from './tabletop-render.js';

/** The room reads the session this often: a read is also what delivers the injects whose time has come. */
const READ_MS = 1000;
const TICK_MS = 250;

type Say = (text: string, bad?: boolean) => void;

/** One session's room: it reads the session every second, ticks the clock between reads, posts what is recorded. */
export class TabletopRoom {
  private readonly parts: RoomParts = roomLayout();
  private readonly clock = new ExerciseClock();
  private readonly path: string;
  private running = false;
  private closed = false;
  private lastInject = 0;
  /** Set once the report is asked for: a read and the End button's answer may both see the session end. */
  private reported = false;
  private reader: number | undefined;
  private ticker: number | undefined;

  constructor(
    view: HTMLElement,
    id: string,
    private readonly say: Say,
  ) {
    this.path = `/api/tabletop/sessions/${encodeURIComponent(id)}`;
    fill(view, this.parts.room);
    this.wire();
    this.ticker = window.setInterval(() => {
      this.tick();
    }, TICK_MS);
  }

  /** The first read; later ones follow each other every second until the session ends or the room closes. */
  async open(first?: SessionView): Promise<void> {
    await this.accept(first ?? (await apiJson<SessionView>(this.path)));
    this.schedule();
  }

  close(): void {
    this.closed = true;
    window.clearTimeout(this.reader);
    window.clearInterval(this.ticker);
  }

  private schedule(): void {
    if (this.closed || !this.running) return;
    this.reader = window.setTimeout(() => {
      apiJson<SessionView>(this.path)
        .then((v) => this.accept(v))
        .catch((error: unknown) => {
          this.say(messageOf(error), true);
        })
        .finally(() => {
          this.schedule();
        });
    }, READ_MS);
  }

  private async accept(v: SessionView): Promise<void> {
    if (this.closed) return;
    this.clock.set(v.clock, v.endedAt !== null);
    renderSession(this.parts, v);
    this.tick();
    this.announce(v);
    this.running = v.endedAt === null;
    if (!this.running && !this.reported) {
      this.reported = true;
      await this.showReport();
    }
  }

  private tick(): void {
    this.parts.clock.textContent = roomClock(this.clock.now());
  }

  /** A new inject is said in the status line too (the list is a live region; this reaches a glance). */
  private announce(v: SessionView): void {
    const newest = v.injects.at(-1);
    if (newest && newest.n > this.lastInject && this.lastInject > 0)
      this.say(`Inject ${newest.n} at ${roomClock(newest.atMs)}`);
    this.lastInject = newest?.n ?? 0;
  }

  /** The post-drill report under the room: the API's HTML page, its <main> only (the console has its own header). */
  private async showReport(): Promise<void> {
    const html = await (await apiFetch(`${this.path}/report?format=html`)).text();
    // Only <main> is parsed: the page's own <style> would break this page's CSP (style-src 'self') even unused.
    const body = html.slice(html.indexOf('<main'), html.lastIndexOf('</main>') + '</main>'.length);
    const main = new DOMParser().parseFromString(body, 'text/html').querySelector('main');
    fill(this.parts.report, main ? Array.from(main.childNodes) : el('p', { class: 'empty' }, 'No report.'));
    this.parts.report.hidden = false;
  }

  /** A facilitator's change: its answer is the session as it now stands. */
  private async change(path: string, body: unknown = {}): Promise<boolean> {
    try {
      await this.accept(await postJson<SessionView>(`${this.path}${path}`, body));
      this.say('');
      return true;
    } catch (error) {
      this.say(messageOf(error), true);
      return false;
    }
  }

  private wire(): void {
    const { room, pause } = this.parts;
    const button = (id: string) => room.querySelector(`#${id}`) as HTMLButtonElement;
    pause.addEventListener(
      'click',
      () => void this.change('/clock', { action: this.clock.isRunning() ? 'pause' : 'resume' }),
    );
    button('advance-1').addEventListener('click', () => void this.change('/clock', { action: 'advance', by: '1m' }));
    button('advance-5').addEventListener('click', () => void this.change('/clock', { action: 'advance', by: '5m' }));
    button('end').addEventListener('click', () => void this.change('/end'));
    for (const form of room.querySelectorAll<HTMLFormElement>('form[data-kind]'))
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        void this.recordItem(form);
      });
  }

  private async recordItem(form: HTMLFormElement): Promise<void> {
    const body: Record<string, string> = {};
    for (const [name, value] of new FormData(form))
      if (typeof value === 'string' && value.trim() !== '') body[name] = value.trim();
    if (await this.change(`/${form.dataset.kind ?? ''}`, body)) {
      form.reset();
      this.say('Recorded.');
    }
  }
}
