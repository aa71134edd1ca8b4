import { Flags } from '@oclif/core';
import { AwslCommand } from '../command-base.js';
import { ProfileNotConfiguredError } from '../errors.js';
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
    const profile = this.profileName(flags.profile);
    let all = flags.all;
    let profiles: ProfileStatus[];
    try {
      profiles = await profileStatuses(this.context(), { profile, all });
    } catch (error) {
      // No profile named and no default one: every awsl profile is the useful answer (ux-findings P12).
      const named = flags.profile !== undefined || Boolean(process.env.AWS_PROFILE);
      if (named || !(error instanceof ProfileNotConfiguredError)) throw error;
      all = true;
      profiles = await profileStatuses(this.context(), { profile, all });
      if (profiles.length === 0) throw error;
      this.logger.info(`Profile ${profile} is not set up for awsl; these are (--profile NAME shows one):`);
    }
    const now = new Date();
    const [only] = profiles;
    if (!only) this.logger.info('No profile is set up for awsl yet: awsl login configure --profile NAME');
    else if (all) this.log(formatStatusTable(profiles, now));
    else {
      this.log(formatStatusDetails(only, now));
      if (only.state === 'expired' || only.state === 'logged-out') this.logger.info(`Log in: awsl login --profile ${only.profile}`);
    }
    return { profiles };
  }
}
