import { AwslCommand } from '../command-base.js';
import { credentialProcessOutput } from '../aws/credential-process.js';
import { NeedsTerminalError } from '../errors.js';
import { ensureCredentials } from '../pipeline/ensure-credentials.js';
import * as messages from '../messages/credential-process.js';

export default class CredentialProcess extends AwslCommand {
  static override summary = messages.summary;
  static override description = messages.description;
  static override examples = messages.examples;

  async run(): Promise<void> {
    const { flags } = await this.parse(CredentialProcess);
    const profile = this.profileName(flags.profile);
    let ensured;
    try {
      ensured = await ensureCredentials(this.context(), { profile });
    } catch (error) {
      if (!(error instanceof NeedsTerminalError)) throw error;
      throw new NeedsTerminalError(`Refreshing the credentials of profile ${profile} needs a person (the IdP session is gone): ${error.message}`,
        `Log in once in a terminal: awsl login --profile ${profile}`, { cause: error });
    }
    process.stdout.write(`${JSON.stringify(credentialProcessOutput(ensured.credentials))}\n`);
  }
}
