/**
 * Every awsl setting, once: its key in ~/.aws/config, its flag, its prompt and its validation.
 * `login configure` walks this table; the pipeline reads typed values from it.
 */
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InvalidInputError } from './errors.js';

export const PROVIDER_NAMES = ['ecp', 'onelogin'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];
export const DUO_FACTORS = ['auto', 'push', 'passcode', 'sms', 'phone'] as const;
export type DuoFactor = (typeof DUO_FACTORS)[number];
/** Values that switch Duo headers off, as awscli-login accepts them. */
const DUO_OFF = new Set(['none', 'off', 'no', 'false', '0', 'disable']);

export interface SettingDefinition {
  /** Key in the profile's section of ~/.aws/config. */
  key: string;
  /** Flag of `awsl login configure` (without the dashes). */
  flag: string;
  /** Prompt text. */
  label: string;
  /** Providers that use it; prompted by configure in table order. */
  providers: readonly ProviderName[];
  /** Not prompted by configure (settable by flag or by hand). */
  unprompted?: boolean;
  /** A yes/no setting: its flag is --FLAG / --no-FLAG, without a value. */
  boolean?: true;
  /** Normalises a typed value or throws InvalidInputError saying what is accepted. '' clears. */
  normalise(value: string): string;
  /** A note for the user when the saved value is not what they typed in a way they may not expect. */
  explain?(typed: string, saved: string): string | undefined;
}

const text = (value: string) => value.trim();

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** https, or http for a loopback address only. */
export function normaliseServiceUrl(value: string, what: string): string {
  const trimmed = value.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new InvalidInputError(`${what} "${trimmed}" is not a URL.`, `Give a full https:// URL, for example https://idp.example.edu/idp/profile/SAML2/SOAP/ECP.`);
  }
  if (url.protocol === 'https:') return trimmed;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return trimmed;
  throw new InvalidInputError(`${what} "${trimmed}" must use https (http is accepted only for loopback addresses such as 127.0.0.1).`,
    'Use the https:// address of the service.');
}

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export function normaliseRoleArn(value: string): string {
  const trimmed = value.trim();
  if (ROLE_ARN.test(trimmed)) return trimmed;
  throw new InvalidInputError(`"${trimmed}" is not an IAM role ARN.`,
    'A role ARN looks like arn:aws:iam::123456789012:role/Name (partitions aws, aws-cn, aws-us-gov).');
}

export const MIN_DURATION = 900;
export const MAX_DURATION = 43_200;

export function normaliseDuration(value: string): string {
  const trimmed = value.trim();
  const seconds = Number(trimmed);
  if (/^\d+$/.test(trimmed) && seconds >= MIN_DURATION && seconds <= MAX_DURATION) return String(seconds);
  throw new InvalidInputError(`Session duration "${trimmed}" is not accepted.`,
    `Give a whole number of seconds from ${MIN_DURATION} (15 minutes) to ${MAX_DURATION} (12 hours).`);
}

export function normaliseBoolean(value: string, what: string): string {
  const lower = value.trim().toLowerCase();
  if (['true', 'yes', 'y', 'on', '1'].includes(lower)) return 'true';
  if (['false', 'no', 'n', 'off', '0'].includes(lower)) return 'false';
  throw new InvalidInputError(`${what} "${value.trim()}" is not true or false.`, 'Answer true or false (yes/no also work).');
}

function normaliseDuoFactor(value: string): string {
  const trimmed = value.trim();
  if ((DUO_FACTORS as readonly string[]).includes(trimmed)) return trimmed;
  if (DUO_OFF.has(trimmed.toLowerCase())) return 'none';
  throw new InvalidInputError(`Duo factor "${trimmed}" is not one awsl knows.`, `Use one of ${DUO_FACTORS.join('|')}, or none to send no Duo headers.`);
}

function oneOf(allowed: readonly string[], what: string) {
  return (value: string) => {
    const lower = value.trim().toLowerCase();
    if (allowed.includes(lower)) return lower;
    throw new InvalidInputError(`${what} "${value.trim()}" is not accepted.`, `Use one of ${allowed.join('|')}.`);
  };
}

function normaliseHeaderName(value: string): string {
  const trimmed = value.trim();
  if (/^[A-Za-z0-9-]+$/.test(trimmed)) return trimmed;
  throw new InvalidInputError(`"${trimmed}" is not an HTTP header name.`, 'Use letters, digits and dashes only, for example X-Shibboleth-Duo-Factor.');
}

function normaliseIp(value: string): string {
  const trimmed = value.trim();
  if (isIP(trimmed)) return trimmed;
  throw new InvalidInputError(`"${trimmed}" is not an IP address.`, 'Give the IPv4 or IPv6 address OneLogin should see, for example 203.0.113.7.');
}

function normaliseSubdomain(value: string): string {
  const trimmed = value.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  const reduced = trimmed.endsWith('.onelogin.com') ? trimmed.slice(0, -'.onelogin.com'.length) : trimmed;
  if (/^[a-z0-9][a-z0-9-]*$/.test(reduced)) return reduced;
  throw new InvalidInputError(`"${value.trim()}" is not a OneLogin subdomain.`, 'Give the first part of your OneLogin address: for acme.onelogin.com, type acme.');
}

function positiveInteger(what: string) {
  return (value: string) => {
    const trimmed = value.trim();
    if (/^[1-9]\d{0,9}$/.test(trimmed)) return trimmed;
    throw new InvalidInputError(`${what} "${trimmed}" is not a positive whole number.`, `Give ${what.toLowerCase()} as digits only.`);
  };
}

const BOTH = ['ecp', 'onelogin'] as const;

/** A file path, stored absolute: `~/` is the home folder, a relative path is taken from the current folder. */
export function normaliseFilePath(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') return '';
  if (trimmed === '~' || trimmed.startsWith('~/')) return join(homedir(), trimmed.slice(1));
  return resolve(trimmed);
}

/** `111111111111=Production, 222222222222=Sandbox`: names users keep for their accounts. */
export function parseAccountNames(value: string | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const entry of (value ?? '').split(',')) {
    const [id, ...name] = entry.split('=');
    if (id?.trim() && name.join('=').trim()) names.set(id.trim(), name.join('=').trim());
  }
  return names;
}

function normaliseAccountNames(value: string): string {
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    if (!/^\d{12}\s*=\s*[^=,]+$/.test(entry)) {
      throw new InvalidInputError(`Account name entry "${entry}" is not accepted.`, 'Write 12-digit account ids with names: 111111111111=Production, 222222222222=Sandbox');
    }
  }
  return entries.map((entry) => entry.replace(/\s*=\s*/, '=')).join(', ');
}

/** In the order configure asks. */
export const SETTINGS: readonly SettingDefinition[] = [
  { key: 'awsl_ecp_endpoint_url', flag: 'ecp-endpoint-url', label: 'ECP endpoint URL', providers: ['ecp'], normalise: (v) => normaliseServiceUrl(v, 'ECP endpoint URL') },
  {
    key: 'awsl_onelogin_subdomain', flag: 'onelogin-subdomain', label: 'OneLogin subdomain', providers: ['onelogin'], normalise: normaliseSubdomain,
    explain: (typed, saved) => (typed.trim().toLowerCase() === saved ? undefined : `OneLogin subdomain "${typed.trim()}" saved as "${saved}" (awsl adds .onelogin.com itself).`),
  },
  { key: 'awsl_onelogin_app_id', flag: 'onelogin-app-id', label: 'OneLogin AWS app id', providers: ['onelogin'], normalise: positiveInteger('App id') },
  { key: 'awsl_onelogin_client_id', flag: 'onelogin-client-id', label: 'OneLogin API client id', providers: ['onelogin'], normalise: text },
  // The client secret is prompted between client id and region, into the keyring (see configure).
  { key: 'awsl_onelogin_region', flag: 'onelogin-region', label: 'OneLogin API region (us|eu)', providers: ['onelogin'], normalise: oneOf(['us', 'eu'], 'OneLogin API region') },
  { key: 'awsl_onelogin_ip', flag: 'onelogin-ip', label: 'IP address for MFA allow-listing', providers: ['onelogin'], normalise: normaliseIp },
  { key: 'awsl_username', flag: 'username', label: 'Username', providers: BOTH, normalise: text },
  { key: 'awsl_enable_keyring', flag: 'enable-keyring', label: 'Enable keyring', providers: BOTH, boolean: true, normalise: (v) => normaliseBoolean(v, 'Enable keyring') },
  { key: 'awsl_duo_factor', flag: 'duo-factor', label: `Duo factor (${DUO_FACTORS.join('|')}|none)`, providers: ['ecp'], normalise: normaliseDuoFactor },
  { key: 'awsl_role_arn', flag: 'role-arn', label: 'Role ARN', providers: BOTH, normalise: normaliseRoleArn },
  { key: 'awsl_duration', flag: 'duration', label: 'Session duration in seconds', providers: BOTH, normalise: normaliseDuration },
  { key: 'awsl_duo_factor_header', flag: 'duo-factor-header', label: 'Duo factor header', providers: ['ecp'], unprompted: true, normalise: normaliseHeaderName },
  { key: 'awsl_duo_passcode_header', flag: 'duo-passcode-header', label: 'Duo passcode header', providers: ['ecp'], unprompted: true, normalise: normaliseHeaderName },
  { key: 'awsl_onelogin_api_url', flag: 'onelogin-api-url', label: 'OneLogin API base URL', providers: ['onelogin'], unprompted: true, normalise: (v) => normaliseServiceUrl(v, 'OneLogin API URL') },
  { key: 'awsl_onelogin_api_version', flag: 'onelogin-api-version', label: 'OneLogin SAML API version (1|2)', providers: ['onelogin'], unprompted: true, normalise: oneOf(['1', '2'], 'OneLogin SAML API version') },
  { key: 'awsl_mfa_device', flag: 'mfa-device', label: 'MFA device (id or type)', providers: ['onelogin'], unprompted: true, normalise: text },
  { key: 'awsl_mfa_push_timeout', flag: 'mfa-push-timeout', label: 'Seconds to wait for a push', providers: ['onelogin'], unprompted: true, normalise: positiveInteger('Push timeout') },
  { key: 'awsl_account_names', flag: 'account-names', label: 'Account names (id=name, comma-separated)', providers: BOTH, unprompted: true, normalise: normaliseAccountNames },
  { key: 'awsl_ca_bundle', flag: 'ca-bundle', label: 'CA bundle (PEM path) for the IdP', providers: BOTH, unprompted: true, normalise: text },
  { key: 'awsl_verify_tls', flag: 'verify-tls', label: 'Verify the IdP TLS certificate', providers: BOTH, unprompted: true, boolean: true, normalise: (v) => normaliseBoolean(v, 'Verify TLS') },
  { key: 'awsl_idp_certificate', flag: 'idp-certificate', label: 'IdP signing certificate (PEM path) to verify SAML signatures', providers: BOTH, unprompted: true, normalise: normaliseFilePath },
  { key: 'awsl_idp_metadata_url', flag: 'idp-metadata-url', label: 'IdP SAML metadata URL (its signing certificate verifies SAML signatures)', providers: BOTH, unprompted: true, normalise: (v) => normaliseServiceUrl(v, 'IdP metadata URL') },
];

/**
 * The command that sets up a profile, or one of its settings, as awsl suggests it in a hint; it
 * runs as printed (test/hints.test.ts parses every hint with the command's own flags).
 */
export function configureHint(profile: string, flag?: string): string {
  if (flag === undefined) return `awsl login configure --profile ${profile}`;
  const isBoolean = SETTINGS.some((setting) => setting.flag === flag && setting.boolean);
  return `awsl login configure --profile ${profile} --${flag}${isBoolean ? '' : ' VALUE'}`;
}

export const PROVIDER_SETTING: SettingDefinition = {
  key: 'awsl_provider', flag: 'provider', label: `Provider (${PROVIDER_NAMES.join('|')})`, providers: BOTH,
  normalise: oneOf(PROVIDER_NAMES, 'Provider'),
};

export function settingsFor(provider: ProviderName): SettingDefinition[] {
  return SETTINGS.filter((setting) => setting.providers.includes(provider));
}

/** The typed view of a profile's awsl settings, read from its section of ~/.aws/config. */
export interface ProfileSettings {
  profile: string;
  provider: ProviderName;
  ecpEndpointUrl?: string;
  username?: string;
  enableKeyring: boolean;
  duoFactor?: DuoFactor;
  duoFactorHeader: string;
  duoPasscodeHeader: string;
  roleArn?: string;
  duration?: number;
  oneloginSubdomain?: string;
  oneloginAppId?: string;
  oneloginClientId?: string;
  oneloginRegion: 'us' | 'eu';
  oneloginIp?: string;
  oneloginApiUrl?: string;
  oneloginApiVersion: 1 | 2;
  mfaDevice?: string;
  mfaPushTimeoutSeconds: number;
  caBundle?: string;
  verifyTls: boolean;
  /** PEM file of the IdP's signing certificate(s): SAML signatures are verified when set. */
  idpCertificate?: string;
  /** The IdP's SAML metadata, whose signing certificate(s) verify SAML signatures when set. */
  idpMetadataUrl?: string;
  /** Account id → name, from the profile's awsl_account_names. */
  accountNames: ReadonlyMap<string, string>;
  /** AWS's own `region` of the profile. */
  region?: string;
  /** Every key of the section, as written. */
  raw: Readonly<Record<string, string>>;
}

/**
 * Types a profile section's values. A hand-edited bad value is an error naming the key, so a typo
 * does not silently change how awsl logs in.
 */
export function readProfileSettings(profile: string, section: Readonly<Record<string, string>> | undefined): ProfileSettings | undefined {
  if (!section?.awsl_provider) return undefined;
  const value = (key: string): string | undefined => {
    const raw = section[key];
    if (raw === undefined || raw.trim() === '') return undefined;
    const definition = key === PROVIDER_SETTING.key ? PROVIDER_SETTING : SETTINGS.find((s) => s.key === key);
    if (!definition) return raw.trim();
    try {
      return definition.normalise(raw);
    } catch (error) {
      if (error instanceof InvalidInputError) {
        throw new InvalidInputError(`Profile ${profile}: ${key}: ${error.message}`, `${error.hint ?? ''} Fix it with: ${configureHint(profile, definition.flag)}`.trim());
      }
      throw error;
    }
  };
  const duoFactor = value('awsl_duo_factor');
  const duration = value('awsl_duration');
  return {
    profile,
    provider: value('awsl_provider') as ProviderName,
    ecpEndpointUrl: value('awsl_ecp_endpoint_url'),
    username: value('awsl_username'),
    enableKeyring: value('awsl_enable_keyring') === 'true',
    duoFactor: duoFactor === undefined || duoFactor === 'none' ? undefined : (duoFactor as DuoFactor),
    duoFactorHeader: value('awsl_duo_factor_header') ?? 'X-Shibboleth-Duo-Factor',
    duoPasscodeHeader: value('awsl_duo_passcode_header') ?? 'X-Shibboleth-Duo-Passcode',
    roleArn: value('awsl_role_arn'),
    duration: duration === undefined ? undefined : Number(duration),
    oneloginSubdomain: value('awsl_onelogin_subdomain'),
    oneloginAppId: value('awsl_onelogin_app_id'),
    oneloginClientId: value('awsl_onelogin_client_id'),
    oneloginRegion: (value('awsl_onelogin_region') ?? 'us') as 'us' | 'eu',
    oneloginIp: value('awsl_onelogin_ip'),
    oneloginApiUrl: value('awsl_onelogin_api_url'),
    oneloginApiVersion: value('awsl_onelogin_api_version') === '1' ? 1 : 2,
    mfaDevice: value('awsl_mfa_device'),
    mfaPushTimeoutSeconds: Number(value('awsl_mfa_push_timeout') ?? 60),
    caBundle: value('awsl_ca_bundle'),
    verifyTls: value('awsl_verify_tls') !== 'false',
    idpCertificate: value('awsl_idp_certificate'),
    idpMetadataUrl: value('awsl_idp_metadata_url'),
    accountNames: parseAccountNames(value('awsl_account_names')),
    region: section.region?.trim() || undefined,
    raw: section,
  };
}
