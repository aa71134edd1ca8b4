/**
 * Credentials as environment variables, for `awsl exec` (a child's environment) and `awsl env`
 * (export lines for sh, fish, PowerShell, a dotenv file, or JSON). Values are quoted so that any
 * character survives, though AWS's own are base64 and ARN characters.
 */
import { parseRoleArn } from './arn.js';
import { isoSeconds } from './credential-process.js';
import type { AwsCredentials } from './credential-store.js';

/**
 * Removed from the child's environment: with a profile named there, tools look up that profile's
 * settings; the credentials in the environment are what they must use.
 */
export const REMOVED_VARIABLES = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'] as const;

export const ENV_FORMATS = ['sh', 'bash', 'zsh', 'fish', 'powershell', 'dotenv', 'json'] as const;
export type EnvFormat = (typeof ENV_FORMATS)[number];

export interface CredentialVariables {
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_SESSION_TOKEN: string;
  AWS_CREDENTIAL_EXPIRATION: string;
  /** The role's account (botocore's EnvProvider reads it, for account-based endpoints). */
  AWS_ACCOUNT_ID?: string;
  AWS_REGION?: string;
  AWS_DEFAULT_REGION?: string;
}

/** The variables, in the order they are printed. The region goes in both names (SDKs read AWS_REGION, the AWS CLI AWS_DEFAULT_REGION too). */
export function credentialVariables(credentials: AwsCredentials, region: string | undefined): CredentialVariables {
  const accountId = parseRoleArn(credentials.roleArn)?.accountId;
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: isoSeconds(credentials.expiration),
    ...(accountId ? { AWS_ACCOUNT_ID: accountId } : {}),
    ...(region ? { AWS_REGION: region, AWS_DEFAULT_REGION: region } : {}),
  };
}

/** The region as the AWS CLI resolves it: environment first, then the profile. */
export function resolveRegion(env: NodeJS.ProcessEnv, profileRegion: string | undefined): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || profileRegion || undefined;
}

/** `base` with the variables set and the profile selectors (and credentials of other origin) removed. */
export function childEnvironment(base: NodeJS.ProcessEnv, variables: CredentialVariables): NodeJS.ProcessEnv {
  return { ...without(base, [...REMOVED_VARIABLES, ...AMBIENT_CREDENTIAL_VARIABLES]), ...variables };
}

/** Container-endpoint settings that the SDKs would prefer to AWS_CONTAINER_CREDENTIALS_FULL_URI and its token. */
const CONTAINER_OVERRIDES = ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'] as const;

/**
 * For `exec --server`: `base` with the credentials endpoint instead of keys — nothing left that an
 * SDK would take first (keys, a profile, another container endpoint) — plus the account and region.
 */
export function containerEnvironment(base: NodeJS.ProcessEnv, endpoint: { url: string; token: string }, variables: CredentialVariables): NodeJS.ProcessEnv {
  const { AWS_ACCOUNT_ID, AWS_REGION, AWS_DEFAULT_REGION } = variables;
  const kept = Object.entries({ AWS_ACCOUNT_ID, AWS_REGION, AWS_DEFAULT_REGION }).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return {
    ...without(base, [...REMOVED_VARIABLES, ...AMBIENT_CREDENTIAL_VARIABLES, ...CONTAINER_OVERRIDES]),
    AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: endpoint.token,
    ...Object.fromEntries(kept),
  };
}

/** Export lines (or a JSON object) that set the variables and unset the profile selectors. */
export function formatEnvironment(variables: CredentialVariables, format: EnvFormat): string {
  const entries = Object.entries(variables) as [string, string][];
  switch (format) {
    case 'sh':
    case 'bash':
    case 'zsh':
      return lines([`unset ${REMOVED_VARIABLES.join(' ')}`, ...entries.map(([name, value]) => `export ${name}=${shQuote(value)}`)]);
    case 'fish':
      return lines([`set -e ${REMOVED_VARIABLES.join(' ')} 2>/dev/null`, ...entries.map(([name, value]) => `set -gx ${name} ${fishQuote(value)}`)]);
    case 'powershell':
      return lines([
        ...REMOVED_VARIABLES.map((name) => `Remove-Item -Path Env:${name} -ErrorAction SilentlyContinue`),
        ...entries.map(([name, value]) => `$Env:${name} = ${powershellQuote(value)}`),
      ]);
    case 'dotenv':
      return lines(entries.map(([name, value]) => `${name}=${dotenvQuote(value)}`));
    case 'json':
      return `${JSON.stringify(variables, undefined, 2)}\n`;
  }
}

function lines(texts: string[]): string {
  return `${texts.join('\n')}\n`;
}

/** Characters no shell, dotenv reader or shlex treats specially. */
export function isShellSafe(value: string): boolean {
  return /^[\w@%+=:,./-]*$/.test(value);
}

/** POSIX sh: single quotes keep everything but ', which is closed, escaped and reopened. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** fish: inside single quotes only \\ and \' are escapes. */
export function fishQuote(value: string): string {
  return `'${value.replace(/[\\']/g, (char) => `\\${char}`)}'`;
}

/** PowerShell: single quotes are literal; a quote (also the typographic ones PowerShell accepts) is doubled. */
export function powershellQuote(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (char) => `${char}${char}`)}'`;
}

/**
 * dotenv: bare when safe (readable by docker's --env-file too), else single quotes (literal in
 * dotenv, python-dotenv, compose), else double quotes with escapes.
 */
export function dotenvQuote(value: string): string {
  if (isShellSafe(value)) return value;
  if (!/['\n\r]/.test(value)) return `'${value}'`;
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** Credentials in the environment come first in the AWS CLI's chain: they would override the profile. */
export const AMBIENT_CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_ACCOUNT_ID'] as const;

/** For the AWS CLI pass-through: the profile selected by AWS_PROFILE, and no credentials that would override it. */
export function profileEnvironment(base: NodeJS.ProcessEnv, profile: string): NodeJS.ProcessEnv {
  return { ...without(base, [...AMBIENT_CREDENTIAL_VARIABLES, 'AWS_DEFAULT_PROFILE']), AWS_PROFILE: profile };
}

function without(env: NodeJS.ProcessEnv, names: readonly string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));
}
