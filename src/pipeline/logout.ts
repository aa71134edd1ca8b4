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
import type { SecretStore } from '../state/secret-store.js';
import { keyringUnavailable } from '../state/keyring-notice.js';
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
  /** Profiles whose IdP session was forgotten. */
  forgotten: string[];
  /** Of those, the profiles whose stored password (or other keyring entry) was removed. */
  secretsRemoved: string[];
}

export async function logout(context: RunContext, request: LogoutRequest): Promise<LogoutOutcome> {
  const { env } = context;
  const profiles = request.all ? await listAwslProfiles(env) : [await loadProfileSettings(request.profile, env)];
  const outcome: LogoutOutcome = { loggedOut: [], alreadyLoggedOut: [], forgotten: [], secretsRemoved: [] };
  for (const settings of profiles) {
    // Both stores: a profile may have switched to or from credential_process since its last login.
    const removedFromFile = await credentialsFileStore(settings.profile, env).remove();
    const removedFromCache = await privateCacheStore(settings.profile, env).remove();
    const removed = removedFromFile || removedFromCache;
    (removed ? outcome.loggedOut : outcome.alreadyLoggedOut).push(settings.profile);
    if (request.forget) {
      if (await forget(context, settings)) outcome.secretsRemoved.push(settings.profile);
      outcome.forgotten.push(settings.profile);
    }
  }
  return outcome;
}

/** The keyring of a profile that never enabled it: there is nothing of its own to remove there. */
const NO_KEYRING: SecretStore = { get: async () => undefined, set: async () => undefined, delete: async () => false };

/** Forgets the profile's IdP session; true when a keyring entry was actually removed. */
async function forget(context: RunContext, settings: ProfileSettings): Promise<boolean> {
  const provider = await loadProvider(settings);
  await forgetSharedSession(settings, context.paths.state);
  const keyring = settings.enableKeyring ? context.secrets() : NO_KEYRING;
  let removed = false;
  const secrets: SecretStore = { ...keyring, delete: async (account) => (removed = (await keyring.delete(account)) || removed) };
  try {
    await provider.forgetSession({ settings, stateDirectory: context.paths.state, secrets });
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    keyringUnavailable(context.logger, error, `the stored password of ${settings.profile} could not be removed; its IdP session is forgotten.`);
  }
  return removed;
}
