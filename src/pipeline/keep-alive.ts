/**
 * Keep-alive for programs that only read ~/.aws/credentials (`awsl login --refresh-every MINUTES
 * [--for HOURS]`, other assume-role tools' --loop): after the first login, log in again every MINUTES —
 * and always before the credentials get within the refresh margin of expiry — through the saved
 * IdP session or the keyring, never by asking a person. It ends when HOURS have passed, on Ctrl-C
 * (the abort signal), or when a renewal would need a person (the IdP session ended): then with an
 * error that says so and how long the current credentials still last.
 */
import { InvalidInputError, NeedsTerminalError, NetworkError, RateLimitedError, StsError } from '../errors.js';
import type { Logger } from '../ui/logger.js';
import { formatLocalTime } from '../ui/render.js';
import { REFRESH_MARGIN_SECONDS } from './current-credentials.js';
import type { LoginOutcome } from './login.js';

export interface KeepAliveRequest {
  profile: string;
  everyMs: number;
  /** Stop after this long; undefined: until stopped. */
  forMs: number | undefined;
  /** The login that started it. */
  first: LoginOutcome;
  /** One login that must not ask a person (its prompter is non-interactive). */
  renew(): Promise<LoginOutcome>;
  onRenewal(outcome: LoginOutcome, renewals: number): void;
  logger: Logger;
  signal: AbortSignal;
  now?: () => number;
}

export interface KeepAliveOutcome {
  renewals: number;
  last: LoginOutcome;
  stoppedBy: 'time' | 'interrupt';
}

/** After a failure that may pass (network, throttling), the next try comes this much later at most. */
const RETRY_MS = 30_000;

export async function keepAlive(request: KeepAliveRequest): Promise<KeepAliveOutcome> {
  const now = request.now ?? Date.now;
  const deadline = request.forMs === undefined ? Infinity : now() + request.forMs;
  let last = request.first;
  let renewals = 0;
  let nextAt = now() + request.everyMs;
  let renewedAt: number | undefined;
  const stopped = (stoppedBy: KeepAliveOutcome['stoppedBy']): KeepAliveOutcome => ({ renewals, last, stoppedBy });

  for (;;) {
    const expiresAt = last.credentials.expiration.getTime();
    const byMargin = expiresAt - REFRESH_MARGIN_SECONDS * 1000;
    // Renewed credentials that are within the margin from the start (a 15-minute session) are renewed halfway, not at once again.
    const due = renewedAt === undefined ? byMargin : Math.max(byMargin, (renewedAt + expiresAt) / 2);
    const at = Math.min(nextAt, due);
    if (at >= deadline) {
      return (await pause(deadline - now(), request.signal)) ? stopped('time') : stopped('interrupt');
    }
    if (!(await pause(at - now(), request.signal))) return stopped('interrupt');
    try {
      last = await request.renew();
      renewedAt = now();
      renewals += 1;
      nextAt = now() + request.everyMs;
      request.onRenewal(last, renewals);
    } catch (error) {
      if (request.signal.aborted) return stopped('interrupt');
      const validUntil = `The current credentials stay valid until ${formatLocalTime(new Date(expiresAt))}.`;
      if (error instanceof NeedsTerminalError) {
        throw new NeedsTerminalError(`Keep-alive of profile ${request.profile} stopped after ${renewals} renewal${renewals === 1 ? '' : 's'}: the IdP session has ended, and logging in again needs a password or second factor. ${validUntil}`,
          `Log in again in a terminal: awsl login --profile ${request.profile} --refresh-every …`, { cause: error });
      }
      const retry = Math.min(RETRY_MS, request.everyMs);
      if (mayPass(error) && now() + retry < expiresAt) {
        request.logger.warn(`renewing profile ${request.profile} failed (${(error as Error).message}); trying again in ${Math.round(retry / 1000)} s. ${validUntil}`);
        nextAt = now() + retry;
        continue;
      }
      throw error;
    }
  }
}

function mayPass(error: unknown): boolean {
  return error instanceof NetworkError || error instanceof RateLimitedError || (error instanceof StsError && /Throttl/i.test(error.code));
}

/** Waits; false when the signal aborted the wait. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface KeepAliveSchedule {
  everyMs: number;
  forMs: number | undefined;
  everyText: string;
  forText: string | undefined;
}

/** --refresh-every MINUTES and --for HOURS, checked before anything happens; undefined without --refresh-every. */
export function keepAliveSchedule(every: string | undefined, forHours: string | undefined): KeepAliveSchedule | undefined {
  if (every === undefined) return undefined;
  const minutes = positiveNumber(every, '--refresh-every', 'minutes');
  const hours = forHours === undefined ? undefined : positiveNumber(forHours, '--for', 'hours');
  return {
    everyMs: Math.round(minutes * 60_000),
    forMs: hours === undefined ? undefined : Math.round(hours * 3_600_000),
    everyText: minutes === 1 ? '1 minute' : `${minutes} minutes`,
    forText: hours === undefined ? undefined : hours === 1 ? '1 hour' : `${hours} hours`,
  };
}

function positiveNumber(value: string, flag: string, unit: string): number {
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (/^\d*\.?\d+$/.test(trimmed) && number > 0 && Number.isFinite(number)) return number;
  throw new InvalidInputError(`${flag} "${trimmed}" is not a number of ${unit} greater than 0.`, `Give ${unit} as a number, for example ${flag} ${unit === 'minutes' ? '50' : '8'} (fractions such as 0.5 work too).`);
}
