/**
 * Logout removes a profile's AWS credentials (from ~/.aws/credentials and from the private
 * credential_process cache) and keeps the IdP session, so the next login picks
 * a role without a password or second factor. `forget` also drops the IdP session and password.
 */
import { credentialsFileStore, privateCacheStore } from '../aws/credential-store.js';
import { listAwslProfiles, loadProfileSettings } from '../aws/profiles.js';
import { KeyringError } from '../errors.js';
import { loadProvider } from '../providers/registry.js';
import type { ProfileSettings } from '../settings.js';
import type { RunContext } from './context.js';
import { forgetSharedSession } from './shared-authentication.js';

export interface LogoutRequest {
  profile: string;
  all: boolean;
  forget: boolean;
}

export interface LogoutOutcome {
  /** Profiles whose credentials were removed. */
  loggedOut: string[];
  /** Profiles that had none. */
  alreadyLoggedOut: string[];
  /** Profiles whose IdP session and password were forgotten. */
  forgotten: string[];
}

export async function logout(context: RunContext, request: LogoutRequest): Promise<LogoutOutcome> {
  const { env } = context;
  const profiles = request.all ? await listAwslProfiles(env) : [await loadProfileSettings(request.profile, env)];
  const outcome: LogoutOutcome = { loggedOut: [], alreadyLoggedOut: [], forgotten: [] };
  for (const settings of profiles) {
    // Both stores: a profile may have switched to or from credential_process since its last login.
    const removedFromFile = await credentialsFileStore(settings.profile, env).remove();
    const removedFromCache = await privateCacheStore(settings.profile, env).remove();
    const removed = removedFromFile || removedFromCache;
    (removed ? outcome.loggedOut : outcome.alreadyLoggedOut).push(settings.profile);
    if (request.forget) {
      await forget(context, settings);
      outcome.forgotten.push(settings.profile);
    }
  }
  return outcome;
}

async function forget(context: RunContext, settings: ProfileSettings): Promise<void> {
  const provider = await loadProvider(settings);
  await forgetSharedSession(settings, context.paths.state);
  try {
    await provider.forgetSession({ settings, stateDirectory: context.paths.state, secrets: context.secrets() });
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    context.logger.warn(`The IdP session of ${settings.profile} is forgotten, but the stored password could not be removed: ${error.message}`);
  }
}
