import { Flags } from '@oclif/core';
import { AwslCommand } from '../../command-base.js';
import { idpFlags, loginOptions, readPasswordFromStdin, sessionPolicyFlags, sessionPolicyOverride } from '../../login-flags.js';
import { ExitCode, InvalidInputError } from '../../errors.js';
import { keepAlive, keepAliveSchedule } from '../../pipeline/keep-alive.js';
import { nonInteractivePrompter } from '../../ui/prompter.js';
import { withPrompter } from '../../pipeline/context.js';
import { login, type LoginOutcome } from '../../pipeline/login.js';
import { normaliseDuration, normaliseRoleChoice } from '../../settings.js';
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
    // Repeatable here only: several profiles log in one after another, one authentication per IdP session.
    profile: Flags.string({
      char: 'p',
      multiple: true,
      summary: 'AWS profile to log in (default: AWS_PROFILE, then "default"); repeat it to log in several, with one password and second factor per IdP session.',
      helpGroup: 'GLOBAL',
    }),
    'role-arn': Flags.string({ summary: 'Role to assume, overriding the profile\'s awsl_role_arn: its ARN, or its name when no other granted role has it.' }),
    duration: Flags.string({ summary: 'Session duration in seconds (900–43200), never more than the IdP allows.' }),
    ...idpFlags,
    ...sessionPolicyFlags,
    'refresh-every': Flags.string({
      summary: 'Keep-alive: stay running and log in again every MINUTES (fractions allowed) through the IdP session or keyring, until Ctrl-C or the IdP session ends.',
      helpValue: 'MINUTES',
      helpGroup: 'KEEP-ALIVE',
    }),
    for: Flags.string({ summary: 'With --refresh-every: stop after HOURS (fractions allowed).', helpValue: 'HOURS', dependsOn: ['refresh-every'], helpGroup: 'KEEP-ALIVE' }),
  };

  async run(): Promise<LoginResult | LoginResult[]> {
    const { flags } = await this.parse(Login);
    const profiles = [...new Set(flags.profile ?? [])];
    const schedule = keepAliveSchedule(flags['refresh-every'], flags.for);
    if (profiles.length > 1 && (schedule || flags['role-arn'] !== undefined)) {
      throw new InvalidInputError(`--${schedule ? 'refresh-every' : 'role-arn'} is for one profile at a time, and ${profiles.length} were given.`,
        'Give a single --profile, or set each profile\'s role with: awsl login configure --profile P --role-arn ARN');
    }
    const stdinPassword = flags['password-stdin'] ? await readPasswordFromStdin('awsl login') : undefined;
    const common = {
      roleArn: flags['role-arn'] === undefined ? undefined : normaliseRoleChoice(flags['role-arn']),
      durationSeconds: flags.duration === undefined ? undefined : Number(normaliseDuration(flags.duration)),
      sessionPolicy: sessionPolicyOverride(flags),
      stdinPassword,
    };
    const context = this.context();
    if (profiles.length > 1) {
      // One after another: the first login of each IdP session asks, the others reuse it. A
      // one-time code (--passcode) is for the first profile; it would be stale for any other.
      const results: LoginResult[] = [];
      for (const [index, profile] of profiles.entries()) {
        const options = { ...loginOptions(flags), ...(index > 0 ? { passcode: undefined } : {}) };
        results.push(this.report(await login(context, { ...common, profile, options })));
      }
      return results;
    }
    const request = { ...common, profile: this.profileName(flags.profile?.[0]), options: loginOptions(flags) };
    const outcome = await login(context, request);
    const result = this.report(outcome);
    if (!schedule) return result;

    this.log(`Renewing every ${schedule.everyText}${schedule.forText ? ` for ${schedule.forText}` : ''}; Ctrl-C stops.`);
    const kept = await keepAlive({
      profile: request.profile, everyMs: schedule.everyMs, forMs: schedule.forMs, first: outcome, logger: this.logger, signal: this.signal,
      // Renewals never ask a person: the same role (no menu), the one-time code is spent, and nobody may be watching.
      renew: () => login(withPrompter(context, nonInteractivePrompter((message) => this.logger.info(message))), {
        ...request, roleArn: outcome.role.roleArn, options: { ...request.options, passcode: undefined },
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

  /** The two lines a login prints, and its JSON result. */
  private report(outcome: LoginOutcome): LoginResult {
    const names = new Map(outcome.accountName ? [[outcome.role.accountId, outcome.accountName]] : []);
    const expiration = outcome.credentials.expiration;
    this.log(`Logged in as ${describeRole(outcome.role, names)}${outcome.usedSavedSession ? ', through the saved IdP session' : ''}.`);
    this.log(`Credentials for profile ${outcome.profile} expire at ${formatLocalTime(expiration)} (in ${formatTimeLeft(expiration)}).`);
    return {
      profile: outcome.profile, roleArn: outcome.role.roleArn, accountId: outcome.role.accountId, accountName: outcome.accountName ?? null,
      expiration: expiration.toISOString(), usedSavedSession: outcome.usedSavedSession,
    };
  }
}

function renewalCount(count: number): string {
  return `${count} renewal${count === 1 ? '' : 's'}`;
}
