/** Asking until an answer is accepted: the one loop behind configure's questions and the device menu. */
import { FileUnreadableError, InvalidInputError } from '../errors.js';
import type { AskOptions, Prompter } from './prompter.js';

export interface AskUntilValidOptions extends AskOptions {
  /** How many refused answers before the last refusal is thrown; unbounded when undefined. */
  attempts?: number;
}

/** A refusal a person can answer by typing something else: a bad value, or a file that will not do. */
export function isReaskable(error: unknown): error is InvalidInputError | FileUnreadableError {
  return error instanceof InvalidInputError || error instanceof FileUnreadableError;
}

/**
 * Asks `question` until `accept` returns a value. An InvalidInputError (or FileUnreadableError) from `accept` is shown
 * (message and hint) and the same question asked again; any other error ends the loop.
 */
export async function askUntilValid<T>(prompter: Prompter, question: string, options: AskUntilValidOptions, accept: (answer: string) => T): Promise<T> {
  const { attempts, ...ask } = options;
  for (let refused = 1; ; refused += 1) {
    const answer = (await prompter.ask(question, ask)).trim();
    try {
      return accept(answer);
    } catch (error) {
      if (!isReaskable(error) || (attempts !== undefined && refused >= attempts)) throw error;
      prompter.say(error.describe());
    }
  }
}
