/**
 * The flags of every command that may have to authenticate at the IdP (login, roles), so that
 * they read the same everywhere, and the password from standard input.
 */
import { Flags } from '@oclif/core';
import { text } from 'node:stream/consumers';
import { InvalidInputError } from './errors.js';
import type { LoginOptions } from './providers/provider.js';
import { PROVIDER_LOGIN_FLAGS } from './providers/registry.js';

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

export async function readPasswordFromStdin(command: string): Promise<string> {
  if (process.stdin.isTTY) {
    throw new InvalidInputError('--password-stdin reads the password from a pipe, but standard input is a terminal.', `Pipe it in: some-command | ${command} --password-stdin`);
  }
  const password = (await text(process.stdin)).replace(/\r?\n$/, '');
  if (!password) throw new InvalidInputError('--password-stdin got an empty password.', 'Pipe the password in on standard input.');
  return password;
}
