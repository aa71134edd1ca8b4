/**
 * "Fresh credentials for this profile, logging in if need be": what credential-process, exec, env
 * and the AWS CLI pass-through share. Current credentials (the private cache for credential_process
 * profiles, ~/.aws/credentials otherwise) are used while they have more than the refresh margin
 * left and are for the configured role; otherwise the login pipeline runs — saved IdP session
 * first, then the keyring, then the prompter. One login per profile at a time: concurrent callers
 * (the AWS CLI and SDKs may start several credential_process at once) wait for the first, then use
 * what it got instead of asking the IdP (and the person's phone) again.
 */
import { storeFor, type AwsCredentials } from '../aws/credential-store.js';
import { loadProfileSettings } from '../aws/profiles.js';
import { resolveRegion } from '../aws/environment.js';
import type { LoginOptions } from '../providers/provider.js';
import type { ProfileSettings } from '../settings.js';
import { credentialsCachePath } from '../state/credentials-cache.js';
import { withFileLock } from '../state/file-lock.js';
import { stateDirectory } from '../state/paths.js';
import type { SecretStore } from '../state/secret-store.js';
import type { Logger } from '../ui/logger.js';
import type { Prompter } from '../ui/prompter.js';
import { isFresh } from './current-credentials.js';
import type { LoginOutcome, LoginRequest } from './login.js';

export interface EnsureCredentialsRequest {
  profile: string;
  prompter: Prompter;
  logger: Logger;
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
  secrets?: SecretStore;
  options?: LoginOptions;
  /** The login pipeline; tests replace it. */
  login?: (request: LoginRequest) => Promise<LoginOutcome>;
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

/** Long enough for a person to type a password and answer a push while others wait. */
const LOGIN_LOCK_TIMEOUT_MS = 5 * 60_000;

export async function ensureCredentials(request: EnsureCredentialsRequest): Promise<EnsuredCredentials> {
  const env = request.env ?? process.env;
  const settings = await loadProfileSettings(request.profile, env);
  const region = resolveRegion(env, settings.region);
  const store = storeFor(settings, env);
  const usable = (stored: AwsCredentials | undefined) =>
    isFresh(stored) && (!settings.roleArn || !stored.roleArn || stored.roleArn === settings.roleArn) ? stored : undefined;
  const stored = await store.read();
  const current = usable(stored);
  if (current) return { profile: request.profile, settings, credentials: current, region, login: undefined };
  // With no role configured, a refresh takes the role the expired credentials were for, not a menu.
  const previousRole = settings.roleArn ? undefined : stored?.roleArn || undefined;

  return withFileLock(loginLockPath(env, request.profile), async () => {
    const meanwhile = usable(await store.read());
    if (meanwhile) {
      request.logger.debug(`Another awsl process logged in to ${request.profile} meanwhile; using its credentials.`);
      return { profile: request.profile, settings, credentials: meanwhile, region, login: undefined };
    }
    request.logger.debug(`Credentials of ${request.profile} are missing, near expiry or for another role: logging in.`);
    // The login pipeline (HTTP client, XML, providers) is loaded only when a login is needed.
    const outcome = await (request.login ?? (await import('./login.js')).login)({
      profile: request.profile, roleArn: previousRole, options: request.options ?? { flags: {} }, prompter: request.prompter, logger: request.logger,
      signal: request.signal, env, secrets: request.secrets,
    });
    return { profile: request.profile, settings, credentials: outcome.credentials, region, login: outcome };
  }, { timeoutMs: LOGIN_LOCK_TIMEOUT_MS });
}

/** Next to the profile's cache file; the lock file itself is `<this>.lock`. */
function loginLockPath(env: NodeJS.ProcessEnv, profile: string): string {
  return credentialsCachePath(stateDirectory(env), profile).replace(/\.json$/, '.login');
}
