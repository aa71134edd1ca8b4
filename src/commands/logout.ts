import { Flags } from '@oclif/core';
import { AwslCommand } from '../command-base.js';
import { NotLoggedInError } from '../errors.js';
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
    for (const profile of outcome.forgotten) this.log(`Forgot the IdP session and stored password of profile ${profile}.`);
    if (outcome.loggedOut.length === 0 && outcome.forgotten.length === 0) {
      const which = outcome.alreadyLoggedOut.length > 0 ? outcome.alreadyLoggedOut.join(', ') : 'no profile';
      throw new NotLoggedInError(`Already logged out (${which}).`, 'Nothing to do; awsl login logs in again.');
    }
    return outcome;
  }
}
