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
 * The credential_process value that runs this awsl for `profile`. Absolute paths, so it works
 * whatever folder the AWS CLI (or an IDE that starts it) runs in.
 */
export function credentialProcessCommand(program: readonly string[], profile: string): string {
  return [...program, 'credential-process', '--profile', profile].map((word) => quoteArgument(word)).join(' ');
}

export interface AwslInstall {
  /** The running executable: node, or the single awsl binary. */
  execPath: string;
  /** bin/run.js, symlinks resolved. */
  entryScript: string;
  /** Running as the single binary (node:sea). */
  singleBinary: boolean;
  platform: NodeJS.Platform;
}

/**
 * The words that start this awsl in a credential_process line. Never the versioned Node binary
 * that happens to run now: nvm, fnm, volta, asdf and Homebrew remove it on a Node upgrade, and
 * every AWS call would then fail. The single binary names itself; otherwise the entry script,
 * whose `#!/usr/bin/env node` finds whatever Node is on PATH. Windows cannot start a script, so
 * there node comes first, by name, from PATH.
 */
export function awslProgram(install: AwslInstall): string[] {
  if (install.singleBinary) return [install.execPath];
  if (install.platform === 'win32') return ['node', install.entryScript];
  return [install.entryScript];
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

/**
 * A credential_process line split into words the way botocore (shlex, POSIX mode) does; undefined
 * when its quotes do not close, which botocore refuses too.
 */
export function splitCommandWords(line: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index] as string;
    if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === "'") {
      const end = line.indexOf("'", index + 1);
      if (end < 0) return undefined;
      word = (word ?? '') + line.slice(index + 1, end);
      index = end;
    } else if (char === '"') {
      word ??= '';
      for (index += 1; ; index += 1) {
        if (index >= line.length) return undefined;
        const inner = line[index] as string;
        if (inner === '"') break;
        if (inner === '\\' && index + 1 < line.length && '"\\'.includes(line[index + 1] as string)) index += 1;
        word += line[index];
      }
    } else if (char === '\\') {
      if (index + 1 >= line.length) return undefined;
      word = (word ?? '') + line[index + 1];
      index += 1;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
