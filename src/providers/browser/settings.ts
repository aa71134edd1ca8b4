/**
 * The browser provider's settings: the IdP's start page for the AWS app, an optional browser
 * path and the time a person has to log in.
 */
import { InvalidInputError } from '../../errors.js';
import { normaliseFilePath, normaliseServiceUrl, type ProfileSettings, type SettingDefinition } from '../../settings.js';

export const DEFAULT_TIMEOUT_SECONDS = 300;
const MAX_TIMEOUT_SECONDS = 3600;

function normaliseTimeout(value: string): string {
  const trimmed = value.trim();
  const seconds = Number(trimmed);
  if (/^\d+$/.test(trimmed) && seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS) return String(seconds);
  throw new InvalidInputError(`Browser time limit "${trimmed}" is not accepted.`, `Give a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}; the default is ${DEFAULT_TIMEOUT_SECONDS}.`);
}

export const BROWSER_SETTINGS = {
  ssoUrl: {
    key: 'awsl_sso_url', flag: 'sso-url', label: 'IdP start URL of the AWS app (opens in the browser)', providers: ['browser'],
    normalise: (value: string) => normaliseServiceUrl(value, 'SSO start URL'),
  },
  browserPath: {
    key: 'awsl_browser_path', flag: 'browser-path', label: 'Browser to drive (Chrome, Chromium, Edge, Brave, or a wrapper script)', providers: ['browser'], unprompted: true,
    normalise: normaliseFilePath,
  },
  timeout: {
    key: 'awsl_browser_timeout', flag: 'browser-timeout', label: 'Seconds a person has to log in in the browser window', providers: ['browser'], unprompted: true,
    normalise: normaliseTimeout,
  },
} as const satisfies Record<string, SettingDefinition>;

export interface BrowserSettings {
  ssoUrl: string | undefined;
  browserPath: string | undefined;
  timeoutSeconds: number;
}

export function readBrowserSettings(settings: ProfileSettings): BrowserSettings {
  const value = (definition: SettingDefinition) => {
    const raw = settings.raw[definition.key]?.trim();
    return raw ? definition.normalise(raw) : undefined;
  };
  return {
    ssoUrl: value(BROWSER_SETTINGS.ssoUrl),
    browserPath: value(BROWSER_SETTINGS.browserPath),
    timeoutSeconds: Number(value(BROWSER_SETTINGS.timeout) ?? DEFAULT_TIMEOUT_SECONDS),
  };
}
