/**
 * The ECP provider as the rest of awsl sees it: its settings, its login flag and its saved-session
 * check. Light on purpose (no XML, no cookie parser): status and configure load it for every profile.
 */
import { Flags } from '@oclif/core';
import { InvalidInputError } from '../../errors.js';
import { normaliseHeaderName, normaliseServiceUrl, type ProfileSettings } from '../../settings.js';
import { CookieJarStore } from '../../state/cookie-jar-store.js';
import { defineProvider, type ProviderContext } from '../provider.js';
import { AWSCLI_LOGIN_IMPORT } from './awscli-login.js';

export const DUO_FACTORS = ['auto', 'push', 'passcode', 'sms', 'phone'] as const;
export type DuoFactor = (typeof DUO_FACTORS)[number];
/** Values that switch Duo headers off, as awscli-login accepts them. */
const DUO_OFF = new Set(['none', 'off', 'no', 'false', '0', 'disable']);

function normaliseDuoFactor(value: string): string {
  const trimmed = value.trim();
  if ((DUO_FACTORS as readonly string[]).includes(trimmed)) return trimmed;
  if (DUO_OFF.has(trimmed.toLowerCase())) return 'none';
  throw new InvalidInputError(`Duo factor "${trimmed}" is not one awsl knows.`, `Use one of ${DUO_FACTORS.join('|')}, or none to send no Duo headers.`);
}

/** Duo Auth API's `device`: auto, or the id of one of the user's devices (phone1, DPFZRS9FB0D46QFTM891…). */
export function normaliseDuoDevice(value: string): string {
  const trimmed = value.trim();
  if (/^[A-Za-z0-9_-]{1,64}$/.test(trimmed)) return trimmed;
  throw new InvalidInputError(`Duo device "${trimmed}" is not accepted.`, 'Use auto, or a Duo device id such as phone1 (letters, digits, - and _).');
}

export interface EcpSettings {
  ecpEndpointUrl?: string;
  /** 'none': send no Duo headers (and show no Duo wait); undefined: the IdP's default, shown as a push. */
  duoFactor?: DuoFactor | 'none';
  duoFactorHeader: string;
  duoPasscodeHeader: string;
  /** Duo device for push, phone and sms; unset sends no device header (the plugin's default is auto). */
  duoDevice?: string;
  duoDeviceHeader: string;
}

export type EcpProfile = ProfileSettings<EcpSettings>;
export type EcpContext = ProviderContext<EcpSettings>;

export const ENDPOINT_EXAMPLE = 'https://idp.example.edu/idp/profile/SAML2/SOAP/ECP';

export const ecpDescriptor = defineProvider<EcpSettings>({
  name: 'ecp',
  title: 'ECP',
  terms: ['Duo'],
  settings: [
    {
      key: 'awsl_ecp_endpoint_url', flag: 'ecp-endpoint-url', label: 'ECP endpoint URL', normalise: (v) => normaliseServiceUrl(v, 'ECP endpoint URL'),
      required: { what: 'the IdP\'s ECP endpoint URL', example: ENDPOINT_EXAMPLE },
    },
    { key: 'awsl_duo_factor', flag: 'duo-factor', label: `Duo factor (${DUO_FACTORS.join('|')}|none)`, group: 'factor', builtInDefault: 'auto', normalise: normaliseDuoFactor },
    { key: 'awsl_duo_factor_header', flag: 'duo-factor-header', label: 'Duo factor header', unprompted: true, normalise: normaliseHeaderName },
    { key: 'awsl_duo_passcode_header', flag: 'duo-passcode-header', label: 'Duo passcode header', unprompted: true, normalise: normaliseHeaderName },
    { key: 'awsl_duo_device', flag: 'duo-device', label: 'Duo device (auto, or a device id such as phone1)', unprompted: true, normalise: normaliseDuoDevice },
    { key: 'awsl_duo_device_header', flag: 'duo-device-header', label: 'Duo device header', unprompted: true, normalise: normaliseHeaderName },
  ],
  read(value) {
    const duoFactor = value('awsl_duo_factor');
    return {
      ecpEndpointUrl: value('awsl_ecp_endpoint_url'),
      duoFactor: duoFactor as DuoFactor | 'none' | undefined,
      duoFactorHeader: value('awsl_duo_factor_header') ?? 'X-Shibboleth-Duo-Factor',
      duoPasscodeHeader: value('awsl_duo_passcode_header') ?? 'X-Shibboleth-Duo-Passcode',
      duoDevice: value('awsl_duo_device'),
      duoDeviceHeader: value('awsl_duo_device_header') ?? 'X-Shibboleth-Duo-Device',
    };
  },
  loginFlags: {
    'duo-factor': Flags.string({ summary: 'Duo factor for this login.', options: [...DUO_FACTORS, 'none'] }),
    'duo-device': Flags.string({ summary: 'Duo device for push, phone or sms (auto, or a device id such as phone1).' }),
  },
  configureExample: `--provider ecp --ecp-endpoint-url ${ENDPOINT_EXAMPLE} --username me`,
  // The user's IdP session cookie, while it has not expired; without login code, tough-cookie or
  // the XML parser: `awsl status` asks this for every profile.
  async hasSavedSession(settings, stateDirectory) {
    const { ecpEndpointUrl, username } = settings;
    if (!ecpEndpointUrl || !username) return false;
    return new CookieJarStore(stateDirectory).hasLiveCookie(new URL(ecpEndpointUrl).host, username);
  },
  // The cookie jar's own key: whoever waited finds the jar the first login saved.
  sharedSession: ({ ecpEndpointUrl, username }) =>
    (ecpEndpointUrl && username ? { key: `ecp ${new URL(ecpEndpointUrl).host} ${username}`, reuse: 'idp-session' } : undefined),
  load: async () => (await import('./index.js')).ecpProvider,
  imports: { 'awscli-login': AWSCLI_LOGIN_IMPORT },
});

