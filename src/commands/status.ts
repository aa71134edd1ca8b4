import { Flags } from '@oclif/core';
import { AwslCommand } from '../command-base.js';
import { profileStatuses, type ProfileStatus } from '../pipeline/status.js';
import { formatStatusDetails, formatStatusTable } from '../ui/status-view.js';
import * as messages from '../messages/status.js';

export interface StatusResult {
  profiles: ProfileStatus[];
}

export default class Status extends AwslCommand {
  static override summary = messages.summary;
  static override description = messages.description;
  static override hiddenAliases = ['whoami'];
  static override examples = messages.examples;
  static override enableJsonFlag = true;
  static override flags = {
    all: Flags.boolean({ char: 'a', summary: 'Every profile set up for awsl.' }),
  };

  async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status);
    const profiles = await profileStatuses({ profile: this.profileName(flags.profile), all: flags.all });
    const now = new Date();
    const [only] = profiles;
    if (!only) this.logger.info('No profile is set up for awsl yet: awsl login configure --profile NAME');
    else if (flags.all) this.log(formatStatusTable(profiles, now));
    else this.log(formatStatusDetails(only, now));
    return { profiles };
  }
}
