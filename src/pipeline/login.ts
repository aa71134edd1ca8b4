/**
 * The one pipeline: profile settings → provider → SAML checks → role → STS → credentials file.
 * Commands only choose its ends.
 */
import { storeFor, usesAwslCredentialProcess, type AwsCredentials } from '../aws/credential-store.js';
import { isMaxSessionDurationError, assumeRoleWithSaml, defaultRegion, STS_READ_TIMEOUT_MS, type AssumedRoleCredentials } from '../aws/sts.js';
import { loadProfileSettings } from '../aws/profiles.js';
import { readPolicyFile, type SessionPolicy, type SessionPolicyOverride } from '../aws/session-policy.js';
import { ProfileNotConfiguredError } from '../errors.js';
import type { AuthenticationResult, LoginOptions, ProviderContext } from '../providers/provider.js';
import { descriptorOf, loadProvider, PROVIDERS } from '../providers/registry.js';
import { parseRoleArn, partitionOfRegionName } from '../aws/arn.js';
import { checkAssertion, checkStatus, parseRoleValue, parseSamlResponse, readAssertion, signInSamlUrl, type AwsRole, type Partition, type SamlAssertionInfo } from '../saml/response.js';
import { configureHint, ENABLE_KEYRING_SETTING, type ProfileSettings } from '../settings.js';
import { checkFilesBeforeLogin } from '../state/preflight.js';
import { writeSessionClaims } from '../state/session-claims.js';
import { accountLabel, formatTimeLeft } from '../ui/render.js';
import { slowRequestIndicator } from '../ui/wait-indicator.js';
import { chooseRole } from './choose-role.js';
import type { RunContext } from './context.js';
import { responseToRead } from './idp-signature.js';
import { createPasswordSource } from './password.js';
import { authenticateOncePerSession } from './shared-authentication.js';

export interface LoginRequest {
  profile: string;
  roleArn?: string;
  durationSeconds?: number;
  options: LoginOptions;
  stdinPassword?: string;
  /** This run's session policies, overriding awsl_policy_file and awsl_policy_arns. */
  sessionPolicy?: SessionPolicyOverride;
}

export interface LoginOutcome {
  profile: string;
  role: AwsRole;
  accountName: string | undefined;
  credentials: AwsCredentials;
  durationSeconds: number | undefined;
  usedSavedSession: boolean;
  /** STS refused the requested duration and awsl fell back to 3600 s. */
  durationReduced: boolean;
}

/** The STS retry asked for by the design: once, at one hour. */
const FALLBACK_DURATION_SECONDS = 3600;

export type AuthenticationRequest = Pick<LoginRequest, 'profile' | 'roleArn' | 'options' | 'stdinPassword'> & {
  /** The profile's settings when the caller has read them already. */
  settings?: ProfileSettings;
};

export interface AuthenticatedAssertion {
  settings: ProfileSettings;
  authentication: AuthenticationResult;
  assertion: SamlAssertionInfo;
}

/**
 * The first half of the pipeline, shared by login and roles: profile → provider → the checked
 * assertion. The files the login will write are checked first, before any prompt or request.
 */
export async function authenticateProfile(context: RunContext, request: AuthenticationRequest, options: { writesCredentials?: boolean } = {}): Promise<AuthenticatedAssertion> {
  const settings = request.settings ?? await loadProfileSettings(request.profile, context.env);
  await checkFilesBeforeLogin(context.env, { writesCredentialsFile: options.writesCredentials === true && !usesAwslCredentialProcess(settings.raw) });
  const acsUrl = settings.acsUrl ?? signInSamlUrl(partitionOf(request.roleArn ?? settings.roleArn, settings.region));
  const provider = await loadProvider(settings);
  const idp = providerContext(context, request, settings, acsUrl);
  const { authentication, assertion } = await authenticateOncePerSession(provider, idp, async (authentication) => {
    const response = parseSamlResponse(authentication.samlResponse, `the ${settings.provider} IdP`);
    checkStatus(response);
    // With awsl_idp_certificate or awsl_idp_metadata_url, the roles come only from what the IdP signed.
    const read = readAssertion(await responseToRead(response, authentication.samlResponse, idp));
    const assertion = read.encrypted ? { ...read, roles: [configuredRole(request.roleArn ?? settings.roleArn, settings)] } : read;
    checkAssertion(assertion, { inResponseTo: authentication.inResponseTo, acsUrl, anySignInEndpoint: settings.acsUrl === undefined, now: new Date() });
    return assertion;
  });
  return { settings, authentication, assertion };
}

/**
 * An encrypted assertion is for AWS's eyes only: awsl cannot read the roles in it, so the profile
 * must name the role and the SAML provider, and the Response goes to STS as it came.
 */
function configuredRole(roleChoice: string | undefined, settings: ProfileSettings): AwsRole {
  const { principalArn, profile } = settings;
  // A role name (login --role-arn Name) is found among the roles the assertion lists: none here.
  const roleArn = roleChoice?.startsWith('arn:') ? roleChoice : undefined;
  if (!roleArn || !principalArn) {
    const missing = [roleArn ? undefined : 'awsl_role_arn', principalArn ? undefined : 'awsl_principal_arn'].filter(Boolean).join(' and ');
    throw new ProfileNotConfiguredError(`The IdP encrypted the SAML assertion for AWS, so awsl cannot read the roles in it, and profile ${profile} has no ${missing}.`,
      `Name the role and the IAM SAML provider, and awsl passes the assertion to AWS unread: awsl login configure --profile ${profile} --role-arn arn:aws:iam::ACCOUNT:role/NAME --principal-arn arn:aws:iam::ACCOUNT:saml-provider/NAME`);
  }
  return parseRoleValue(`${roleArn},${principalArn}`);
}

/** The session policies of this login, read and checked before anyone is asked for anything. */
async function sessionPolicy(settings: ProfileSettings, override: SessionPolicyOverride | undefined): Promise<SessionPolicy> {
  const file = override?.policyFile ?? settings.policyFile;
  return { policy: file === undefined ? undefined : await readPolicyFile(file), policyArns: override?.policyArns ?? settings.policyArns };
}

export async function login(context: RunContext, request: LoginRequest): Promise<LoginOutcome> {
  const { env } = context;
  const profileSettings = await loadProfileSettings(request.profile, env);
  const policies = await sessionPolicy(profileSettings, request.sessionPolicy);
  const current = await currentRoleArn(context, profileSettings);
  const { settings, authentication, assertion } = await authenticateProfile(context, { ...request, settings: profileSettings }, { writesCredentials: true });
  const { accountNames } = settings;
  const role = await chooseRole({
    roles: assertion.roles, flagRoleArn: request.roleArn, settingRoleArn: settings.roleArn,
    accountNames, prompter: context.prompter(), profile: request.profile, currentRoleArn: current,
  });
  const wanted = request.durationSeconds ?? settings.duration;
  const durationSeconds = wanted !== undefined && assertion.sessionDurationSeconds !== undefined
    ? Math.min(wanted, assertion.sessionDurationSeconds) : wanted;
  if (wanted !== undefined && durationSeconds !== wanted) {
    context.logger.info(`The IdP allows sessions of at most ${durationSeconds} s; asking STS for ${durationSeconds} s instead of ${wanted} s.`);
  }
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || settings.region || defaultRegion(role.partition);
  // The HTTP client every awsl request gets: proxies, AWS_CA_BUNDLE, timeouts, a size limit, the debug log.
  const http = context.http({ caBundlePath: env.AWS_CA_BUNDLE, readTimeoutMs: STS_READ_TIMEOUT_MS, waiting: slowRequestIndicator(context.prompter()) });
  const assume = (seconds: number | undefined) => assumeRoleWithSaml({
    role, samlResponse: authentication.samlResponse, durationSeconds: seconds, ...policies, region, profile: request.profile, env, http, signal: context.signal,
  });
  let credentials: AssumedRoleCredentials;
  let durationReduced = false;
  try {
    credentials = await assume(durationSeconds);
  } catch (error) {
    if (!isMaxSessionDurationError(error) || durationSeconds === undefined || durationSeconds <= FALLBACK_DURATION_SECONDS) throw error;
    context.logger.warn(`STS says ${durationSeconds} s exceeds the role's maximum session duration; retrying once with ${FALLBACK_DURATION_SECONDS} s.`);
    credentials = await assume(FALLBACK_DURATION_SECONDS);
    durationReduced = true;
  }
  // The sink: ~/.aws/credentials, or the private cache of a credential_process profile.
  await storeFor(settings, env).write(credentials, context.logger);
  await writeSessionClaims(context.paths.state, settings.profile, {
    accessKeyId: credentials.accessKeyId,
    sourceIdentity: credentials.sourceIdentity ?? assertion.sourceIdentity ?? null,
    sessionTags: assertion.encrypted ? null : assertion.sessionTags,
    transitiveTagKeys: assertion.encrypted ? null : assertion.transitiveTagKeys,
  });
  return {
    profile: request.profile, role, accountName: accountNames.get(role.accountId), credentials,
    durationSeconds: durationReduced ? FALLBACK_DURATION_SECONDS : durationSeconds,
    usedSavedSession: authentication.usedSavedSession, durationReduced,
  };
}

/**
 * A repeat login while credentials are still valid goes ahead (a person who types login wants to
 * log in), but first says what is there now, on the terminal only; the menu then marks that role.
 */
async function currentRoleArn(context: RunContext, settings: ProfileSettings): Promise<string | undefined> {
  const prompter = context.prompter();
  if (!prompter.interactive) return undefined;
  // A file that cannot be read is the preflight's to report, with its fix.
  const credentials = await storeFor(settings, context.env).read().catch(() => undefined);
  const now = new Date();
  if (!credentials || credentials.expiration.getTime() <= now.getTime()) return undefined;
  const role = parseRoleArn(credentials.roleArn);
  const who = role ? ` as ${role.roleName} in account ${accountLabel(role.accountId, settings.accountNames)}` : '';
  prompter.say(`Profile ${settings.profile} is logged in${who}, ${formatTimeLeft(credentials.expiration, now)} left; logging in again.`);
  return credentials.roleArn || undefined;
}

function partitionOf(roleArn: string | undefined, region: string | undefined): Partition {
  return parseRoleArn(roleArn)?.partition ?? partitionOfRegionName(region);
}

/** What the provider gets: the run's context narrowed to the profile (its TLS settings, its password source). */
function providerContext(context: RunContext, request: AuthenticationRequest, settings: ProfileSettings, acsUrl: string): ProviderContext {
  const { env, logger } = context;
  const prompter = context.prompter();
  const secrets = context.secrets();
  // A flag of another provider is accepted by the parser (it knows every provider's), and said to be ignored.
  const own = descriptorOf(settings.provider).loginFlags ?? {};
  for (const [flag, given] of Object.entries(request.options.flags)) {
    if (given === undefined || flag in own) continue;
    const owner = PROVIDERS.find((descriptor) => flag in (descriptor.loginFlags ?? {}))?.name;
    logger.warn(`--${flag} applies to ${owner ?? 'other'} profiles; ignored for ${settings.profile} (${settings.provider}).`);
  }
  if (!settings.verifyTls) {
    logger.warn(`TLS certificate verification is OFF for profile ${settings.profile} (awsl_verify_tls = false): anyone on the network path can read your password.`);
  }
  return {
    settings,
    prompter,
    password: createPasswordSource({
      enableKeyring: settings.enableKeyring,
      secrets,
      prompter,
      logger,
      stdinPassword: request.stdinPassword,
      unattendedHint: `Pipe the password in: awsl login --profile ${request.profile} --password-stdin, or enable the keyring: ${configureHint(request.profile, ENABLE_KEYRING_SETTING)}`,
    }),
    secrets,
    http: context.http({ caBundlePath: settings.caBundle ?? env.AWS_CA_BUNDLE, verifyTls: settings.verifyTls, waiting: slowRequestIndicator(prompter) }),
    stateDirectory: context.paths.state,
    logger,
    signal: context.signal,
    options: request.options,
    acsUrl,
    env,
  };
}
