/**
 * What every awsl command shares: --profile and --verbose, a logger and a prompter on the terminal,
 * Ctrl-C turned into an abort, and typed errors printed as their message with their exit code.
 */
import { Command, Errors, Flags } from '@oclif/core';
import { AwslError, CancelledError, ExitCode } from './errors.js';
import { createLogger, levelFromEnvironment, type Logger } from './ui/logger.js';
import { openTerminalPrompter, type Prompter } from './ui/prompter.js';
import { resolveProfileName } from './aws/profiles.js';
import { nearMisses } from './ui/near-miss.js';
import { isVerbose, PASS_THROUGH_COMMANDS } from './boot/argv.js';
import { createRunContext, type RunContext } from './pipeline/context.js';

/** An error as --json prints it: {"error": JsonError}. */
interface JsonError {
  name: string;
  message: string;
  hint: string | undefined;
  exitCode: number;
}

export abstract class AwslCommand extends Command {
  static override baseFlags = {
    profile: Flags.string({
      char: 'p',
      summary: 'AWS profile to use (default: AWS_PROFILE, then "default").',
      helpGroup: 'GLOBAL',
    }),
    verbose: Flags.boolean({ char: 'v', summary: 'Show debug output on stderr (secrets are redacted).', helpGroup: 'GLOBAL' }),
  };

  protected logger!: Logger;
  private openedPrompter: Prompter | undefined;
  private builtContext: RunContext | undefined;
  private readonly abortController = new AbortController();
  private readonly onInterrupt = () => this.abortController.abort(new CancelledError('Cancelled.'));

  protected get signal(): AbortSignal {
    return this.abortController.signal;
  }

  override async init(): Promise<void> {
    await super.init();
    // Before oclif parses: a parse error is logged too. Another program's -v is not awsl's.
    const verbose = isVerbose(this.argv, PASS_THROUGH_COMMANDS.has(this.id ?? ''));
    this.logger = createLogger(verbose ? 'debug' : levelFromEnvironment());
    process.on('SIGINT', this.onInterrupt);
  }

  protected profileName(flag: string | undefined): string {
    return resolveProfileName(flag);
  }

  /** The terminal prompter, opened on first use. */
  protected prompter(options: { allowPrompts?: boolean } = {}): Prompter {
    this.openedPrompter ??= openTerminalPrompter(options);
    return this.openedPrompter;
  }

  /** The run's context for the use cases, built once: the keyring inside opens only on first use. */
  protected context(options: { allowPrompts?: boolean } = {}): RunContext {
    this.builtContext ??= createRunContext({ logger: this.logger, prompter: () => this.prompter(options), signal: this.signal });
    return this.builtContext;
  }

  protected override async finally(error: Error | undefined): Promise<void> {
    process.off('SIGINT', this.onInterrupt);
    this.openedPrompter?.close();
    await super.finally(error);
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<void> {
    const cause: Error & { oclif?: { exit?: number } } = this.signal.aborted && error.name === 'AbortError' ? (this.signal.reason as Error) : error;
    // this.exit() inside run() or above: not an error to report.
    if (cause instanceof Errors.ExitError) throw cause;
    let report: JsonError;
    if (cause instanceof AwslError) {
      report = { name: cause.name, message: cause.message, hint: cause.hint, exitCode: cause.exitCode };
    } else if (cause.oclif?.exit === ExitCode.InvalidInput) {
      report = this.parseErrorReport(cause);
    } else if (cause.oclif?.exit !== undefined && !this.jsonEnabled()) {
      throw cause;
    } else {
      report = { name: 'UnexpectedError', message: cause.message, hint: 'Run again with --verbose and report it if it repeats.', exitCode: cause.oclif?.exit ?? ExitCode.Unexpected };
    }
    const text = report.name === 'UnexpectedError' ? `Unexpected error: ${report.message}\n${report.hint}` : `${report.message}${report.hint ? `\n${report.hint}` : ''}`;
    if (this.jsonEnabled()) {
      this.logJson({ error: report });
      // stdout may be a file or a pipe; a person watching the terminal still learns what went wrong (ux-findings P9).
      if (process.stderr.isTTY) process.stderr.write(`${text}\n`);
    } else {
      process.stderr.write(`${text}\n`);
    }
    this.logger?.debug(cause.stack ?? '');
    this.exit(report.exitCode);
  }

  /**
   * oclif's flag and argument errors as one line and a hint, instead of the usage dump that buries
   * them: a misspelt flag names the one meant.
   */
  private parseErrorReport(cause: Error & { flags?: unknown }): JsonError {
    const lines = cause.message.split('\n').map((line) => line.trim())
      .filter((line) => line && line !== 'The following errors occurred:' && !line.startsWith('See more help'));
    const command = `${this.config.bin} ${(this.id ?? '').replaceAll(':', ' ')}`.trimEnd();
    const known = Object.keys({ ...this.ctor.baseFlags, ...this.ctor.flags, ...(this.ctor.enableJsonFlag ? { json: true } : {}) });
    const typed = Array.isArray(cause.flags) ? cause.flags.map(String) : [];
    const meant = typed.flatMap((flag) => nearMisses(flag.replace(/^-+/, '').split('=')[0]!, known).map((name) => `--${name}`));
    const suggestion = meant.length > 0 ? `Did you mean ${meant.join(' or ')}? ` : '';
    return { name: 'InvalidInputError', message: lines.join('; '), hint: `${suggestion}Run ${command} --help.`, exitCode: ExitCode.InvalidInput };
  }
}
