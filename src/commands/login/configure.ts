import { Flags } from '@oclif/core';
import { credentialProcessCommand } from '../../aws/credential-process.js';
import { runningAwslProgram } from '../../aws/install.js';
import { AwslCommand } from '../../command-base.js';
import { configureProfile } from '../../pipeline/configure.js';
import { ALL_SETTINGS, PROVIDER_NAMES, PROVIDER_SETTING } from '../../providers/registry.js';
import * as messages from '../../messages/login-configure.js';

/** One flag per setting, named after it. */
const settingFlags = Object.fromEntries(ALL_SETTINGS.map((setting) => [setting.flag, setting.boolean
  ? Flags.boolean({ summary: `${setting.label} (${setting.key}).`, allowNo: true })
  : Flags.string({ summary: `${setting.label} (${setting.key}).` })]));

export interface ConfigureResult {
  profile: string;
  file: string;
  provider: string;
  changed: Record<string, string>;
}

export default class LoginConfigure extends AwslCommand {
  static override summary = messages.summary;
  static override description = messages.description;
  static override examples = messages.examples;
  static override enableJsonFlag = true;
  static override flags = {
    provider: Flags.string({ summary: `Identity provider (${PROVIDER_SETTING.key}).`, options: [...PROVIDER_NAMES] }),
    ...settingFlags,
    'credential-process': Flags.boolean({
      summary: 'Make the AWS CLI get this profile\'s credentials from awsl (credential_process), refreshed silently; --no-credential-process switches back.',
      allowNo: true,
    }),
    unset: Flags.string({
      summary: 'Remove a setting from the profile: its key (awsl_role_arn) or its flag name (role-arn); repeat for more.',
      multiple: true,
      helpValue: 'SETTING',
    }),
    prompt: Flags.boolean({ summary: 'Ask for settings not given as flags (--no-prompt: never ask).', allowNo: true, default: true }),
  };

  async run(): Promise<ConfigureResult> {
    const { flags } = await this.parse(LoginConfigure);
    const values = flags as Record<string, string | boolean | undefined>;
    const given: Record<string, string | undefined> = { [PROVIDER_SETTING.key]: flags.provider };
    for (const setting of ALL_SETTINGS) {
      const value = values[setting.flag];
      given[setting.key] = value === undefined ? undefined : String(value);
    }
    const context = this.context({ allowPrompts: flags.prompt });
    const profile = this.profileName(flags.profile);
    const outcome = await configureProfile(context, {
      profile,
      given,
      unset: flags.unset,
      prompt: flags.prompt && context.prompter().interactive,
      credentialProcess: flags['credential-process'],
      credentialProcessCommand: credentialProcessCommand(runningAwslProgram(this.config.root), profile),
    });
    const count = Object.keys(outcome.changed).length;
    if (count === 0) {
      this.log(`Profile ${outcome.profile} is unchanged (${outcome.file}).`);
    } else {
      this.log(`Saved ${count} setting${count === 1 ? '' : 's'} of profile ${outcome.profile} in ${outcome.file}.`);
      this.log(`Next: awsl --profile ${outcome.profile} login`);
    }
    return outcome;
  }
}
