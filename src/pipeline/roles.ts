/**
 * `awsl roles`: the first half of the login pipeline — provider → SAML checks — and no STS.
 * The saved IdP session is used when the provider keeps one; otherwise the provider asks for the
 * password and second factor as login does, or fails at once when there is no terminal.
 */
import type { AwsRole } from '../saml/response.js';
import { orderRoles } from './choose-role.js';
import type { RunContext } from './context.js';
import { authenticateProfile, type AuthenticationRequest } from './login.js';

/** What login needs to authenticate, without a role to pick. */
export type RolesRequest = Omit<AuthenticationRequest, 'roleArn'>;

export interface RolesOutcome {
  profile: string;
  /** In menu order: accounts by label, roles by name. */
  roles: AwsRole[];
  accountNames: ReadonlyMap<string, string>;
  /** The profile's awsl_role_arn, if any. */
  configuredRoleArn: string | undefined;
  /** True when no password or second factor was asked. */
  usedSavedSession: boolean;
}

export async function grantedRoles(context: RunContext, request: RolesRequest): Promise<RolesOutcome> {
  const { settings, authentication, assertion } = await authenticateProfile(context, request);
  const { accountNames } = settings;
  return {
    profile: settings.profile,
    roles: orderRoles(assertion.roles, accountNames),
    accountNames,
    configuredRoleArn: settings.roleArn,
    usedSavedSession: authentication.usedSavedSession,
  };
}
