/**
 * A sign of life for a request that is slow to answer: after about a second a spinner names the
 * host awsl waits for, and after a few seconds how long it has waited. Only on a terminal: with
 * none (credential_process, pipes, CI) nothing is shown at all.
 */
import type { Prompter } from './prompter.js';

export interface WaitIndicator {
  /** Called as a request to `host` starts; the returned function is called when it ends. */
  waitingFor(host: string): () => void;
}

/** Quiet for this long: most requests answer well within it and show nothing. */
export const SLOW_REQUEST_MS = 1000;
/** From this many seconds on, the spinner also says how long awsl has waited. */
const SHOW_ELAPSED_AFTER_S = 5;

export function slowRequestIndicator(prompter: Prompter, delayMs = SLOW_REQUEST_MS): WaitIndicator | undefined {
  if (!prompter.interactive) return undefined;
  return {
    waitingFor(host) {
      const started = Date.now();
      let stopSpinner: (() => void) | undefined;
      let ticker: NodeJS.Timeout | undefined;
      const show = setTimeout(() => {
        const spinner = prompter.spinner(`Waiting for ${host}… (Ctrl-C to cancel)`);
        ticker = setInterval(() => {
          const seconds = Math.round((Date.now() - started) / 1000);
          if (seconds >= SHOW_ELAPSED_AFTER_S) spinner.update(`Waiting for ${host}… ${seconds} s (Ctrl-C to cancel)`);
        }, 1000);
        ticker.unref();
        stopSpinner = () => spinner.stop();
      }, delayMs);
      show.unref();
      return () => {
        clearTimeout(show);
        clearInterval(ticker);
        stopSpinner?.();
      };
    },
  };
}
