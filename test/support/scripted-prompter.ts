/**
 * The one scripted terminal of the tests (the UI seam): answers from a queue, in order, and records
 * what was asked, said and shown as a wait. An answer is the text typed, or that text for a question
 * it must match, optionally typed after a delay.
 */
import { NeedsTerminalError } from '../../src/errors.js';
import type { AskOptions, Prompter, Spinner } from '../../src/ui/prompter.js';

/** An expected question (matched by pattern) and the answer to type, optionally after a delay. */
export interface ScriptedAnswer {
  question: RegExp;
  answer: string;
  delayMs?: number;
}

export interface ScriptedPrompterOptions {
  /** false: a run without a terminal, where every question fails with NeedsTerminalError. */
  interactive?: boolean;
  /** Called when a wait indicator starts (a test aborts the login there). */
  onSpinner?: () => void;
}

export interface ScriptedPrompter extends Prompter {
  /** The questions asked, in order. */
  readonly questions: string[];
  /** The same, with the options each was asked with (secret, default, hint). */
  readonly asked: { question: string; options?: AskOptions }[];
  /** What was said, and each wait indicator's first and final text. */
  readonly said: string[];
  /** Each wait indicator's texts: its first, then every update. */
  readonly spinnerTexts: string[];
  /** Each wait indicator's final text (undefined when it stopped without one). */
  readonly spinnerEnds: (string | undefined)[];
  /** How many scripted answers were not used. */
  readonly unanswered: number;
}

export function scriptedPrompter(script: readonly (string | ScriptedAnswer)[], options: boolean | ScriptedPrompterOptions = {}): ScriptedPrompter {
  const { interactive = true, onSpinner } = typeof options === 'boolean' ? { interactive: options } : options;
  const answers = [...script];
  const questions: string[] = [];
  const asked: { question: string; options?: AskOptions }[] = [];
  const said: string[] = [];
  const spinnerTexts: string[] = [];
  const spinnerEnds: (string | undefined)[] = [];
  return {
    interactive,
    questions,
    asked,
    said,
    spinnerTexts,
    spinnerEnds,
    get unanswered() {
      return answers.length;
    },
    async ask(question: string, askOptions?: AskOptions) {
      questions.push(question);
      asked.push({ question, options: askOptions });
      if (!interactive) throw new NeedsTerminalError(`no terminal for "${question}"`, askOptions?.unattendedHint);
      const next = answers.shift();
      if (next === undefined) throw new Error(`Unexpected question: "${question}"`);
      const scripted = typeof next === 'string' ? { answer: next } : next;
      if ('question' in scripted && !scripted.question.test(question)) throw new Error(`Asked "${question}", expected ${String(scripted.question)}`);
      if ('delayMs' in scripted && scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
      return scripted.answer === '' && askOptions?.defaultValue !== undefined ? askOptions.defaultValue : scripted.answer;
    },
    say(message: string) {
      said.push(message);
    },
    spinner(text: string): Spinner {
      said.push(text);
      spinnerTexts.push(text);
      onSpinner?.();
      return {
        update(next) { spinnerTexts.push(next); },
        stop(finalText) {
          if (finalText) said.push(finalText);
          spinnerEnds.push(finalText);
        },
      };
    },
    close() {},
  };
}
