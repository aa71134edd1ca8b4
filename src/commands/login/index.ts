import { Flags } from '@oclif/core';
import { text } from 'node:stream/consumers';
import { AwslCommand } from '../../command-base.js';
import { InvalidInputError } from '../../errors.js';
import { login } from '../../pipeline/login.js';
import { normaliseDuration, normaliseRoleArn } from '../../settings.js';
import { describeRole, formatLocalTime, formatTimeLeft } from '../../ui/render.js';

export interface LoginResult {
  profile: string;
  roleArn: string;
  accountId: string;
  accountName: string | null;
  expiration: string;
  usedSavedSession: boolean;
}

export default class Login extends AwslCommand {
  static override summary = 'Log in through your IdP and write temporary AWS credentials for a profile.';
  static override description = `Tries the saved IdP session first (no password, no second factor); only when the IdP refuses it does awsl ask for the password (keyring first) and the second factor. The role comes from --role-arn, then the profile's awsl_role_arn, then the only role granted, then a menu. Credentials go into the profile's section of ~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE).`;
  static override examples = [
    { description: 'Log in with the default profile', command: '<%= config.bin %> login' },
    { description: 'Log in with profile prod (the same three ways)', command: '<%= config.bin %> --profile prod login\n<%= config.bin %> login --profile prod\nAWS_PROFILE=prod <%= config.bin %> login' },
    { description: 'Switch role without a password while the IdP session lasts', command: '<%= config.bin %> logout && <%= config.bin %> login --role-arn arn:aws:iam::123456789012:role/ReadOnly' },
    { description: 'Automation: password on standard input', command: 'secret-tool lookup service idp | <%= config.bin %> login --profile ci --password-stdin' },
  ];
  static override enableJsonFlag = true;
  static override flags = {
    'role-arn': Flags.string({ summary: 'Role to assume, overriding the profile\'s awsl_role_arn.' }),
    duration: Flags.string({ summary: 'Session duration in seconds (900–43200), never more than the IdP allows.' }),
    'duo-factor': Flags.string({ summary: 'Duo factor for this login.', options: ['auto', 'push', 'passcode', 'sms', 'phone', 'none'] }),
    passcode: Flags.string({ summary: 'One-time code (Duo passcode or OneLogin OTP); implies the passcode factor.' }),
    'mfa-device': Flags.string({ summary: 'OneLogin MFA device to use (id or type).' }),
    'password-stdin': Flags.boolean({ summary: 'Read the password from standard input.' }),
  };

  async run(): Promise<LoginResult> {
    const { flags } = await this.parse(Login);
    const profile = this.profileName(flags.profile);
    const stdinPassword = flags['password-stdin'] ? await readPasswordFromStdin() : undefined;
    const outcome = await login({
      profile,
      roleArn: flags['role-arn'] === undefined ? undefined : normaliseRoleArn(flags['role-arn']),
      durationSeconds: flags.duration === undefined ? undefined : Number(normaliseDuration(flags.duration)),
      options: { duoFactor: flags['duo-factor'], passcode: flags.passcode, mfaDevice: flags['mfa-device'] },
      stdinPassword,
      prompter: this.prompter(),
      logger: this.logger,
      signal: this.signal,
    });
    const names = new Map(outcome.accountName ? [[outcome.role.accountId, outcome.accountName]] : []);
    const expiration = outcome.credentials.expiration;
    this.log(`Logged in as ${describeRole(outcome.role, names)}${outcome.usedSavedSession ? ' (saved IdP session)' : ''}.`);
    this.log(`Credentials for profile ${profile} expire at ${formatLocalTime(expiration)} (in ${formatTimeLeft(expiration)}).`);
    return {
      profile, roleArn: outcome.role.roleArn, accountId: outcome.role.accountId, accountName: outcome.accountName ?? null,
      expiration: expiration.toISOString(), usedSavedSession: outcome.usedSavedSession,
    };
  }
}

async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new InvalidInputError('--password-stdin reads the password from a pipe, but standard input is a terminal.', 'Pipe it in: some-command | awsl login --password-stdin');
  }
  const password = (await text(process.stdin)).replace(/\r?\n$/, '');
  if (!password) throw new InvalidInputError('--password-stdin got an empty password.', 'Pipe the password in on standard input.');
  return password;
}
