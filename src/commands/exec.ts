import { Flags } from '@oclif/core';
import { AwslCommand } from '../command-base.js';
import { startCredentialsServer } from '../aws/credentials-server.js';
import { childEnvironment, containerEnvironment, credentialVariables } from '../aws/environment.js';
import { InvalidInputError } from '../errors.js';
import { withPrompter } from '../pipeline/context.js';
import { ensureCredentials } from '../pipeline/ensure-credentials.js';
import { splitCommandLine } from '../boot/argv.js';
import { runChild, runnableProgram } from '../process/run-child.js';
import { SECRET_VARIABLES } from '../providers/registry.js';
import { nonInteractivePrompter } from '../ui/prompter.js';
import * as messages from '../messages/exec.js';

const USAGE = 'Usage: awsl exec [--profile P] [--server] -- COMMAND [ARGS…]';

export default class Exec extends AwslCommand {
  static override summary = messages.summary;
  static override description = messages.description;
  static override examples = messages.examples;
  // oclif writes "$ awsl exec" itself.
  static override usage = 'exec [--profile PROFILE] [--server] -- COMMAND [ARGS…]';
  /** The command's words are not awsl's; oclif must neither parse them nor take them for subcommands. */
  static override strict = false;

  static override flags = {
    server: Flags.boolean({
      summary: 'Give the command a credentials endpoint on 127.0.0.1 instead of keys (ECS style: AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN), so that it gets fresh credentials for as long as it runs.',
    }),
  };

  async run(): Promise<void> {
    const { own, command, problem } = splitCommandLine(this.argv, new Set(Object.keys(Exec.flags).map((flag) => `--${flag}`)));
    if (problem !== undefined) throw new InvalidInputError(problem, USAGE);
    const { flags } = await this.parse(Exec, own);
    const [name, ...args] = command;
    if (name === undefined) throw new InvalidInputError('awsl exec needs a command to run.', USAGE);
    // Before any login: a typo should not cost a password and a push.
    const program = runnableProgram(name);
    const profile = this.profileName(flags.profile);
    const context = this.context();
    // The first login may ask; later ones run while the command may own the terminal, so they never do.
    const ensured = await ensureCredentials(context, { profile });
    const variables = credentialVariables(ensured.credentials, ensured.region);
    if (!flags.server) {
      const code = await runChild({ command: program, args, env: childEnvironment(process.env, variables), secretVariables: SECRET_VARIABLES });
      if (code !== 0) this.exit(code);
      return;
    }
    const unattended = withPrompter(context, nonInteractivePrompter((message) => this.logger.info(message)));
    const server = await startCredentialsServer(async () => (await ensureCredentials(unattended, { profile })).credentials, this.logger);
    let code: number;
    try {
      code = await runChild({ command: program, args, env: containerEnvironment(process.env, server, variables), secretVariables: SECRET_VARIABLES });
    } finally {
      await server.close();
    }
    if (code !== 0) this.exit(code);
  }
}
