/**
 * The one pipeline: profile settings → provider → SAML checks → role → STS → credentials file.
 * Commands only choose its ends.
 */
import { storeFor, type AwsCredentials } from '../aws/credential-store.js';
import { isMaxSessionDurationError, assumeRoleWithSaml, defaultRegion } from '../aws/sts.js';
import { loadProfileSettings } from '../aws/profiles.js';
import { createHttpClient } from '../http.js';
import type { AuthenticationResult, LoginOptions, ProviderContext } from '../providers/provider.js';
import { loadProvider } from '../providers/registry.js';
import { checkAssertion, checkStatus, parseSamlResponse, partitionOfRegion, readAssertion, signInSamlUrl, type AwsRole, type Partition, type SamlAssertionInfo } from '../saml/response.js';
import { configureHint, ENABLE_KEYRING_SETTING, type ProfileSettings } from '../settings.js';
import { stateDirectory } from '../state/paths.js';
import { osKeyring, type SecretStore } from '../state/secret-store.js';
import type { Logger } from '../ui/logger.js';
import type { Prompter } from '../ui/prompter.js';
import { chooseRole } from './choose-role.js';
import { responseToRead } from './idp-signature.js';
import { createPasswordSource } from './password.js';

export interface LoginRequest {
  profile: string;
  roleArn?: string;
  durationSeconds?: number;
  options: LoginOptions;
  stdinPassword?: string;
  prompter: Prompter;
  logger: Logger;
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
  secrets?: SecretStore;
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

export type AuthenticationRequest = Pick<LoginRequest, 'profile' | 'roleArn' | 'options' | 'stdinPassword' | 'prompter' | 'logger' | 'signal' | 'env' | 'secrets'>;

export interface AuthenticatedAssertion {
  settings: ProfileSettings;
  authentication: AuthenticationResult;
  assertion: SamlAssertionInfo;
}

/** The first half of the pipeline, shared by login and roles: profile → provider → the checked assertion. */
export async function authenticateProfile(request: AuthenticationRequest): Promise<AuthenticatedAssertion> {
  const env = request.env ?? process.env;
  const settings = await loadProfileSettings(request.profile, env);
  const acsUrl = signInSamlUrl(partitionOf(request.roleArn ?? settings.roleArn, settings.region));
  const provider = await loadProvider(settings);
  const context = providerContext(request, settings, acsUrl, env);
  const authentication = await provider.authenticate(context);
  const response = parseSamlResponse(authentication.samlResponse, `the ${settings.provider} IdP`);
  checkStatus(response);
  // With awsl_idp_certificate or awsl_idp_metadata_url, the roles come only from what the IdP signed.
  const assertion = readAssertion(await responseToRead(response, authentication.samlResponse, context));
  checkAssertion(assertion, { inResponseTo: authentication.inResponseTo, acsUrl, now: new Date() });
  return { settings, authentication, assertion };
}

export async function login(request: LoginRequest): Promise<LoginOutcome> {
  const env = request.env ?? process.env;
  const { settings, authentication, assertion } = await authenticateProfile(request);
  const { accountNames } = settings;
  const role = await chooseRole({
    roles: assertion.roles, flagRoleArn: request.roleArn, settingRoleArn: settings.roleArn,
    accountNames, prompter: request.prompter, profile: request.profile,
  });
  const wanted = request.durationSeconds ?? settings.duration;
  const durationSeconds = wanted !== undefined && assertion.sessionDurationSeconds !== undefined
    ? Math.min(wanted, assertion.sessionDurationSeconds) : wanted;
  if (wanted !== undefined && durationSeconds !== wanted) {
    request.logger.info(`The IdP allows sessions of at most ${durationSeconds} s; asking STS for ${durationSeconds} s instead of ${wanted} s.`);
  }
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || settings.region || defaultRegion(role.partition);
  const assume = (seconds: number | undefined) => assumeRoleWithSaml({
    role, samlResponse: authentication.samlResponse, durationSeconds: seconds, region, profile: request.profile, signal: request.signal,
  });
  let credentials: AwsCredentials;
  let durationReduced = false;
  try {
    credentials = await assume(durationSeconds);
  } catch (error) {
    if (!isMaxSessionDurationError(error) || durationSeconds === undefined || durationSeconds <= FALLBACK_DURATION_SECONDS) throw error;
    request.logger.warn(`STS says ${durationSeconds} s exceeds the role's maximum session duration; retrying once with ${FALLBACK_DURATION_SECONDS} s.`);
    credentials = await assume(FALLBACK_DURATION_SECONDS);
    durationReduced = true;
  }
  // The sink: ~/.aws/credentials, or the private cache of a credential_process profile.
  await storeFor(settings, env).write(credentials, request.logger);
  return {
    profile: request.profile, role, accountName: accountNames.get(role.accountId), credentials,
    durationSeconds: durationReduced ? FALLBACK_DURATION_SECONDS : durationSeconds,
    usedSavedSession: authentication.usedSavedSession, durationReduced,
  };
}

function partitionOf(roleArn: string | undefined, region: string | undefined): Partition {
  const fromArn = /^arn:(aws|aws-cn|aws-us-gov):/.exec(roleArn ?? '')?.[1];
  return (fromArn as Partition | undefined) ?? partitionOfRegion(region);
}

export function providerContext(request: Pick<LoginRequest, 'profile' | 'options' | 'stdinPassword' | 'prompter' | 'logger' | 'signal' | 'secrets'>,
  settings: ProfileSettings, acsUrl: string, env: NodeJS.ProcessEnv): ProviderContext {
  const secrets = request.secrets ?? osKeyring();
  if (!settings.verifyTls) {
    request.logger.warn(`TLS certificate verification is OFF for profile ${settings.profile} (awsl_verify_tls = false): anyone on the network path can read your password.`);
  }
  return {
    settings,
    prompter: request.prompter,
    password: createPasswordSource({
      enableKeyring: settings.enableKeyring,
      secrets,
      prompter: request.prompter,
      logger: request.logger,
      stdinPassword: request.stdinPassword,
      unattendedHint: `Pipe the password in: awsl login --profile ${request.profile} --password-stdin, or enable the keyring: ${configureHint(request.profile, ENABLE_KEYRING_SETTING)}`,
    }),
    secrets,
    http: createHttpClient({ caBundlePath: settings.caBundle ?? env.AWS_CA_BUNDLE, verifyTls: settings.verifyTls, logger: request.logger }),
    stateDirectory: stateDirectory(env),
    logger: request.logger,
    signal: request.signal,
    options: request.options,
    acsUrl,
    env,
  };
}
