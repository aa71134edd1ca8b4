/**
 * The browser profile awsl keeps for each awsl profile: <state>/browser/<profile>/ (0700), the
 * browser's own user data folder. Its cookies are also saved beside it, 0600, and set again at the
 * next start: a browser drops the session cookies (most IdPs' session cookie has no expiry) when it
 * exits, and a killed one may not have written the others.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDirectory, writeFileAtomic } from '../../state/atomic-file.js';

/** A cookie as DevTools' Storage.setCookies takes it. */
export interface SavedCookie {
  name: string;
  value: string;
  /** Set for a domain cookie (".example.com"); a host-only cookie has url instead. */
  domain?: string;
  url?: string;
  path: string;
  /** Seconds since the epoch; absent for a session cookie. */
  expires?: number;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
}

const COOKIES_FILE = 'awsl-cookies.json';

export function browserProfileDirectory(stateDirectory: string, profile: string): string {
  return join(stateDirectory, 'browser', encodeURIComponent(profile));
}

/**
 * Preferences awsl holds the profile to: no network prediction (a preconnect to the AWS sign-in
 * host the IdP's form names would reach AWS before awsl pauses the POST), and no password manager
 * (the IdP password would land in a file, and its leak check calls home).
 */
const PREFERENCES = {
  net: { network_prediction_options: 2 },
  credentials_enable_service: false,
  profile: { password_manager_enabled: false, password_manager_leak_detection: false },
};

/** Creates the profile folder with awsl's preferences in it, keeping the browser's own. */
export async function ensureBrowserProfile(stateDirectory: string, profile: string): Promise<string> {
  const directory = browserProfileDirectory(stateDirectory, profile);
  await ensurePrivateDirectory(join(directory, 'Default'));
  const file = join(directory, 'Default', 'Preferences');
  let preferences: Record<string, unknown> = {};
  try {
    preferences = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // A new profile, or one the browser will rebuild.
  }
  const merged = merge(preferences, PREFERENCES);
  if (JSON.stringify(merged) !== JSON.stringify(preferences)) await writeFileAtomic(file, JSON.stringify(merged), { mode: 0o600 });
  return directory;
}

function merge(base: Record<string, unknown>, wanted: Record<string, unknown>): Record<string, unknown> {
  const result = { ...base };
  for (const [key, value] of Object.entries(wanted)) {
    const current = result[key];
    result[key] = typeof value === 'object' && value !== null && typeof current === 'object' && current !== null
      ? merge(current as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return result;
}

export async function readSavedCookies(profileDirectory: string): Promise<SavedCookie[]> {
  try {
    const cookies: unknown = JSON.parse(await readFile(join(profileDirectory, COOKIES_FILE), 'utf8'));
    return Array.isArray(cookies) ? (cookies as SavedCookie[]) : [];
  } catch {
    return [];
  }
}

export async function writeSavedCookies(profileDirectory: string, cookies: readonly SavedCookie[]): Promise<void> {
  await writeFileAtomic(join(profileDirectory, COOKIES_FILE), JSON.stringify(cookies), { mode: 0o600 });
}

/**
 * Whether the profile holds an IdP session: saved session cookies, or the browser's own cookie
 * store (whose expiry only the browser can read; the IdP decides at the next login).
 */
export async function hasBrowserSession(stateDirectory: string, profile: string): Promise<boolean> {
  const directory = browserProfileDirectory(stateDirectory, profile);
  if ((await readSavedCookies(directory)).length > 0) return true;
  return stat(join(directory, 'Default', 'Cookies')).then(() => true, () => false);
}

export async function removeBrowserProfile(stateDirectory: string, profile: string): Promise<void> {
  await rm(browserProfileDirectory(stateDirectory, profile), { recursive: true, force: true });
}
