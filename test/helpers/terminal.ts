import { execFileSync } from 'node:child_process';

/**
 * A real pseudo-terminal (tmux) running a command, for tests that drive inquirer prompts the way
 * a responder does: read the screen, press keys.
 */
export class Terminal {
  private constructor(private readonly socket: string) {}

  static start(command: string, env: Record<string, string> = {}): Terminal {
    const socket = `drillbook-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const exports = Object.entries(env)
      .map(([k, v]) => `export ${k}='${v}';`)
      .join(' ');
    const script = `${exports} ${command}; echo "__EXIT=$?"; sleep 600`;
    execFileSync('tmux', ['-L', socket, 'new-session', '-d', '-x', '160', '-y', '50', 'bash', '-c', script]);
    execFileSync('tmux', ['-L', socket, 'set-option', '-g', 'history-limit', '20000']);
    return new Terminal(socket);
  }

  /** What the terminal shows, scrollback included; `escapes` keeps the colour codes (capture-pane -e). */
  screen(options: { escapes?: boolean } = {}): string {
    try {
      return execFileSync(
        'tmux',
        ['-L', this.socket, 'capture-pane', '-p', '-J', ...(options.escapes ? ['-e'] : []), '-S', '-'],
        { encoding: 'utf8' },
      );
    } catch {
      return '';
    }
  }

  /** Waits until `text` has appeared `times` times on the screen. */
  async waitFor(text: string, times = 1, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.screen().split(text).length - 1 >= times) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${JSON.stringify(text)} (x${times}); screen:\n${this.screen()}`);
  }

  /** Waits until `text` shows after the last occurrence of `anchor` (e.g. a prompt after a step's card). */
  async waitAfter(anchor: string, text: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const screen = this.screen();
      const at = screen.lastIndexOf(anchor);
      if (at >= 0 && screen.slice(at).includes(text)) {
        await new Promise((r) => setTimeout(r, 100));
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(
      `timed out waiting for ${JSON.stringify(text)} after ${JSON.stringify(anchor)}; screen:\n${this.screen()}`,
    );
  }

  /** Keys as tmux names them: 'Enter', 'Down', 'C-c', or literal text. */
  send(...keys: string[]): void {
    for (const key of keys) {
      const literal = !['Enter', 'Down', 'Up', 'C-c', 'C-d', 'Escape'].includes(key);
      execFileSync('tmux', ['-L', this.socket, 'send-keys', '-t', '0', ...(literal ? ['-l', key] : [key])]);
    }
  }

  /** Types text and presses Enter once the prompt has shown it (inquirer redraws as you type). */
  async answer(text: string): Promise<void> {
    if (text) {
      this.send(text);
      await new Promise((r) => setTimeout(r, 100));
    }
    this.send('Enter');
  }

  async exitCode(timeoutMs = 30_000): Promise<number> {
    await this.waitFor('__EXIT=', 1, timeoutMs);
    const m = /__EXIT=(\d+)/.exec(this.screen());
    return Number(m?.[1]);
  }

  close(): void {
    try {
      execFileSync('tmux', ['-L', this.socket, 'kill-server']);
    } catch {
      // already gone
    }
  }
}
