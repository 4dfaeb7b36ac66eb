import { confirm, input, select } from '@inquirer/prompts';
import { OperatorGone } from '../execute/mode-policy.js';

export interface Choice<T extends string> {
  value: T;
  name: string;
  description?: string;
}

/** The few questions interactive mode asks; one small interface so tests can drive real prompts. */
export interface Prompter {
  choose<T extends string>(message: string, choices: Choice<T>[]): Promise<T>;
  ask(message: string, options?: { required?: boolean; validate?: (value: string) => true | string }): Promise<string>;
  yesNo(message: string, initial: boolean): Promise<boolean>;
  show(text: string): void;
  /**
   * Text that arrives on its own while the responder may be answering (an overrun, the run's events):
   * printed above an open prompt, which is then asked again intact, never written over it.
   */
  notice(text: string): void;
}

export interface PromptStreams {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** The run's stop signal: a signal or a closed output closes any open prompt, as if the person left. */
  stop?: AbortSignal;
}

/** Why an open prompt was closed: to print a notice above it; it is asked again. */
const NOTICE = Symbol('notice');

interface OpenPrompt {
  controller: AbortController;
  context: { clearPromptOnDone: boolean };
}

/** The prompts of one prompter: the one open now, and the notices waiting to be printed above it. */
interface PromptSession {
  streams: Omit<PromptStreams, 'stop'>;
  stop: AbortSignal | undefined;
  out: NodeJS.WritableStream;
  open: OpenPrompt | undefined;
  pending: string[];
}

/** Inquirer prompts on the given streams (the terminal by default). */
export function inquirerPrompter({ stop, ...streams }: PromptStreams = {}): Prompter {
  const session: PromptSession = {
    streams,
    stop,
    out: streams.output ?? process.stdout,
    open: undefined,
    pending: [],
  };
  const asked = <T>(ask: (context: object) => Promise<T>) => askUntilAnswered(session, ask);
  return {
    choose: (message, choices) => asked((context) => select({ message, choices, pageSize: 10 }, context)),
    ask: (message, options = {}) =>
      asked((context) =>
        input(
          {
            message,
            required: options.required ?? false,
            ...(options.validate ? { validate: options.validate } : {}),
          },
          context,
        ),
      ),
    yesNo: (message, initial) => asked((context) => confirm({ message, default: initial }, context)),
    show: (text) => {
      session.out.write(`${text}\n`);
    },
    notice(text) {
      showNotice(session, text);
    },
  };
}

/** Asks until answered: a notice closes the prompt (erasing it), is printed, and the same question comes back. */
async function askUntilAnswered<T>(session: PromptSession, ask: (context: object) => Promise<T>): Promise<T> {
  const { stop } = session;
  for (;;) {
    const controller = new AbortController();
    const context = {
      ...session.streams,
      clearPromptOnDone: false,
      signal: stop ? AbortSignal.any([controller.signal, stop]) : controller.signal,
    };
    session.open = { controller, context };
    try {
      return await guard(ask(context));
    } catch (error) {
      const closedForNotice =
        error instanceof Error &&
        error.name === 'AbortPromptError' &&
        controller.signal.reason === NOTICE &&
        !stop?.aborted;
      if (!closedForNotice) throw error;
    } finally {
      session.open = undefined;
      for (const text of session.pending.splice(0)) session.out.write(`${text}\n`);
    }
  }
}

function showNotice(session: PromptSession, text: string): void {
  if (!session.open) {
    session.out.write(`${text}\n`);
    return;
  }
  session.pending.push(text);
  // Erase the open prompt, so the notice takes its place and the prompt is drawn again below it.
  session.open.context.clearPromptOnDone = true;
  session.open.controller.abort(NOTICE);
}

/** Ctrl-C or closed input at a prompt is inquirer's way of saying the person is gone: never an approval. */
async function guard<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError')
      throw new OperatorGone('the operator left the prompt (Ctrl-C or input closed)');
    // A prompt closed for a notice is asked again by the caller; one closed by the run's stop means the person is gone.
    if (error instanceof Error && error.name === 'AbortPromptError' && error.cause !== NOTICE)
      throw new OperatorGone('the run was stopped while a prompt was open');
    throw error;
  }
}
