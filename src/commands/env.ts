import { Flags } from '@oclif/core';
import { AwslCommand } from '../command-base.js';
import { credentialVariables, ENV_FORMATS, formatEnvironment, REMOVED_VARIABLES, type CredentialVariables, type EnvFormat } from '../aws/environment.js';
import { ensureCredentials } from '../pipeline/ensure-credentials.js';

export interface EnvResult {
  profile: string;
  /** ISO 8601. */
  expiration: string;
  variables: CredentialVariables;
  /** Variables to remove from the environment. */
  unset: string[];
}

export default class Env extends AwslCommand {
  static override summary = 'Print a profile\'s temporary credentials as environment variables for a shell, a dotenv file or JSON.';
  static override description = `The same variables "awsl exec" sets: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_ACCOUNT_ID and, when known, AWS_REGION and AWS_DEFAULT_REGION; the shell formats also unset AWS_PROFILE and AWS_DEFAULT_PROFILE. Values are quoted for the chosen shell. Logs in first when needed (prompts go to the terminal, never into the output).`;
  static override examples = [
    { description: 'sh, bash, zsh', command: 'eval "$(<%= config.bin %> env --profile prod)"' },
    { description: 'fish', command: '<%= config.bin %> env --profile prod --format fish | source' },
    { description: 'PowerShell', command: '<%= config.bin %> env --profile prod --format powershell | Invoke-Expression' },
    { description: 'A dotenv file for docker compose', command: '<%= config.bin %> env --profile prod --format dotenv > .env' },
  ];
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
