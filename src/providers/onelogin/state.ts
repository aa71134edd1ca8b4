/**
 * The OneLogin provider's files in awsl's state folder (~/.aws/awsl/onelogin/, 0700; files 0600):
 * the API access token per (API URL, client id), so that logins within its 10 h lifetime skip the
 * token request, and the MFA device each profile last used.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../state/atomic-file.js';
import type { AccessToken, OneLoginDevice } from './replies.js';

/** A cached token is dropped this long before OneLogin says it expires, so it never dies mid-login. */
export const TOKEN_EXPIRY_MARGIN_MS = 5 * 60_000;

const hashed = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);

const folder = (stateDirectory: string) => join(stateDirectory, 'onelogin');
export const tokenCachePath = (stateDirectory: string, apiBaseUrl: string, clientId: string) =>
  join(folder(stateDirectory), `token-${hashed(apiBaseUrl, clientId)}.json`);
export const devicePath = (stateDirectory: string, profile: string) => join(folder(stateDirectory), `device-${hashed(profile)}.json`);

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    // Missing or damaged: behave as if nothing was cached.
    return undefined;
  }
}

/** Through awsl's one atomic writer: a concurrent awsl never reads half a file, a crash leaves none. */
async function writePrivateJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value)}\n`, { mode: 0o600 });
}

export async function readCachedToken(path: string, now = Date.now()): Promise<string | undefined> {
  const cached = await readJson(path);
  if (typeof cached?.accessToken !== 'string' || typeof cached.expiresAt !== 'number') return undefined;
  return now < cached.expiresAt - TOKEN_EXPIRY_MARGIN_MS ? cached.accessToken : undefined;
}

/** Caches the token unless it would be stale at once. */
export async function cacheToken(path: string, token: AccessToken, now = Date.now()): Promise<void> {
  const expiresAt = now + token.expiresInSeconds * 1000;
  if (expiresAt - TOKEN_EXPIRY_MARGIN_MS <= now) return;
  await writePrivateJson(path, { accessToken: token.accessToken, expiresAt });
}

export async function readRememberedDevice(path: string): Promise<OneLoginDevice | undefined> {
  const device = await readJson(path);
  return typeof device?.id === 'string' && typeof device.type === 'string' ? { id: device.id, type: device.type } : undefined;
}

export async function rememberDevice(path: string, profile: string, device: OneLoginDevice): Promise<void> {
  await writePrivateJson(path, { profile, id: device.id, type: device.type });
}

export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
