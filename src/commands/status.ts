import { Flags } from '@oclif/core';
import { AwslCommand } from '../command-base.js';
import { profileStatuses, type ProfileStatus } from '../pipeline/status.js';
import { formatStatusDetails, formatStatusTable } from '../ui/status-view.js';

export interface StatusResult {
  profiles: ProfileStatus[];
}

export default class Status extends AwslCommand {
  static override summary = 'Show who you are logged in as: role, account, time left, IdP session.';
  static override description = `For the profile (or every awsl profile with --all): the provider, the role and account of the current credentials (the configured role when logged out; account names from awsl_account_names), how long the credentials last, whether an IdP session is saved (so the next login needs no password), and where the credentials live (~/.aws/credentials, or awsl's private cache for credential_process profiles). Reads local files only: no network, nothing changes. Also available as "awsl whoami".`;
  static override hiddenAliases = ['whoami'];
  static override examples = [
    { description: 'The default profile', command: '<%= config.bin %> status' },
    { description: 'Profile prod, by its alias', command: '<%= config.bin %> whoami --profile prod' },
    { description: 'Every awsl profile, as a table', command: '<%= config.bin %> status --all' },
    { description: 'Seconds left, for scripts', command: '<%= config.bin %> status --json | jq \'.profiles[0].secondsLeft\'' },
  ];
  static override enableJsonFlag = true;
  static override flags = {
    all: Flags.boolean({ char: 'a', summary: 'Every profile set up for awsl.' }),
  };

  async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status);
    const profiles = await profileStatuses(this.context(), { profile: this.profileName(flags.profile), all: flags.all });
    const now = new Date();
    const [only] = profiles;
    if (!only) this.logger.info('No profile is set up for awsl yet: awsl login configure --profile NAME');
    else if (flags.all) this.log(formatStatusTable(profiles, now));
    else this.log(formatStatusDetails(only, now));
    return { profiles };
  }
}
