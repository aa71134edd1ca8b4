import { Flags } from '@oclif/core';
import { credentialProcessCommand } from '../../aws/credential-process.js';
import { runningAwslProgram } from '../../aws/install.js';
import { AwslCommand } from '../../command-base.js';
import { configureProfile } from '../../pipeline/configure.js';
import { PROVIDER_NAMES, PROVIDER_SETTING, SETTINGS } from '../../settings.js';
import { osKeyring } from '../../state/secret-store.js';
import { oneloginClientSecretAccount } from '../../providers/onelogin/client-secret.js';

const BOOLEAN_SETTINGS = new Set(['enable-keyring', 'verify-tls']);

/** One flag per setting, named after it. */
const settingFlags = Object.fromEntries(SETTINGS.map((setting) => [setting.flag, BOOLEAN_SETTINGS.has(setting.flag)
  ? Flags.boolean({ summary: `${setting.label} (${setting.key}).`, allowNo: true })
  : Flags.string({ summary: `${setting.label} (${setting.key}).` })]));

export interface ConfigureResult {
  profile: string;
  file: string;
  provider: string;
  changed: Record<string, string>;
}

export default class LoginConfigure extends AwslCommand {
  static override summary = 'Set up a profile for awsl: the identity provider and its settings.';
  static override description = `Asks first for the provider (${PROVIDER_NAMES.join(' or ')}), then that provider's settings, showing the current value in brackets; Enter keeps it. Every prompt has a flag, and --no-prompt (implied when there is no terminal) runs unattended. Settings go into the profile's own section of ~/.aws/config (AWS_CONFIG_FILE) under awsl_ keys; nothing else in the file changes. The OneLogin client secret goes into the OS keyring (or comes from AWSL_ONELOGIN_CLIENT_SECRET), never into a file.`;
  static override examples = [
    { description: 'Answer the questions for the default profile', command: '<%= config.bin %> login configure' },
    { description: 'Unattended, for profile x', command: '<%= config.bin %> login configure --profile x --provider ecp --ecp-endpoint-url https://idp.example.edu/idp/profile/SAML2/SOAP/ECP --username me --no-prompt' },
    { description: 'A OneLogin profile', command: 'AWSL_ONELOGIN_CLIENT_SECRET=… <%= config.bin %> login configure --profile ol --provider onelogin --onelogin-subdomain acme --onelogin-app-id 123456 --onelogin-client-id abc --onelogin-region us --username me@acme.com --no-prompt' },
    { description: 'Let the AWS CLI ask awsl for credentials (credential_process), refreshed silently through the IdP session', command: '<%= config.bin %> login configure --profile prod --credential-process' },
  ];
  static override enableJsonFlag = true;
  static override flags = {
    provider: Flags.string({ summary: `Identity provider (${PROVIDER_SETTING.key}).`, options: [...PROVIDER_NAMES] }),
    ...settingFlags,
    'credential-process': Flags.boolean({
      summary: 'Make the AWS CLI get this profile\'s credentials from awsl (credential_process), refreshed silently; --no-credential-process switches back.',
      allowNo: true,
    }),
    prompt: Flags.boolean({ summary: 'Ask for settings not given as flags (--no-prompt: never ask).', allowNo: true, default: true }),
  };

  async run(): Promise<ConfigureResult> {
    const { flags } = await this.parse(LoginConfigure);
    const values = flags as Record<string, string | boolean | undefined>;
    const given: Record<string, string | undefined> = { [PROVIDER_SETTING.key]: flags.provider };
    for (const setting of SETTINGS) {
      const value = values[setting.flag];
      given[setting.key] = value === undefined ? undefined : String(value);
    }
    const prompter = this.prompter({ allowPrompts: flags.prompt });
    const profile = this.profileName(flags.profile);
    const outcome = await configureProfile({
      profile,
      given,
      prompt: flags.prompt && prompter.interactive,
      prompter,
      logger: this.logger,
      secrets: () => osKeyring(),
      clientSecretAccount: oneloginClientSecretAccount,
      credentialProcess: flags['credential-process'],
      credentialProcessCommand: credentialProcessCommand(runningAwslProgram(this.config.root), profile),
    });
    const count = Object.keys(outcome.changed).length;
    this.log(count === 0
      ? `Profile ${outcome.profile} is unchanged (${outcome.file}).`
      : `Saved ${count} setting${count === 1 ? '' : 's'} of profile ${outcome.profile} in ${outcome.file}.`);
    return outcome;
  }
}
