/**
 * The flags of every command that may have to authenticate at the IdP (login, roles), so that
 * they read the same everywhere, and the password from standard input.
 */
import { Flags } from '@oclif/core';
import { text } from 'node:stream/consumers';
import { parsePolicyArns } from './aws/session-policy.js';
import { InvalidInputError } from './errors.js';
import type { SessionPolicyOverride } from './pipeline/login.js';
import type { LoginOptions } from './providers/provider.js';
import { normaliseDuoDevice, normaliseFilePath } from './settings.js';

export const idpFlags = {
  'duo-factor': Flags.string({ summary: 'Duo factor for this login.', options: ['auto', 'push', 'passcode', 'sms', 'phone', 'none'] }),
  'duo-device': Flags.string({ summary: 'Duo device for push, phone or sms (auto, or a device id such as phone1).' }),
  passcode: Flags.string({ summary: 'One-time code (Duo passcode or OneLogin OTP); implies the passcode factor.' }),
  'mfa-device': Flags.string({ summary: 'OneLogin MFA device to use (id or type).' }),
  'password-stdin': Flags.boolean({ summary: 'Read the password from standard input.' }),
};

/** Session policies for the commands that call STS; they override awsl_policy_file and awsl_policy_arns. */
export const sessionPolicyFlags = {
  'policy-file': Flags.string({ summary: 'JSON session policy that narrows the role for this session, overriding awsl_policy_file.', helpValue: 'FILE' }),
  'policy-arns': Flags.string({ summary: 'Managed session policies (comma-separated ARNs, up to 10) that narrow the role, overriding awsl_policy_arns.', helpValue: 'ARN,…' }),
};

export function loginOptions(flags: { 'duo-factor'?: string; 'duo-device'?: string; passcode?: string; 'mfa-device'?: string }): LoginOptions {
  return {
    duoFactor: flags['duo-factor'],
    duoDevice: flags['duo-device'] === undefined ? undefined : normaliseDuoDevice(flags['duo-device']),
    passcode: flags.passcode,
    mfaDevice: flags['mfa-device'],
  };
}

/** The session policy flags as a LoginRequest's override: a path taken from the current folder, ARNs checked. */
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
