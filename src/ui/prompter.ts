/**
 * Prompts go to the terminal (/dev/tty), never to stdout, so `awsl ... | jq` and credential_process
 * output stay clean, and `--password-stdin` can use stdin for the password. With no terminal every
 * prompt fails at once with the command that would avoid it.
 */
import { closeSync, openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { NeedsTerminalError, CancelledError } from '../errors.js';

export interface AskOptions {
  /** Shown in brackets and returned on Enter. */
  defaultValue?: string;
  /** Input is not echoed. */
  secret?: boolean;
  /** When there is no terminal, the error names this as the way out. */
  unattendedHint?: string;
}

export interface Spinner {
  update(text: string): void;
  stop(finalText?: string): void;
}

export interface Prompter {
  readonly interactive: boolean;
  ask(question: string, options?: AskOptions): Promise<string>;
  /** A line of status on the terminal (stderr when there is none). */
  say(message: string): void;
  spinner(text: string): Spinner;
  close(): void;
}

const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A prompter on the controlling terminal, or a non-interactive one when there is none. */
export function openTerminalPrompter(options: { allowPrompts?: boolean } = {}): Prompter {
  if (options.allowPrompts === false) return nonInteractivePrompter();
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    return nonInteractivePrompter();
  }
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  input.pause();
  return new TerminalPrompter(fd, input, output);
}

export function nonInteractivePrompter(say: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): Prompter {
  return {
    interactive: false,
    async ask(question, options) {
      throw new NeedsTerminalError(`awsl needs to ask "${question.trim()}" but there is no terminal.`,
        options?.unattendedHint ?? 'Run the command in a terminal, or give the answer as a flag or setting.');
    },
    say,
    spinner(text) {
      say(text);
      return { update() {}, stop(finalText) { if (finalText) say(finalText); } };
    },
    close() {},
  };
}

class TerminalPrompter implements Prompter {
  readonly interactive = true;
  private activeSpinner: { release(): void } | undefined;
  /** Typed-ahead input after the line last read (answers can arrive in one chunk). */
  private pending = '';

  constructor(
    private readonly fd: number,
    private readonly input: ReadStream,
    private readonly output: WriteStream,
  ) {}

  async ask(question: string, options: AskOptions = {}): Promise<string> {
    const shown = options.defaultValue !== undefined && options.defaultValue !== '' ? ` [${options.defaultValue}]` : '';
    // Raw mode (no echo) before the question shows: an answer typed the moment it appears, a
    // secret included, must never be echoed by the terminal itself.
    this.input.setRawMode(true);
    this.output.write(`${question}${shown}: `);
    const answer = await this.readLine(options.secret === true);
    return answer === '' && options.defaultValue !== undefined ? options.defaultValue : answer;
  }

  say(message: string): void {
    this.output.write(`${message}\n`);
  }

  /**
   * One line, redrawn in place and never wider than the terminal (a wrapped line would add a line
   * per frame). Keys typed meanwhile are not echoed into it: the terminal is in raw mode and they
   * are dropped, except Ctrl-C, which raw mode no longer turns into SIGINT, so it is sent here.
   * While a spinner runs, another one (a slow request inside a push wait) shows nothing.
   */
  spinner(text: string): Spinner {
    if (this.activeSpinner) return { update() {}, stop() {} };
    let current = text;
    let frame = 0;
    const draw = () => {
      const width = Math.max(10, (this.output.columns || 80) - 1);
      const line = [...`${SPINNER_FRAMES[frame++ % SPINNER_FRAMES.length]} ${current}`];
      this.output.write(`\r\x1b[K${line.length > width ? `${line.slice(0, width - 1).join('')}…` : line.join('')}`);
    };
    const onKey = (data: Buffer | string) => {
      if (data.toString().includes('\u0003')) process.kill(process.pid, 'SIGINT');
    };
    this.input.setRawMode(true);
    this.input.on('data', onKey);
    this.input.resume();
    draw();
    const timer = setInterval(draw, 100);
    timer.unref();
    const spinner = {
      release: () => {
        clearInterval(timer);
        this.input.off('data', onKey);
        this.input.setRawMode(false);
        this.input.pause();
        this.activeSpinner = undefined;
      },
    };
    this.activeSpinner = spinner;
    return {
      update: (next) => { current = next; },
      stop: (finalText) => {
        if (this.activeSpinner !== spinner) return;
        spinner.release();
        this.output.write(`\r\x1b[K${finalText ? `${finalText}\n` : ''}`);
      },
    };
  }

  close(): void {
    this.activeSpinner?.release();
    this.input.destroy();
    try {
      closeSync(this.fd);
    } catch {
      // already closed by the stream
    }
  }

  /** Reads one line in raw mode (set by ask), so that secrets are not echoed and Ctrl-C is ours to handle. */
  private readLine(secret: boolean): Promise<string> {
    return new Promise((resolve, reject) => {
      let line = '';
      let done = false;
      const finish = (rest: string, error?: Error) => {
        done = true;
        this.pending = rest;
        this.input.off('data', onData);
        this.input.setRawMode(false);
        this.input.pause();
        this.output.write('\n');
        if (error) reject(error);
        else resolve(line);
      };
      const onData = (data: Buffer | string) => {
        const chars = [...data.toString()];
        for (let index = 0; index < chars.length; index += 1) {
          const char = chars[index]!;
          const rest = () => chars.slice(index + (char === '\r' && chars[index + 1] === '\n' ? 2 : 1)).join('');
          if (char === '\r' || char === '\n') return finish(rest());
          if (char === '\u0003') return finish('', new CancelledError('Cancelled.'));
          if (char === '\u0004' && line === '') return finish('', new CancelledError('Cancelled (end of input).'));
          if (char === '\u007f' || char === '\b') {
            if (line.length > 0) {
              line = line.slice(0, -1);
              if (!secret) this.output.write('\b \b');
            }
            continue;
          }
          if (char < ' ') continue;
          line += char;
          if (!secret) this.output.write(char);
        }
      };
      this.input.on('data', onData);
      const typedAhead = this.pending;
      this.pending = '';
      if (typedAhead) onData(typedAhead);
      if (!done) this.input.resume();
    });
  }
}
