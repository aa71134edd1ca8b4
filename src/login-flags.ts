/**
 * The flags of every command that may have to authenticate at the IdP (login, roles), so that
 * they read the same everywhere, and the password from standard input.
 */
import { Flags } from '@oclif/core';
import { text } from 'node:stream/consumers';
import { parsePolicyArns, type SessionPolicyOverride } from './aws/session-policy.js';
import { InvalidInputError } from './errors.js';
import type { LoginOptions } from './providers/provider.js';
import { PROVIDER_LOGIN_FLAGS } from './providers/registry.js';
import { normaliseFilePath } from './settings.js';

/** The providers' own flags, then the ones every provider shares. */
export const idpFlags = {
  ...PROVIDER_LOGIN_FLAGS,
  passcode: Flags.string({ summary: 'One-time code for the second factor; implies the passcode factor.' }),
  'password-stdin': Flags.boolean({ summary: 'Read the password from standard input.' }),
};

export function loginOptions(flags: Readonly<Record<string, unknown>>): LoginOptions {
  const passcode = typeof flags.passcode === 'string' ? flags.passcode : undefined;
  const own = Object.keys(PROVIDER_LOGIN_FLAGS).map((name) => [name, typeof flags[name] === 'string' ? flags[name] : undefined]);
  return { passcode, flags: Object.fromEntries(own) as Record<string, string | undefined> };
}

/** Session policies for the commands that call STS; they override awsl_policy_file and awsl_policy_arns. */
export const sessionPolicyFlags = {
  'policy-file': Flags.string({ summary: 'JSON session policy that narrows the role for this session, overriding awsl_policy_file.', helpValue: 'FILE' }),
  'policy-arns': Flags.string({ summary: 'Managed session policies (comma-separated ARNs, up to 10) that narrow the role, overriding awsl_policy_arns.', helpValue: 'ARN,…' }),
};

/** The session policy flags as a login's override: a path taken from the current folder, ARNs checked. */
export function sessionPolicyOverride(flags: { 'policy-file'?: string; 'policy-arns'?: string }): SessionPolicyOverride {
  return {
    policyFile: flags['policy-file'] === undefined ? undefined : normaliseFilePath(flags['policy-file']),
    policyArns: flags['policy-arns'] === undefined ? undefined : parsePolicyArns(flags['policy-arns']),
  };
}

export async function readPasswordFromStdin(command: string): Promise<string> {
  if (process.stdin.isTTY) {
    throw new InvalidInputError('--password-stdin reads the password from a pipe, but standard input is a terminal.', `Pipe it in: some-command | ${command} --password-stdin`);
  }
  const password = (await text(process.stdin)).replace(/\r?\n$/, '');
  if (!password) throw new InvalidInputError('--password-stdin got an empty password.', 'Pipe the password in on standard input.');
  return password;
}
