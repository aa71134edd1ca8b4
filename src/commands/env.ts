import { Flags } from '@oclif/core';
import { AwslCommand } from '../command-base.js';
import { credentialVariables, ENV_FORMATS, formatEnvironment, REMOVED_VARIABLES, type CredentialVariables, type EnvFormat } from '../aws/environment.js';
import { ensureCredentials } from '../pipeline/ensure-credentials.js';
import * as messages from '../messages/env.js';

export interface EnvResult {
  profile: string;
  /** ISO 8601. */
  expiration: string;
  variables: CredentialVariables;
  /** Variables to remove from the environment. */
  unset: string[];
}

export default class Env extends AwslCommand {
  static override summary = messages.summary;
  static override description = messages.description;
  static override examples = messages.examples;
  static override enableJsonFlag = true;
  static override flags = {
    format: Flags.string({ summary: 'Output format.', options: [...ENV_FORMATS], default: 'sh' }),
  };

  async run(): Promise<EnvResult> {
    const { flags } = await this.parse(Env);
    const profile = this.profileName(flags.profile);
    const ensured = await ensureCredentials(this.context(), { profile });
    const variables = credentialVariables(ensured.credentials, ensured.region);
    if (!this.jsonEnabled()) process.stdout.write(formatEnvironment(variables, flags.format as EnvFormat));
    return { profile, expiration: ensured.credentials.expiration.toISOString(), variables, unset: [...REMOVED_VARIABLES] };
  }
}
