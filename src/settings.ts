/**
 * The setting schema (key in ~/.aws/config, flag, prompt, validation), the validators, and the
 * settings every provider shares. Each provider declares its own settings in its descriptor
 * (src/providers/<name>/descriptor.ts); `login configure` walks both, and the registry types them.
 */
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { signInEndpointPartition } from './saml/signin-endpoints.js';
import { parsePolicyArns } from './aws/session-policy.js';
import { InvalidInputError } from './errors.js';
import { ROLE_ARN } from './saml/response.js';
import { readCaBundle } from './state/ca-bundle.js';

export const SETTING_GROUPS = ['idp', 'sign-in', 'factor', 'role'] as const;
export type SettingGroup = (typeof SETTING_GROUPS)[number];

export interface SettingDefinition {
  /** Key in the profile's section of ~/.aws/config. */
  key: string;
  /** Flag of `awsl login configure` (without the dashes). */
  flag: string;
  /** Prompt text. */
  label: string;
  /**
   * Where configure asks it: the IdP's own settings first, then who signs in, then the second
   * factor, then the role. Default 'idp'.
   */
  group?: SettingGroup;
  /** Not prompted by configure (settable by flag or by hand). */
  unprompted?: boolean;
  /** What awsl uses when the profile has none: shown at the prompt, and Enter keeps it unwritten. */
  builtInDefault?: string;
  /** A true/false setting: its flag is --NAME / --no-NAME; the prompt shows (true|false). */
  boolean?: boolean;
  /** Without it a profile cannot log in, so configure refuses to save one without it. */
  required?: { what: string; example: string };
  /** Normalises a typed value or throws InvalidInputError saying what is accepted. '' clears. */
  normalise(value: string): string;
  /**
   * Checks what a value names (a file, say) when configure saves it, throwing an AwslError that
   * says what is wrong; not at each read, where the command that uses it reports the same.
   */
  check?(saved: string): void;
  /** A note for the user when the saved value is not what they typed in a way they may not expect. */
  explain?(typed: string, saved: string): string | undefined;
}

export const text = (value: string) => value.trim();

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
    throw new InvalidInputError(`${what} "${trimmed}" is not a URL.`, 'Give a full https:// URL, for example https://idp.example.edu/path.');
  }
  if (url.protocol === 'https:') return trimmed;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return trimmed;
  throw new InvalidInputError(`${what} "${trimmed}" must use https (http is accepted only for loopback addresses such as 127.0.0.1).`,
    'Use the https:// address of the service.');
}

export function normaliseRoleArn(value: string): string {
  const trimmed = value.trim();
  // IAM's own limits on a role's path and name.
  if (/^[\w+=,.@/-]{1,512}$/.test(ROLE_ARN.exec(trimmed)?.[3] ?? '')) return trimmed;
  throw new InvalidInputError(`"${trimmed}" is not an IAM role ARN.`,
    'A role ARN looks like arn:aws:iam::123456789012:role/Name (partitions aws, aws-cn, aws-us-gov).');
}

/** `login --role-arn`: a role ARN, or a role name (chosen among the granted roles at login). */
export function normaliseRoleChoice(value: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('arn:')) return normaliseRoleArn(trimmed);
  if (/^[\w+=,.@/-]{1,512}$/.test(trimmed)) return trimmed;
  throw new InvalidInputError(`"${trimmed}" is neither an IAM role ARN nor a role name.`,
    'Give the role\'s ARN (arn:aws:iam::123456789012:role/Name) or its name (Name), as awsl roles lists them.');
}

const PRINCIPAL_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:saml-provider\/[\w.-]{1,128}$/;

function normalisePrincipalArn(value: string): string {
  const trimmed = value.trim();
  if (PRINCIPAL_ARN.test(trimmed)) return trimmed;
  throw new InvalidInputError(`"${trimmed}" is not the ARN of an IAM SAML provider.`,
    'A SAML provider ARN looks like arn:aws:iam::123456789012:saml-provider/Name (IAM › Identity providers shows it).');
}

function normaliseAcsUrl(value: string): string {
  const trimmed = value.trim();
  if (signInEndpointPartition(trimmed)) return trimmed;
  throw new InvalidInputError(`"${trimmed}" is not an AWS sign-in SAML endpoint.`,
    'Use the one your IdP sends assertions to: https://signin.aws.amazon.com/saml, https://REGION.signin.aws.amazon.com/saml, a /static/saml form, or https://REGION.signin.aws.amazon.com/saml/acs/IDP-ID (aws-cn and aws-us-gov alike).');
}

function normalisePolicyArns(value: string): string {
  return parsePolicyArns(value).join(', ');
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

export function oneOf(allowed: readonly string[], what: string) {
  return (value: string) => {
    const lower = value.trim().toLowerCase();
    if (allowed.includes(lower)) return lower;
    throw new InvalidInputError(`${what} "${value.trim()}" is not accepted.`, `Use one of ${allowed.join('|')}.`);
  };
}

export function normaliseHeaderName(value: string): string {
  const trimmed = value.trim();
  if (/^[A-Za-z0-9-]+$/.test(trimmed)) return trimmed;
  throw new InvalidInputError(`"${trimmed}" is not an HTTP header name.`, 'Use letters, digits and dashes only, for example X-Second-Factor.');
}

export function normaliseIp(value: string): string {
  const trimmed = value.trim();
  if (isIP(trimmed)) return trimmed;
  throw new InvalidInputError(`"${trimmed}" is not an IP address.`, 'Give the IPv4 or IPv6 address the IdP should see, for example 203.0.113.7.');
}

export function positiveInteger(what: string) {
  return (value: string) => {
    const trimmed = value.trim();
    if (/^[1-9]\d{0,9}$/.test(trimmed)) return trimmed;
    throw new InvalidInputError(`${what} "${trimmed}" is not a positive whole number.`, `Give ${what.toLowerCase()} as digits only.`);
  };
}

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

export const ENABLE_KEYRING_SETTING: SettingDefinition = {
  key: 'awsl_enable_keyring', flag: 'enable-keyring', label: 'Enable keyring', group: 'sign-in', boolean: true, builtInDefault: 'false', normalise: (v) => normaliseBoolean(v, 'Enable keyring'),
};

/** The settings every provider has, whatever its IdP. */
export const COMMON_SETTINGS: readonly SettingDefinition[] = [
  { key: 'awsl_username', flag: 'username', label: 'Username', group: 'sign-in', normalise: text },
  ENABLE_KEYRING_SETTING,
  { key: 'awsl_role_arn', flag: 'role-arn', label: 'Role ARN', group: 'role', normalise: normaliseRoleArn },
  { key: 'awsl_duration', flag: 'duration', label: 'Session duration in seconds', group: 'role', normalise: normaliseDuration },
  { key: 'awsl_account_names', flag: 'account-names', label: 'Account names (id=name, comma-separated)', unprompted: true, normalise: normaliseAccountNames },
  { key: 'awsl_ca_bundle', flag: 'ca-bundle', label: 'CA bundle (PEM path) for the IdP', unprompted: true, normalise: normaliseFilePath,
    // When it is saved, not first at the login that needs it.
    check: (path) => { readCaBundle(path); } },
  { key: 'awsl_verify_tls', flag: 'verify-tls', label: 'Verify the IdP TLS certificate', unprompted: true, boolean: true, normalise: (v) => normaliseBoolean(v, 'Verify TLS') },
  { key: 'awsl_idp_certificate', flag: 'idp-certificate', label: 'IdP signing certificate (PEM path) to verify SAML signatures', unprompted: true, normalise: normaliseFilePath },
  { key: 'awsl_idp_metadata_url', flag: 'idp-metadata-url', label: 'IdP SAML metadata URL (its signing certificate verifies SAML signatures)', unprompted: true, normalise: (v) => normaliseServiceUrl(v, 'IdP metadata URL') },
  { key: 'awsl_acs_url', flag: 'acs-url', label: 'AWS sign-in SAML endpoint the IdP sends assertions to (default: the partition\'s https://signin…/saml)', unprompted: true, normalise: normaliseAcsUrl },
  { key: 'awsl_principal_arn', flag: 'principal-arn', label: 'ARN of the IAM SAML provider (needed with awsl_role_arn when the IdP encrypts assertions)', unprompted: true, normalise: normalisePrincipalArn },
  { key: 'awsl_policy_file', flag: 'policy-file', label: 'Session policy (JSON file) that narrows the role', unprompted: true, normalise: normaliseFilePath },
  { key: 'awsl_policy_arns', flag: 'policy-arns', label: 'Managed session policy ARNs that narrow the role (comma-separated)', unprompted: true, normalise: normalisePolicyArns },
];

/** The typed view of a profile's shared awsl settings, read from its section of ~/.aws/config. */
export interface CommonSettings {
  profile: string;
  /** awsl_provider: the name of a registered provider. */
  provider: string;
  username?: string;
  enableKeyring: boolean;
  roleArn?: string;
  /** The IAM SAML provider, so that an encrypted assertion can go to STS unread with roleArn. */
  principalArn?: string;
  /** The AWS sign-in SAML endpoint the IdP is configured with; unset, the partition's global one. */
  acsUrl?: string;
  /** JSON session policy file (absolute path). */
  policyFile?: string;
  /** Managed session policy ARNs. */
  policyArns: string[];
  duration?: number;
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

/** A profile's settings: the shared ones and, for its provider's own code, the provider's (S). */
export type ProfileSettings<S extends object = object> = CommonSettings & S;

/**
 * The command that sets up a profile, or one of its settings, as awsl suggests it in a hint; it
 * runs as printed (test/hints.test.ts parses every hint with the command's own flags).
 */
export function configureHint(profile: string, setting?: Pick<SettingDefinition, 'flag' | 'boolean'>): string {
  const command = `awsl login configure --profile ${profile}`;
  if (setting === undefined) return command;
  return `${command} --${setting.flag}${setting.boolean ? '' : ' VALUE'}`;
}

/**
 * Reads validated values of a profile section. A hand-edited bad value is an error naming the
 * key, so a typo does not silently change how awsl logs in.
 */
export function settingReader(profile: string, section: Readonly<Record<string, string>>, definitions: readonly SettingDefinition[]): (key: string) => string | undefined {
  return (key) => {
    const raw = section[key];
    if (raw === undefined || raw.trim() === '') return undefined;
    const definition = definitions.find((s) => s.key === key);
    if (!definition) return raw.trim();
    try {
      return definition.normalise(raw);
    } catch (error) {
      if (error instanceof InvalidInputError) {
        throw new InvalidInputError(`Profile ${profile}: ${key}: ${error.message}`, `${error.hint ?? ''} Fix it with: ${configureHint(profile, definition)}`.trim());
      }
      throw error;
    }
  };
}

export function readCommonSettings(profile: string, provider: string, section: Readonly<Record<string, string>>, value: (key: string) => string | undefined): CommonSettings {
  const duration = value('awsl_duration');
  return {
    profile,
    provider,
    username: value('awsl_username'),
    enableKeyring: value('awsl_enable_keyring') === 'true',
    roleArn: value('awsl_role_arn'),
    principalArn: value('awsl_principal_arn'),
    acsUrl: value('awsl_acs_url'),
    policyFile: value('awsl_policy_file'),
    policyArns: parsePolicyArns(value('awsl_policy_arns') ?? ''),
    duration: duration === undefined ? undefined : Number(duration),
    caBundle: value('awsl_ca_bundle'),
    verifyTls: value('awsl_verify_tls') !== 'false',
    idpCertificate: value('awsl_idp_certificate'),
    idpMetadataUrl: value('awsl_idp_metadata_url'),
    accountNames: parseAccountNames(value('awsl_account_names')),
    region: section.region?.trim() || undefined,
    raw: section,
  };
}
