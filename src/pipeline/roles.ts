/**
 * `awsl roles`: the first half of the login pipeline — provider → SAML checks — and no STS.
 * The saved IdP session is used when there is one (ECP); otherwise the provider asks for the
 * password and second factor as login does, or fails at once when there is no terminal.
 */
import { loadProfileSettings } from '../aws/profiles.js';
import type { LoginOptions } from '../providers/provider.js';
import { loadProvider } from '../providers/registry.js';
import { checkAssertion, checkStatus, parseSamlResponse, readAssertion, signInSamlUrl, type AwsRole } from '../saml/response.js';
import type { SecretStore } from '../state/secret-store.js';
import type { Logger } from '../ui/logger.js';
import type { Prompter } from '../ui/prompter.js';
import { orderRoles } from './choose-role.js';
import { responseToRead } from './idp-signature.js';
import { accountNamesFor, partitionOf, providerContext } from './login.js';

export interface RolesRequest {
  profile: string;
  options: LoginOptions;
  stdinPassword?: string;
  prompter: Prompter;
  logger: Logger;
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
  secrets?: SecretStore;
}

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

export async function grantedRoles(request: RolesRequest): Promise<RolesOutcome> {
  const env = request.env ?? process.env;
  const settings = await loadProfileSettings(request.profile, env);
  const acsUrl = signInSamlUrl(partitionOf(settings.roleArn, settings.region));
  const provider = await loadProvider(settings.provider);
  const context = providerContext(request, settings, acsUrl, env);
  const authentication = await provider.authenticate(context);
  const response = parseSamlResponse(authentication.samlResponse, `the ${settings.provider} IdP`);
  checkStatus(response);
  // As login does: with awsl_idp_certificate or awsl_idp_metadata_url, only roles the IdP signed.
  const assertion = readAssertion(await responseToRead(response, authentication.samlResponse, context));
  checkAssertion(assertion, { inResponseTo: authentication.inResponseTo, acsUrl, now: new Date() });
  const accountNames = await accountNamesFor(settings, env);
  return {
    profile: settings.profile,
    roles: orderRoles(assertion.roles, accountNames),
    accountNames,
    configuredRoleArn: settings.roleArn,
    usedSavedSession: authentication.usedSavedSession,
  };
}
