import { AwslCommand } from '../command-base.js';
import { childEnvironment, credentialVariables } from '../aws/environment.js';
import { InvalidInputError } from '../errors.js';
import { ensureCredentials } from '../pipeline/ensure-credentials.js';
import { splitCommandLine } from '../boot/argv.js';
import { runChild, runnableProgram } from '../process/run-child.js';

const USAGE = 'Usage: awsl exec [--profile P] -- COMMAND [ARGS…]';

export default class Exec extends AwslCommand {
  static override summary = 'Run a command with a profile\'s temporary credentials in its environment.';
  static override description = `Sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION and, when known, AWS_REGION and AWS_DEFAULT_REGION (environment first, then the profile's region), and removes AWS_PROFILE and AWS_DEFAULT_PROFILE, so the command uses exactly these credentials. Logs in first when the profile's credentials are missing, for another role or have less than 5 minutes left. SIGINT, SIGTERM and SIGHUP are passed on to the command (a Ctrl-C at the terminal reaches it once), and awsl exits with the command's exit code (128 + the signal's number when a signal ended it).`;
  static override examples = [
    { description: 'Run a program with prod\'s credentials', command: '<%= config.bin %> exec --profile prod -- terraform plan' },
    { description: 'A shell with the credentials', command: '<%= config.bin %> --profile prod exec -- $SHELL' },
    { description: 'Use -- before a command that has flags of its own', command: '<%= config.bin %> exec -- node -e "console.log(process.env.AWS_ACCESS_KEY_ID)"' },
  ];
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
    const code = await runChild({ command: program, args, env: childEnvironment(process.env, credentialVariables(ensured.credentials, ensured.region)) });
    if (code !== 0) this.exit(code);
  }
}
