import { Flags } from '@oclif/core';
import { AwslCommand } from '../../command-base.js';
import { idpFlags, loginOptions, readPasswordFromStdin } from '../../login-flags.js';
import { ExitCode } from '../../errors.js';
import { keepAlive, keepAliveSchedule } from '../../pipeline/keep-alive.js';
import { nonInteractivePrompter } from '../../ui/prompter.js';
import { login } from '../../pipeline/login.js';
import { normaliseDuration, normaliseRoleArn } from '../../settings.js';
import { describeRole, formatLocalTime, formatTimeLeft } from '../../ui/render.js';
import * as messages from '../../messages/login.js';

export interface LoginResult {
  profile: string;
  roleArn: string;
  accountId: string;
  accountName: string | null;
  expiration: string;
  usedSavedSession: boolean;
  /** With --refresh-every: how many renewals followed the first login. */
  renewals?: number;
}

export default class Login extends AwslCommand {
  static override summary = messages.summary;
  static override description = messages.description;
  static override examples = messages.examples;
  static override enableJsonFlag = true;
  static override flags = {
    'role-arn': Flags.string({ summary: 'Role to assume, overriding the profile\'s awsl_role_arn.' }),
    duration: Flags.string({ summary: 'Session duration in seconds (900–43200), never more than the IdP allows.' }),
    ...idpFlags,
    'refresh-every': Flags.string({
      summary: 'Keep-alive: stay running and log in again every MINUTES (fractions allowed) through the IdP session or keyring, until Ctrl-C or the IdP session ends.',
      helpValue: 'MINUTES',
      helpGroup: 'KEEP-ALIVE',
    }),
    for: Flags.string({ summary: 'With --refresh-every: stop after HOURS (fractions allowed).', helpValue: 'HOURS', dependsOn: ['refresh-every'], helpGroup: 'KEEP-ALIVE' }),
  };

  async run(): Promise<LoginResult> {
    const { flags } = await this.parse(Login);
    const profile = this.profileName(flags.profile);
    const schedule = keepAliveSchedule(flags['refresh-every'], flags.for);
    const stdinPassword = flags['password-stdin'] ? await readPasswordFromStdin('awsl login') : undefined;
    const request = {
      profile,
      roleArn: flags['role-arn'] === undefined ? undefined : normaliseRoleArn(flags['role-arn']),
      durationSeconds: flags.duration === undefined ? undefined : Number(normaliseDuration(flags.duration)),
      options: loginOptions(flags),
      stdinPassword,
      prompter: this.prompter(),
      logger: this.logger,
      signal: this.signal,
    };
    const outcome = await login(request);
    const names = new Map(outcome.accountName ? [[outcome.role.accountId, outcome.accountName]] : []);
    const expiration = outcome.credentials.expiration;
    this.log(`Logged in as ${describeRole(outcome.role, names)}${outcome.usedSavedSession ? ' (saved IdP session)' : ''}.`);
    this.log(`Credentials for profile ${profile} expire at ${formatLocalTime(expiration)} (in ${formatTimeLeft(expiration)}).`);
    const result: LoginResult = {
      profile, roleArn: outcome.role.roleArn, accountId: outcome.role.accountId, accountName: outcome.accountName ?? null,
      expiration: expiration.toISOString(), usedSavedSession: outcome.usedSavedSession,
    };
    if (!schedule) return result;

    this.log(`Renewing every ${schedule.everyText}${schedule.forText ? ` for ${schedule.forText}` : ''}; Ctrl-C stops.`);
    const kept = await keepAlive({
      profile, everyMs: schedule.everyMs, forMs: schedule.forMs, first: outcome, logger: this.logger, signal: this.signal,
      // Renewals never ask a person: the same role (no menu), the one-time code is spent, and nobody may be watching.
      renew: () => login({
        ...request, roleArn: outcome.role.roleArn, options: { ...request.options, passcode: undefined },
        prompter: nonInteractivePrompter((message) => this.logger.info(message)),
      }),
      onRenewal: (renewed, count) => {
        const until = renewed.credentials.expiration;
        const renewedNames = new Map(renewed.accountName ? [[renewed.role.accountId, renewed.accountName]] : []);
        this.log(`Renewal ${count}: ${describeRole(renewed.role, renewedNames)}; credentials expire at ${formatLocalTime(until)} (in ${formatTimeLeft(until)}).`);
      },
    });
    const last = kept.last.credentials.expiration;
    const summary = { ...result, expiration: last.toISOString(), roleArn: kept.last.role.roleArn, renewals: kept.renewals };
    if (kept.stoppedBy === 'time') {
      this.log(`Keep-alive done after ${schedule.forText} and ${renewalCount(kept.renewals)}; credentials expire at ${formatLocalTime(last)}.`);
      return summary;
    }
    this.log(`Keep-alive stopped (Ctrl-C) after ${renewalCount(kept.renewals)}; credentials expire at ${formatLocalTime(last)}.`);
    if (this.jsonEnabled()) this.logJson(summary);
    this.exit(ExitCode.Cancelled);
  }
}

function renewalCount(count: number): string {
  return `${count} renewal${count === 1 ? '' : 's'}`;
}
