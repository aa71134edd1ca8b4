/**
 * Where a profile's current credentials are: the private cache for profiles whose AWS
 * credential_process is awsl's, the profile's section of ~/.aws/credentials otherwise.
 */
import { readProfileCredentials, type StoredCredentials } from '../aws/credentials-file.js';
import type { ProfileSettings } from '../settings.js';
import { readCachedCredentials } from '../state/credentials-cache.js';
import { stateDirectory } from '../state/paths.js';

/** Credentials closer than this to expiry are refreshed. */
export const REFRESH_MARGIN_SECONDS = 300;

export function usesAwslCredentialProcess(settings: ProfileSettings): boolean {
  return /\bcredential-process\b/.test(settings.raw.credential_process ?? '');
}

export async function readCurrentCredentials(settings: ProfileSettings, env: NodeJS.ProcessEnv = process.env): Promise<StoredCredentials | undefined> {
  if (!usesAwslCredentialProcess(settings)) return readProfileCredentials(settings.profile, env);
  const cached = await readCachedCredentials(stateDirectory(env), settings.profile);
  if (!cached) return undefined;
  return {
    accessKeyId: cached.AccessKeyId,
    secretAccessKey: cached.SecretAccessKey,
    sessionToken: cached.SessionToken,
    expiration: new Date(cached.Expiration),
    roleArn: cached.RoleArn ?? '',
  };
}

export function isFresh(credentials: StoredCredentials | undefined, now = new Date()): credentials is StoredCredentials {
  return credentials !== undefined && credentials.expiration.getTime() - now.getTime() > REFRESH_MARGIN_SECONDS * 1000;
}
