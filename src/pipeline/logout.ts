/**
 * Logout removes a profile's AWS credentials (from ~/.aws/credentials and from the private
 * credential_process cache) and keeps the IdP session, so the next login picks
 * a role without a password or second factor. `forget` also drops the IdP session and password.
 */
import { removeProfileCredentials } from '../aws/credentials-file.js';
import { listAwslProfiles, loadProfileSettings } from '../aws/profiles.js';
import { KeyringError } from '../errors.js';
import { loadProvider } from '../providers/registry.js';
import type { ProfileSettings } from '../settings.js';
import { removeCachedCredentials } from '../state/credentials-cache.js';
import { stateDirectory } from '../state/paths.js';
import type { SecretStore } from '../state/secret-store.js';
import type { Logger } from '../ui/logger.js';

export interface LogoutRequest {
  profile: string;
  all: boolean;
  forget: boolean;
  secrets: () => SecretStore;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

export interface LogoutOutcome {
  /** Profiles whose credentials were removed. */
  loggedOut: string[];
  /** Profiles that had none. */
  alreadyLoggedOut: string[];
  /** Profiles whose IdP session and password were forgotten. */
  forgotten: string[];
}

export async function logout(request: LogoutRequest): Promise<LogoutOutcome> {
  const env = request.env ?? process.env;
  const profiles = request.all ? await listAwslProfiles(env) : [await loadProfileSettings(request.profile, env)];
  const outcome: LogoutOutcome = { loggedOut: [], alreadyLoggedOut: [], forgotten: [] };
  for (const settings of profiles) {
    // Both sinks: a profile may have switched to or from credential_process since its last login.
    const removedFromFile = await removeProfileCredentials(settings.profile, env);
    const removedFromCache = await removeCachedCredentials(stateDirectory(env), settings.profile);
    const removed = removedFromFile || removedFromCache;
    (removed ? outcome.loggedOut : outcome.alreadyLoggedOut).push(settings.profile);
    if (request.forget) {
      await forget(settings, request, env);
      outcome.forgotten.push(settings.profile);
    }
  }
  return outcome;
}

async function forget(settings: ProfileSettings, request: LogoutRequest, env: NodeJS.ProcessEnv): Promise<void> {
  const provider = await loadProvider(settings);
  try {
    await provider.forgetSession({ settings, stateDirectory: stateDirectory(env), secrets: request.secrets() });
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    request.logger.warn(`The IdP session of ${settings.profile} is forgotten, but the stored password could not be removed: ${error.message}`);
  }
}
