/**
 * The OneLogin provider as the rest of awsl sees it: its settings, its API client secret, its
 * login flag. Light on purpose: status and configure load it for every profile.
 */
import { Flags } from '@oclif/core';
import { InvalidInputError } from '../../errors.js';
import { normaliseIp, normaliseServiceUrl, oneOf, positiveInteger, text, type ProfileSettings } from '../../settings.js';
import { defineProvider, type ProviderContext } from '../provider.js';
import { CLIENT_SECRET_VARIABLE, oneloginClientSecretAccount } from './client-secret.js';

function normaliseSubdomain(value: string): string {
  const trimmed = value.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  const reduced = trimmed.endsWith('.onelogin.com') ? trimmed.slice(0, -'.onelogin.com'.length) : trimmed;
  if (/^[a-z0-9][a-z0-9-]*$/.test(reduced)) return reduced;
  throw new InvalidInputError(`"${value.trim()}" is not a OneLogin subdomain.`, 'Give the first part of your OneLogin address: for acme.onelogin.com, type acme.');
}

export interface OneLoginSettings {
  oneloginSubdomain?: string;
  oneloginAppId?: string;
  oneloginClientId?: string;
  oneloginRegion: 'us' | 'eu';
  oneloginIp?: string;
  oneloginApiUrl?: string;
  oneloginApiVersion: 1 | 2;
  mfaDevice?: string;
  mfaPushTimeoutSeconds: number;
}

export type OneLoginProfile = ProfileSettings<OneLoginSettings>;
export type OneLoginContext = ProviderContext<OneLoginSettings>;

export const oneloginDescriptor = defineProvider<OneLoginSettings>({
  name: 'onelogin',
  title: 'OneLogin',
  terms: ['OneLogin'],
  settings: [
    {
      key: 'awsl_onelogin_subdomain', flag: 'onelogin-subdomain', label: 'OneLogin subdomain', normalise: normaliseSubdomain,
      explain: (typed, saved) => (typed.trim().toLowerCase() === saved ? undefined : `OneLogin subdomain "${typed.trim()}" saved as "${saved}" (awsl adds .onelogin.com itself).`),
      required: { what: 'the OneLogin subdomain', example: 'acme' },
    },
    { key: 'awsl_onelogin_app_id', flag: 'onelogin-app-id', label: 'OneLogin AWS app id', normalise: positiveInteger('App id'), required: { what: 'the AWS app id', example: '123456' } },
    { key: 'awsl_onelogin_client_id', flag: 'onelogin-client-id', label: 'OneLogin API client id', normalise: text, required: { what: 'the API client id', example: 'CLIENT_ID' } },
    // The client secret is prompted here, into the keyring (see secrets).
    { key: 'awsl_onelogin_region', flag: 'onelogin-region', label: 'OneLogin API region (us|eu)', builtInDefault: 'us', normalise: oneOf(['us', 'eu'], 'OneLogin API region') },
    { key: 'awsl_onelogin_ip', flag: 'onelogin-ip', label: 'IP address for MFA allow-listing', normalise: normaliseIp },
    { key: 'awsl_onelogin_api_url', flag: 'onelogin-api-url', label: 'OneLogin API base URL', unprompted: true, normalise: (v) => normaliseServiceUrl(v, 'OneLogin API URL') },
    { key: 'awsl_onelogin_api_version', flag: 'onelogin-api-version', label: 'OneLogin SAML API version (1|2)', unprompted: true, normalise: oneOf(['1', '2'], 'OneLogin SAML API version') },
    { key: 'awsl_mfa_device', flag: 'mfa-device', label: 'MFA device (id or type)', unprompted: true, normalise: text },
    { key: 'awsl_mfa_push_timeout', flag: 'mfa-push-timeout', label: 'Seconds to wait for a push', unprompted: true, normalise: positiveInteger('Push timeout') },
  ],
  read(value) {
    return {
      oneloginSubdomain: value('awsl_onelogin_subdomain'),
      oneloginAppId: value('awsl_onelogin_app_id'),
      oneloginClientId: value('awsl_onelogin_client_id'),
      oneloginRegion: (value('awsl_onelogin_region') ?? 'us') as 'us' | 'eu',
      oneloginIp: value('awsl_onelogin_ip'),
      oneloginApiUrl: value('awsl_onelogin_api_url'),
      oneloginApiVersion: value('awsl_onelogin_api_version') === '1' ? 1 : 2,
      mfaDevice: value('awsl_mfa_device'),
      mfaPushTimeoutSeconds: Number(value('awsl_mfa_push_timeout') ?? 60),
    };
  },
  secrets: [{
    what: 'the OneLogin client secret',
    prompt: 'OneLogin API client secret',
    variable: CLIENT_SECRET_VARIABLE,
    askedAfter: 'awsl_onelogin_client_id',
    account: (values) => oneloginClientSecretAccount(values.awsl_onelogin_client_id ?? ''),
  }],
  loginFlags: {
    'mfa-device': Flags.string({ summary: 'OneLogin MFA device to use (id or type).' }),
  },
  configureExample: '--provider onelogin --onelogin-subdomain acme --onelogin-app-id 123456 --onelogin-client-id abc --onelogin-region us --username me@acme.com',
  // OneLogin's API keeps no IdP session: every login sends the password and the second factor.
  // The cached access token spares one request, never a prompt.
  hasSavedSession: () => Promise.resolve(false),
  // No IdP session to share: parallel logins for the same app and user reuse the assertion instead.
  sharedSession: ({ oneloginSubdomain, oneloginAppId, oneloginApiUrl, oneloginRegion, username }) => (oneloginSubdomain && oneloginAppId && username
    ? { key: `onelogin ${oneloginApiUrl ?? oneloginRegion} ${oneloginSubdomain} ${oneloginAppId} ${username}`, reuse: 'assertion' }
    : undefined),
  load: async () => (await import('./index.js')).oneloginProvider,
});
