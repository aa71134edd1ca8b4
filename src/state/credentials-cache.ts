/**
 * The private credential cache of profiles that use credential_process: static keys in
 * ~/.aws/credentials would shadow credential_process, so their credentials live here instead,
 * one 0600 JSON file per profile under ~/.aws/awsl/cache/. The file holds exactly the
 * credential_process JSON AWS expects, so the warm path can print it without parsing more.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

export interface CachedCredentials {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** ISO 8601. */
  Expiration: string;
  AccountId?: string;
  /** awsl's own: the role the credentials are for. AWS ignores unknown keys. */
  RoleArn?: string;
}

export function credentialsCachePath(stateDirectory: string, profile: string): string {
  return join(stateDirectory, 'cache', `${encodeURIComponent(profile)}.json`);
}

export async function readCachedCredentials(stateDirectory: string, profile: string): Promise<CachedCredentials | undefined> {
  try {
    const value = JSON.parse(await readFile(credentialsCachePath(stateDirectory, profile), 'utf8')) as CachedCredentials;
    return value.Version === 1 && value.AccessKeyId && value.Expiration ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function writeCachedCredentials(stateDirectory: string, profile: string, credentials: CachedCredentials): Promise<void> {
  await writeFileAtomic(credentialsCachePath(stateDirectory, profile), JSON.stringify(credentials), { mode: 0o600 });
}

/** true when a cache file was removed. */
export async function removeCachedCredentials(stateDirectory: string, profile: string): Promise<boolean> {
  const path = credentialsCachePath(stateDirectory, profile);
  try {
    await readFile(path);
  } catch {
    return false;
  }
  await rm(path, { force: true });
  return true;
}
