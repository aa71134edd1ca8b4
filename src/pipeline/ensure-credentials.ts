/**
 * "Fresh credentials for this profile, logging in if need be": what credential-process, exec, env
 * and the AWS CLI pass-through share. Current credentials (the private cache for credential_process
 * profiles, ~/.aws/credentials otherwise) are used while they have more than the refresh margin
 * left and are for the configured role; otherwise the login pipeline runs — saved IdP session
 * first, then the keyring, then the prompter. One login per profile at a time: concurrent callers
 * (the AWS CLI and SDKs may start several credential_process at once) wait for the first, then use
 * what it got instead of asking the IdP (and the person's phone) again.
 */
import { isoSeconds } from '../aws/credential-process.js';
import { storeFor, type AwsCredentials } from '../aws/credential-store.js';
import { loadProfileSettings } from '../aws/profiles.js';
import { resolveRegion } from '../aws/environment.js';
import { NeedsTerminalError } from '../errors.js';
import type { LoginOptions } from '../providers/provider.js';
import type { ProfileSettings } from '../settings.js';
import { credentialsCachePath } from '../state/credentials-cache.js';
import { withFileLock } from '../state/file-lock.js';
import { isFresh, isValidFor } from './current-credentials.js';
import type { RunContext } from './context.js';
import type { LoginOutcome, LoginRequest } from './login.js';

export interface EnsureCredentialsRequest {
  profile: string;
  options?: LoginOptions;
  /** The login pipeline; tests replace it. */
  login?: (context: RunContext, request: LoginRequest) => Promise<LoginOutcome>;
}

export interface EnsuredCredentials {
  profile: string;
  settings: ProfileSettings;
  credentials: AwsCredentials;
  /** AWS_REGION ▸ AWS_DEFAULT_REGION ▸ the profile's region. */
  region: string | undefined;
  /** The login that ran, when the current credentials would not do. */
  login: LoginOutcome | undefined;
}

/** Credentials handed out instead of a refresh that needs a person must last at least this long. */
const MIN_HANDED_OUT_SECONDS = 60;

/** Long enough for a person to type a password and answer a push while others wait. */
const LOGIN_LOCK_TIMEOUT_MS = 5 * 60_000;

export async function ensureCredentials(context: RunContext, request: EnsureCredentialsRequest): Promise<EnsuredCredentials> {
  const { env } = context;
  const settings = await loadProfileSettings(request.profile, env);
  const region = resolveRegion(env, settings.region);
  const store = storeFor(settings, env);
  const forRole = (stored: AwsCredentials | undefined) =>
    stored && (!settings.roleArn || !stored.roleArn || stored.roleArn === settings.roleArn) ? stored : undefined;
  const usable = (stored: AwsCredentials | undefined) => (isFresh(forRole(stored)) ? stored : undefined);
  const stored = await store.read();
  const current = usable(stored);
  if (current) return { profile: request.profile, settings, credentials: current, region, login: undefined };
  // With no role configured, a refresh takes the role the expired credentials were for, not a menu.
  const previousRole = settings.roleArn ? undefined : stored?.roleArn || undefined;

  return withFileLock(loginLockPath(context, request.profile), async () => {
    const meanwhile = usable(await store.read());
    if (meanwhile) {
      context.logger.debug(`Another awsl process logged in to ${request.profile} meanwhile; using its credentials.`);
      return { profile: request.profile, settings, credentials: meanwhile, region, login: undefined };
    }
    context.logger.debug(`Credentials of ${request.profile} are missing, near expiry or for another role: logging in.`);
    // The login pipeline (HTTP client, XML, providers) is loaded only when a login is needed.
    let outcome: LoginOutcome;
    try {
      outcome = await (request.login ?? (await import('./login.js')).login)(context, {
        profile: request.profile, roleArn: previousRole, options: request.options ?? { flags: {} },
      });
    } catch (error) {
      // Early refresh is a courtesy: credentials that still work beat an error when nobody can answer a prompt.
      const stillValid = forRole(await store.read());
      if (!(error instanceof NeedsTerminalError) || !stillValid || !isValidFor(stillValid, MIN_HANDED_OUT_SECONDS)) throw error;
      context.logger.warn(`could not refresh ${request.profile} without a person (awsl login --profile ${request.profile} will); its credentials still work until ${isoSeconds(stillValid.expiration)}.`);
      return { profile: request.profile, settings, credentials: stillValid, region, login: undefined };
    }
    return { profile: request.profile, settings, credentials: outcome.credentials, region, login: outcome };
  }, { timeoutMs: LOGIN_LOCK_TIMEOUT_MS });
}

/** Next to the profile's cache file; the lock file itself is `<this>.lock`. */
function loginLockPath(context: RunContext, profile: string): string {
  return credentialsCachePath(context.paths.state, profile).replace(/\.json$/, '.login');
}
