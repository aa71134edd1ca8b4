import { AwslCommand } from '../command-base.js';
import { childEnvironment, credentialVariables } from '../aws/environment.js';
import { InvalidInputError } from '../errors.js';
import { ensureCredentials } from '../pipeline/ensure-credentials.js';
import { splitCommandLine } from '../boot/argv.js';
import { runChild, runnableProgram } from '../process/run-child.js';
import { SECRET_VARIABLES } from '../providers/registry.js';
import * as messages from '../messages/exec.js';

const USAGE = 'Usage: awsl exec [--profile P] -- COMMAND [ARGS…]';

export default class Exec extends AwslCommand {
  static override summary = messages.summary;
  static override description = messages.description;
  static override examples = messages.examples;
  static override usage = '<%= config.bin %> exec [--profile PROFILE] -- COMMAND [ARGS…]';
  /** The command's words are not awsl's; oclif must neither parse them nor take them for subcommands. */
  static override strict = false;

  async run(): Promise<void> {
    const { own, command, problem } = splitCommandLine(this.argv);
    if (problem !== undefined) throw new InvalidInputError(problem, USAGE);
    const { flags } = await this.parse(Exec, own);
    const [name, ...args] = command;
    if (name === undefined) throw new InvalidInputError('awsl exec needs a command to run.', USAGE);
    // Before any login: a typo should not cost a password and a push.
    const program = runnableProgram(name);
    const ensured = await ensureCredentials({ profile: this.profileName(flags.profile), prompter: this.prompter(), logger: this.logger, signal: this.signal });
    const code = await runChild({ command: program, args, env: childEnvironment(process.env, credentialVariables(ensured.credentials, ensured.region)), secretVariables: SECRET_VARIABLES });
    if (code !== 0) this.exit(code);
  }
}
