import { AwslCommand } from '../command-base.js';
import { RoleUnavailableError } from '../errors.js';
import { idpFlags, loginOptions, readPasswordFromStdin } from '../login-flags.js';
import { grantedRoles } from '../pipeline/roles.js';
import { formatGrantedRoles } from '../ui/roles-view.js';
import * as messages from '../messages/roles.js';

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
  static override summary = messages.summary;
  static override description = messages.description;
  static override examples = messages.examples;
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
