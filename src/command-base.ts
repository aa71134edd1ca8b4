/**
 * What every awsl command shares: --profile and --verbose, a logger and a prompter on the terminal,
 * Ctrl-C turned into an abort, and typed errors printed as their message with their exit code.
 */
import { Command, Errors, Flags } from '@oclif/core';
import { AwslError, CancelledError, ExitCode } from './errors.js';
import { createLogger, levelFromEnvironment, type Logger } from './ui/logger.js';
import { openTerminalPrompter, type Prompter } from './ui/prompter.js';
import { resolveProfileName } from './aws/profiles.js';
import { isVerbose, PASS_THROUGH_COMMANDS } from './boot/argv.js';

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

  protected override async finally(error: Error | undefined): Promise<void> {
    process.off('SIGINT', this.onInterrupt);
    this.openedPrompter?.close();
    await super.finally(error);
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<void> {
    const cause: Error & { oclif?: { exit?: number } } = this.signal.aborted && error.name === 'AbortError' ? (this.signal.reason as Error) : error;
    if (cause instanceof AwslError) {
      if (this.jsonEnabled()) {
        this.logJson({ error: { name: cause.name, message: cause.message, hint: cause.hint, exitCode: cause.exitCode } });
      } else {
        process.stderr.write(`${cause.describe()}\n`);
      }
      this.logger?.debug(cause.stack ?? '');
      this.exit(cause.exitCode);
    }
    // this.exit() inside run() or above: not an error to report.
    if (cause instanceof Errors.ExitError) throw cause;
    if (this.jsonEnabled()) {
      // Flag and argument errors (oclif's own, exit 2) and bugs get the same JSON shape as AwslError.
      const exitCode = cause.oclif?.exit ?? ExitCode.Unexpected;
      const lines = cause.message.split('\n').map((line) => line.trim()).filter((line) => line && line !== 'The following errors occurred:');
      const help = lines.find((line) => line.startsWith('See more help'));
      this.logJson({ error: exitCode === ExitCode.InvalidInput
        ? { name: 'InvalidInputError', message: lines.filter((line) => line !== help).join('; '), hint: help ?? 'See --help.', exitCode }
        : { name: 'UnexpectedError', message: cause.message, hint: 'Run again with --verbose and report it if it repeats.', exitCode } });
      this.logger?.debug(cause.stack ?? '');
      this.exit(exitCode);
    }
    if (cause.oclif?.exit !== undefined) throw cause;
    this.logger?.debug(cause.stack ?? '');
    process.stderr.write(`Unexpected error: ${cause.message}\nRun again with --verbose and report it if it repeats.\n`);
    this.exit(ExitCode.Unexpected);
  }
}
