/** A Prompter that answers from a queue and records what was asked and said (the UI seam). */
import { NeedsTerminalError } from '../../src/errors.js';
import type { AskOptions, Prompter } from '../../src/ui/prompter.js';

export interface ScriptedPrompter extends Prompter {
  questions: string[];
  said: string[];
}

export function scriptedPrompter(answers: string[], interactive = true): ScriptedPrompter {
  const questions: string[] = [];
  const said: string[] = [];
  return {
    interactive,
    questions,
    said,
    async ask(question: string, options?: AskOptions) {
      questions.push(question);
      if (!interactive) throw new NeedsTerminalError(`no terminal for "${question}"`, options?.unattendedHint);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`Unexpected question: ${question}`);
      return answer === '' && options?.defaultValue !== undefined ? options.defaultValue : answer;
    },
    say(message: string) {
      said.push(message);
    },
    spinner(text: string) {
      said.push(text);
      return { update() {}, stop(finalText?: string) { if (finalText) said.push(finalText); } };
    },
    close() {},
  };
}
