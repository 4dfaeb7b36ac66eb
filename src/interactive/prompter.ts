import { confirm, input, select } from '@inquirer/prompts';
import { OperatorGone } from '../execute/mode-policy.js';

export interface Choice<T extends string> { value: T; name: string; description?: string }

/** The few questions interactive mode asks; one small interface so tests can drive real prompts. */
export interface Prompter {
  choose<T extends string>(message: string, choices: Choice<T>[]): Promise<T>;
  ask(message: string, options?: { required?: boolean; validate?: (value: string) => true | string }): Promise<string>;
  yesNo(message: string, initial: boolean): Promise<boolean>;
  show(text: string): void;
}

export interface PromptStreams { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream }

/** Inquirer prompts on the given streams (the terminal by default). */
export function inquirerPrompter(streams: PromptStreams = {}): Prompter {
  const context = { ...streams, clearPromptOnDone: false };
  const out = streams.output ?? process.stdout;
  return {
    choose: (message, choices) => guard(select({ message, choices, pageSize: 10 }, context)),
    ask: (message, options = {}) =>
      guard(input({
        message,
        required: options.required ?? false,
        ...(options.validate ? { validate: options.validate } : {}),
      }, context)),
    yesNo: (message, initial) => guard(confirm({ message, default: initial }, context)),
    show: (text) => { out.write(`${text}\n`); },
  };
}

/** Ctrl-C or closed input at a prompt is inquirer's way of saying the person is gone: never an approval. */
async function guard<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) throw new OperatorGone('the operator left the prompt (Ctrl-C or input closed)');
    throw error;
  }
}
