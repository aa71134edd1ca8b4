/**
 * The flags of every command that may have to authenticate at the IdP (login, roles), so that
 * they read the same everywhere, and the password from standard input.
 */
import { Flags } from '@oclif/core';
import { text } from 'node:stream/consumers';
import { InvalidInputError } from './errors.js';
import type { LoginOptions } from './providers/provider.js';

export const idpFlags = {
  'duo-factor': Flags.string({ summary: 'Duo factor for this login.', options: ['auto', 'push', 'passcode', 'sms', 'phone', 'none'] }),
  passcode: Flags.string({ summary: 'One-time code (Duo passcode or OneLogin OTP); implies the passcode factor.' }),
  'mfa-device': Flags.string({ summary: 'OneLogin MFA device to use (id or type).' }),
  'password-stdin': Flags.boolean({ summary: 'Read the password from standard input.' }),
};

export function loginOptions(flags: { 'duo-factor'?: string; passcode?: string; 'mfa-device'?: string }): LoginOptions {
  return { duoFactor: flags['duo-factor'], passcode: flags.passcode, mfaDevice: flags['mfa-device'] };
}

export async function readPasswordFromStdin(command: string): Promise<string> {
  if (process.stdin.isTTY) {
    throw new InvalidInputError('--password-stdin reads the password from a pipe, but standard input is a terminal.', `Pipe it in: some-command | ${command} --password-stdin`);
  }
  const password = (await text(process.stdin)).replace(/\r?\n$/, '');
  if (!password) throw new InvalidInputError('--password-stdin got an empty password.', 'Pipe the password in on standard input.');
  return password;
}
