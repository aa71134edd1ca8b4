import { Flags } from '@oclif/core';
import { AwslCommand } from '../command-base.js';
import { logout, type LogoutOutcome } from '../pipeline/logout.js';

export default class Logout extends AwslCommand {
  static override summary = 'Remove a profile\'s AWS credentials, keeping the IdP session for the next login.';
  static override description = `Removes what awsl wrote into the profile's section of ~/.aws/credentials; other keys stay. The IdP session is kept, so the next "awsl login" (for example with another --role-arn) needs no password or second factor while the IdP session lasts. --forget also forgets the IdP session and the password stored in the keyring. A profile already logged out is not an error (exit 0): the state asked for is there.`;
  static override examples = [
    { description: 'Log out of the default profile', command: '<%= config.bin %> logout' },
    { description: 'Switch role without a password', command: '<%= config.bin %> logout && <%= config.bin %> login --role-arn arn:aws:iam::123456789012:role/ReadOnly' },
    { description: 'Log out of every awsl profile', command: '<%= config.bin %> logout --all' },
    { description: 'Also forget the IdP session and the stored password', command: '<%= config.bin %> logout --profile prod --forget' },
  ];
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
