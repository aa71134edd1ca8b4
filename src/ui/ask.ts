/** Asking until an answer is accepted: the one loop behind configure's questions and the device menu. */
import { InvalidInputError } from '../errors.js';
import type { AskOptions, Prompter } from './prompter.js';

export interface AskUntilValidOptions extends AskOptions {
  /** How many refused answers before the last refusal is thrown; unbounded when undefined. */
  attempts?: number;
}

/**
 * Asks `question` until `accept` returns a value. An InvalidInputError from `accept` is shown
 * (message and hint) and the same question asked again; any other error ends the loop.
 */
export async function askUntilValid<T>(prompter: Prompter, question: string, options: AskUntilValidOptions, accept: (answer: string) => T): Promise<T> {
  const { attempts, ...ask } = options;
  for (let refused = 1; ; refused += 1) {
    const answer = (await prompter.ask(question, ask)).trim();
    try {
      return accept(answer);
    } catch (error) {
      if (!(error instanceof InvalidInputError) || (attempts !== undefined && refused >= attempts)) throw error;
      prompter.say(error.describe());
    }
  }
}
