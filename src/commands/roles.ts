import { AwslCommand } from '../command-base.js';
import { RoleUnavailableError } from '../errors.js';
import { idpFlags, loginOptions, readPasswordFromStdin } from '../login-flags.js';
import { grantedRoles } from '../pipeline/roles.js';
import { formatGrantedRoles } from '../ui/roles-view.js';

export interface RolesResult {
  profile: string;
  usedSavedSession: boolean;
  configuredRoleArn: string | null;
  accounts: Array<{
    accountId: string;
    accountName: string | null;
    roles: Array<{ roleArn: string; roleName: string; principalArn: string; partition: string }>;
  }>;
}

export default class Roles extends AwslCommand {
  static override summary = 'List the roles your IdP grants you, grouped by account, without calling AWS.';
  static override description = `Asks the IdP for a SAML assertion — through the saved IdP session when there is one, so no password or second factor — and lists the AWS roles in it, grouped by account with the names from awsl_account_names. STS is not called and no credentials change. Without a saved session (some providers keep none) awsl asks for the password and second factor as login does; with no terminal it fails at once.`;
  static override examples = [
    { description: 'The roles of the default profile\'s IdP', command: '<%= config.bin %> roles' },
    { description: 'The roles a profile can switch to', command: '<%= config.bin %> roles --profile prod' },
    { description: 'Role ARNs only, for scripts', command: '<%= config.bin %> roles --json | jq -r \'.accounts[].roles[].roleArn\'' },
  ];
  static override enableJsonFlag = true;
  static override flags = { ...idpFlags };

  async run(): Promise<RolesResult> {
    const { flags } = await this.parse(Roles);
    const profile = this.profileName(flags.profile);
    const outcome = await grantedRoles(this.context(), {
      profile,
      options: loginOptions(flags),
      stdinPassword: flags['password-stdin'] ? await readPasswordFromStdin('awsl roles') : undefined,
    });
    if (outcome.roles.length === 0) {
      throw new RoleUnavailableError(`The IdP grants no AWS role to this user (profile ${profile}).`,
        'Ask your IdP administrator to release the https://aws.amazon.com/SAML/Attributes/Role attribute for you.');
    }
    this.log(formatGrantedRoles(outcome.roles, outcome.accountNames, outcome.configuredRoleArn));
    if (outcome.configuredRoleArn && outcome.roles.some((role) => role.roleArn === outcome.configuredRoleArn)) {
      this.logger.info(`* marks the role profile ${profile} logs in with (awsl_role_arn).`);
    }
    const accounts: RolesResult['accounts'] = [];
    for (const role of outcome.roles) {
      let group = accounts.at(-1);
      if (group?.accountId !== role.accountId) {
        group = { accountId: role.accountId, accountName: outcome.accountNames.get(role.accountId) ?? null, roles: [] };
        accounts.push(group);
      }
      group.roles.push({ roleArn: role.roleArn, roleName: role.roleName, principalArn: role.principalArn, partition: role.partition });
    }
    return { profile, usedSavedSession: outcome.usedSavedSession, configuredRoleArn: outcome.configuredRoleArn ?? null, accounts };
  }
}
