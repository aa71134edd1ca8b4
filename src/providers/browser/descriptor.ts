/**
 * The browser provider as the rest of awsl sees it: the IdP's start page of the AWS app, an
 * optional browser path and the time a person has to log in. Light on purpose: status and
 * configure load it for every profile, and nothing here starts or drives a browser.
 */
import { InvalidInputError } from '../../errors.js';
import { normaliseFilePath, normaliseServiceUrl, type ProfileSettings } from '../../settings.js';
import { defineProvider, type ProviderContext } from '../provider.js';
import { hasBrowserSession } from './profile.js';

export const DEFAULT_TIMEOUT_SECONDS = 300;
const MAX_TIMEOUT_SECONDS = 3600;
const START_URL_EXAMPLE = 'https://idp.example.com/app/aws/start';

export interface BrowserSettings {
  ssoUrl?: string;
  browserPath?: string;
  timeoutSeconds: number;
}

export type BrowserProfile = ProfileSettings<BrowserSettings>;
export type BrowserContext = ProviderContext<BrowserSettings>;

function normaliseTimeout(value: string): string {
  const trimmed = value.trim();
  const seconds = Number(trimmed);
  if (/^\d+$/.test(trimmed) && seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS) return String(seconds);
  throw new InvalidInputError(`Browser time limit "${trimmed}" is not accepted.`, `Give a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}; the default is ${DEFAULT_TIMEOUT_SECONDS}.`);
}

export const browserDescriptor = defineProvider<BrowserSettings>({
  name: 'browser',
  title: 'web browser',
  terms: ['Chromium', 'DevTools'],
  settings: [
    {
      key: 'awsl_sso_url', flag: 'sso-url', label: 'IdP start URL of the AWS app (opens in the browser)',
      normalise: (v) => normaliseServiceUrl(v, 'SSO start URL'),
      required: { what: 'the IdP\'s start URL of the AWS app', example: START_URL_EXAMPLE },
    },
    {
      key: 'awsl_browser_path', flag: 'browser-path', label: 'Browser to drive (Chrome, Chromium, Edge, Brave, or a wrapper script)', unprompted: true,
      normalise: normaliseFilePath,
    },
    {
      key: 'awsl_browser_timeout', flag: 'browser-timeout', label: 'Seconds a person has to log in in the browser window', unprompted: true,
      normalise: normaliseTimeout,
    },
  ],
  // The person types the username and password into the IdP's own page; awsl never holds either.
  unusedSharedSettings: ['awsl_username', 'awsl_enable_keyring'],
  read(value) {
    return {
      ssoUrl: value('awsl_sso_url'),
      browserPath: value('awsl_browser_path'),
      timeoutSeconds: Number(value('awsl_browser_timeout') ?? DEFAULT_TIMEOUT_SECONDS),
    };
  },
  configureExample: `--provider browser --sso-url ${START_URL_EXAMPLE}`,
  hasSavedSession: (settings, stateDirectory) => hasBrowserSession(stateDirectory, settings.profile),
  // Each awsl profile has a browser profile, and so an IdP session, of its own.
  sharedSession: ({ profile }) => ({ key: `browser ${profile}`, reuse: 'idp-session' }),
  load: async () => (await import('./index.js')).browserProvider,
});
