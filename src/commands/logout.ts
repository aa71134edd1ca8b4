import { Flags } from '@oclif/core';
import { AwslCommand } from '../command-base.js';
import { logout, type LogoutOutcome } from '../pipeline/logout.js';
import * as messages from '../messages/logout.js';

export default class Logout extends AwslCommand {
  static override summary = messages.summary;
  static override description = messages.description;
  static override examples = messages.examples;
  static override enableJsonFlag = true;
  static override flags = {
    all: Flags.boolean({ summary: 'Log out of every profile set up for awsl.' }),
    forget: Flags.boolean({ summary: 'Also forget the IdP session (cookies, tokens) and the password in the keyring.' }),
  };

  async run(): Promise<LogoutOutcome> {
    const { flags } = await this.parse(Logout);
    const outcome = await logout(this.context(), { profile: this.profileName(flags.profile), all: flags.all, forget: flags.forget });
    for (const profile of outcome.loggedOut) this.log(`Logged out of profile ${profile}.`);
    // Idempotent, as `aws sso logout`: nothing left to remove is the state asked for, not an error.
    for (const profile of outcome.alreadyLoggedOut) this.log(`Profile ${profile} was already logged out; nothing to remove.`);
    if (outcome.loggedOut.length === 0 && outcome.alreadyLoggedOut.length === 0) this.log('No profile is set up for awsl; nothing to remove.');
    for (const profile of outcome.forgotten) {
      this.log(`Forgot the IdP session${outcome.secretsRemoved.includes(profile) ? ' and the stored password' : ''} of profile ${profile}.`);
    }
    return outcome;
  }
}
