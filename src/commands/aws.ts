import { AwslCommand } from '../command-base.js';
import { profileEnvironment } from '../aws/environment.js';
import { InvalidInputError } from '../errors.js';
import { ensureCredentials } from '../pipeline/ensure-credentials.js';
import { awsCliCommandLine } from '../boot/argv.js';
import { resolveExecutable, runChild } from '../process/run-child.js';
import { SECRET_VARIABLES } from '../providers/registry.js';
import * as messages from '../messages/aws.js';

export default class Aws extends AwslCommand {
  static override summary = messages.summary;
  static override description = messages.description;
  static override examples = messages.examples;
  // oclif writes "$ awsl aws" itself; the shorter form without "aws" is in the description and examples.
  static override usage = 'aws [--profile PROFILE] AWS_CLI_ARGS…';
  /** Every word is the AWS CLI's; oclif must not parse them. */
  static override strict = false;

  async run(): Promise<void> {
    const { profile: flagProfile, rest, problem } = awsCliCommandLine(this.argv);
    if (problem !== undefined) throw new InvalidInputError(problem, 'Give it as --profile NAME.');
    const cli = awsCli(process.env);
    const profile = this.profileName(flagProfile);
    await ensureCredentials(this.context(), { profile });
    // A --profile the user typed goes on to the AWS CLI as well: it sees the command line as typed.
    const args = flagProfile === undefined ? rest : ['--profile', flagProfile, ...rest];
    const code = await runChild({ command: cli, args, env: profileEnvironment(process.env, profile), secretVariables: SECRET_VARIABLES });
    if (code !== 0) this.exit(code);
  }
}

/** AWSL_AWS_CLI, else the first `aws` on PATH; checked before any login. */
function awsCli(env: NodeJS.ProcessEnv): string {
  const override = env.AWSL_AWS_CLI;
  if (override) {
    const found = resolveExecutable(override, env);
    if (!found) throw new InvalidInputError(`AWSL_AWS_CLI is ${override}, which is not an executable file.`, 'Point it at the AWS CLI (for example /usr/local/bin/aws), or unset it to use "aws" on PATH.');
    return found;
  }
  const found = resolveExecutable('aws', env);
  if (!found) {
    throw new InvalidInputError('The AWS CLI ("aws") is not installed or not on PATH, so awsl cannot pass this command to it.',
      'Install AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html), or set AWSL_AWS_CLI to its path.');
  }
  return found;
}
