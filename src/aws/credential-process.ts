/**
 * AWS's credential_process contract, both ends: the line awsl writes into a profile of
 * ~/.aws/config, and the JSON it prints for the AWS CLI and SDKs.
 */
import type { CachedCredentials } from '../state/credentials-cache.js';
import { parseRoleArn } from './arn.js';
import type { AwsCredentials } from './credential-store.js';
import { isShellSafe, shQuote } from './environment.js';

/**
 * What a credential_process prints (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html);
 * awsl's private cache holds the same JSON, so its warm path prints it without parsing more.
 */
export type CredentialProcessOutput = Omit<CachedCredentials, 'RoleArn'>;

/** 2024-01-01T12:00:00Z: what AWS's own tools write (no milliseconds). */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The one conversion to the wire shape… */
export function credentialProcessOutput(credentials: AwsCredentials): CredentialProcessOutput {
  const accountId = parseRoleArn(credentials.roleArn)?.accountId;
  return {
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: isoSeconds(credentials.expiration),
    ...(accountId ? { AccountId: accountId } : {}),
  };
}

/** …and the one conversion back, from awsl's cache (which adds the RoleArn). */
export function fromCredentialProcessOutput(output: CachedCredentials): AwsCredentials {
  return {
    accessKeyId: output.AccessKeyId, secretAccessKey: output.SecretAccessKey, sessionToken: output.SessionToken,
    expiration: new Date(output.Expiration), roleArn: output.RoleArn ?? '',
  };
}

/**
 * The credential_process value that runs this awsl for `profile`: the absolute node binary and
 * script, so it works whatever PATH the AWS CLI (or an IDE that starts it) has.
 */
export function credentialProcessCommand(nodePath: string, scriptPath: string, profile: string): string {
  return [nodePath, scriptPath, 'credential-process', '--profile', profile].map((word) => quoteArgument(word)).join(' ');
}

/**
 * botocore splits the line like a POSIX shell (shlex), the JavaScript and Go SDKs hand it to
 * /bin/sh: single quotes, with ' written as '\'', read the same in both (inside double quotes shlex
 * keeps a backslash before $ and ` that sh drops). On Windows botocore and the SDKs follow the
 * C runtime's rules: double quotes, \" inside.
 */
export function quoteArgument(value: string, platform: NodeJS.Platform = process.platform): string {
  if (value !== '' && isShellSafe(value)) return value;
  if (platform === 'win32') return `"${value.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
  return shQuote(value);
}
