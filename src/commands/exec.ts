import { Flags } from '@oclif/core';
import { AwslCommand } from '../command-base.js';
import { startCredentialsServer } from '../aws/credentials-server.js';
import { childEnvironment, containerEnvironment, credentialVariables } from '../aws/environment.js';
import { InvalidInputError } from '../errors.js';
import { withPrompter } from '../pipeline/context.js';
import { ensureCredentials } from '../pipeline/ensure-credentials.js';
import { splitCommandLine } from '../process/command-line.js';
import { resolveExecutable, runChild } from '../process/run-child.js';
import { SECRET_VARIABLES } from '../providers/registry.js';
import { nonInteractivePrompter } from '../ui/prompter.js';

const USAGE = 'Usage: awsl exec [--profile P] [--server] -- COMMAND [ARGS…]';

export default class Exec extends AwslCommand {
  static override summary = 'Run a command with a profile\'s temporary credentials in its environment.';
  static override description = `Sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_ACCOUNT_ID and, when known, AWS_REGION and AWS_DEFAULT_REGION (environment first, then the profile's region), and removes AWS_PROFILE and AWS_DEFAULT_PROFILE, so the command uses exactly these credentials. Logs in first when the profile's credentials are missing, for another role or have less than 15 minutes left. SIGINT, SIGTERM and SIGHUP are passed on to the command (a Ctrl-C at the terminal reaches it once), and awsl exits with the command's exit code (128 + the signal's number when a signal ended it). With --server the command gets no keys but a credentials endpoint on 127.0.0.1 (AWS_CONTAINER_CREDENTIALS_FULL_URI and a random AWS_CONTAINER_AUTHORIZATION_TOKEN, as in ECS), which the AWS SDKs and the AWS CLI ask whenever their credentials near expiry: each request is answered with fresh credentials, refreshed through the IdP session or the keyring as credential_process refreshes them (never with a prompt). Requests without the token, or from another machine, are refused.`;
  static override examples = [
    { description: 'Run a program with prod\'s credentials', command: '<%= config.bin %> exec --profile prod -- terraform plan' },
    { description: 'A shell with the credentials', command: '<%= config.bin %> --profile prod exec -- $SHELL' },
    { description: 'A long-running program that refreshes its own credentials', command: '<%= config.bin %> exec --profile prod --server -- python3 long_job.py' },
    { description: 'Use -- before a command that has flags of its own', command: '<%= config.bin %> exec -- node -e "console.log(process.env.AWS_ACCESS_KEY_ID)"' },
  ];
  static override usage = '<%= config.bin %> exec [--profile PROFILE] [--server] -- COMMAND [ARGS…]';
  /** The command's words are not awsl's; oclif must neither parse them nor take them for subcommands. */
  static override strict = false;

  static override flags = {
    server: Flags.boolean({
      summary: 'Give the command a credentials endpoint on 127.0.0.1 instead of keys (ECS style: AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN), so that it gets fresh credentials for as long as it runs.',
    }),
  };

  async run(): Promise<void> {
    const { own, command } = splitCommandLine(this.argv, USAGE);
    const { flags } = await this.parse(Exec, own);
    const [name, ...args] = command;
    if (name === undefined) throw new InvalidInputError('awsl exec needs a command to run.', USAGE);
    // Before any login: a typo should not cost a password and a push.
    if (!resolveExecutable(name)) throw new InvalidInputError(`Command not found: ${name}.`, 'Check its name, or give its full path.');
    const profile = this.profileName(flags.profile);
    const context = this.context();
    // The first login may ask; later ones run while the command may own the terminal, so they never do.
    const ensured = await ensureCredentials(context, { profile });
    const variables = credentialVariables(ensured.credentials, ensured.region);
    if (!flags.server) {
      const code = await runChild({ command: name, args, env: childEnvironment(process.env, variables), secretVariables: SECRET_VARIABLES });
      if (code !== 0) this.exit(code);
      return;
    }
    const unattended = withPrompter(context, nonInteractivePrompter((message) => this.logger.info(message)));
    const server = await startCredentialsServer(async () => (await ensureCredentials(unattended, { profile })).credentials, this.logger);
    let code: number;
    try {
      code = await runChild({ command: name, args, env: containerEnvironment(process.env, server, variables), secretVariables: SECRET_VARIABLES });
    } finally {
      await server.close();
    }
    if (code !== 0) this.exit(code);
  }
}
