/**
 * Where a profile's current credentials are: the private cache for profiles whose AWS
 * credential_process is awsl's, the profile's section of ~/.aws/credentials otherwise.
 */
import { readProfileCredentials, type StoredCredentials } from '../aws/credentials-file.js';
import type { ProfileSettings } from '../settings.js';
import { readCachedCredentials } from '../state/credentials-cache.js';
import { stateDirectory } from '../state/paths.js';

/**
 * Credentials closer than this to expiry are refreshed: botocore refreshes from 15 minutes before
 * expiry (and blocks from 10), so anything less makes Python tools run credential_process again on
 * every credentials access until they get fresher ones.
 */
export const REFRESH_MARGIN_SECONDS = 900;

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
  return credentials !== undefined && isValidFor(credentials, REFRESH_MARGIN_SECONDS, now);
}

/** Whether the credentials have more than `seconds` left. */
export function isValidFor(credentials: StoredCredentials, seconds: number, now = new Date()): boolean {
  return credentials.expiration.getTime() - now.getTime() > seconds * 1000;
}
