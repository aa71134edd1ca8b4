/**
 * Finding the user's own Chromium-family browser: the configured path, else Chrome, Chromium, Edge
 * or Brave on PATH and in each platform's standard install locations. awsl never downloads one.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, posix, win32 } from 'node:path';
import { BrowserNotFoundError } from './errors.js';

export interface BrowserSearch {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** True when path is a file this user may run. */
  isExecutable(path: string): boolean;
}

/** Program names looked up on PATH (Linux and other Unixes; macOS apps are rarely on PATH). */
const UNIX_NAMES = ['google-chrome', 'google-chrome-stable', 'chromium', 'chromium-browser', 'microsoft-edge', 'microsoft-edge-stable', 'brave-browser'];
const LINUX_PATHS = ['/opt/google/chrome/chrome', '/opt/microsoft/msedge/msedge', '/opt/brave.com/brave/brave', '/snap/bin/chromium', '/usr/lib/chromium/chromium'];
const MAC_APPS = [
  ['Google Chrome', 'Google Chrome'], ['Chromium', 'Chromium'], ['Microsoft Edge', 'Microsoft Edge'], ['Brave Browser', 'Brave Browser'],
];
const WINDOWS_NAMES = ['chrome.exe', 'msedge.exe', 'brave.exe'];
const WINDOWS_APPS = [
  'Google\\Chrome\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe',
  'BraveSoftware\\Brave-Browser\\Application\\brave.exe', 'Chromium\\Application\\chrome.exe',
];

/** Every place looked at, in order: PATH entries first, then the standard install locations. */
export function browserCandidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const windows = platform === 'win32';
  const pathDirs = (env.PATH ?? env.Path ?? '').split(windows ? ';' : delimiter).filter(Boolean);
  const names = windows ? WINDOWS_NAMES : platform === 'darwin' ? [] : UNIX_NAMES;
  const onPath = pathDirs.flatMap((dir) => names.map((name) => (windows ? win32 : posix).join(dir, name)));
  if (windows) {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((root): root is string => Boolean(root));
    return [...onPath, ...roots.flatMap((root) => WINDOWS_APPS.map((app) => win32.join(root, app)))];
  }
  if (platform === 'darwin') {
    const folders = ['/Applications', ...(env.HOME ? [join(env.HOME, 'Applications')] : [])];
    return folders.flatMap((folder) => MAC_APPS.map(([app, binary]) => posix.join(folder, `${app}.app`, 'Contents', 'MacOS', binary!)));
  }
  return [...onPath, ...LINUX_PATHS];
}

export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The browser to drive: the configured one (which may be a wrapper script), else the first found. */
export function findBrowser(configured: string | undefined, profile: string, search: BrowserSearch): string {
  const fix = `Set the browser once: awsl login configure --profile ${profile} --browser-path PATH`;
  if (configured) {
    if (search.isExecutable(configured)) return configured;
    throw new BrowserNotFoundError(`The browser path of profile ${profile}, ${configured}, is not a program awsl can run.`, fix);
  }
  const candidates = browserCandidates(search.env, search.platform);
  const found = candidates.find((candidate) => search.isExecutable(candidate));
  if (found) return found;
  const names = search.platform === 'win32' ? WINDOWS_NAMES : search.platform === 'darwin' ? MAC_APPS.map(([app]) => `${app}.app`) : UNIX_NAMES;
  throw new BrowserNotFoundError(
    `No Chrome, Chromium, Edge or Brave found: awsl looked for ${names.join(', ')} ${search.platform === 'darwin' ? 'in /Applications and ~/Applications' : 'on PATH and in the standard install folders'} (${candidates.length} places; it never downloads a browser).`,
    `Install one of them, or ${fix.charAt(0).toLowerCase()}${fix.slice(1)}`,
  );
}
