/**
 * The Duo second factor as the Shibboleth Duo plugin runs it for non-browser (ECP) logins: the
 * IdP calls Duo's Auth API inside the one HTTP request, so push and phone hold that request open
 * until the user answers. Status messages are Duo Auth API's `status_msg` texts.
 *
 * The device comes from the plugin's device header (DuoAuthAPI's X-Shibboleth-Duo-Device, default
 * `auto`) and goes to Auth API /auth as `device`: `auto` or the id of one of the user's devices
 * (duo.com/docs/authapi: "phone1", or a device ID from /preauth). Push, phone and sms go to that
 * device; an id the user does not have is Auth API's 40002 "Invalid request parameters", which
 * the plugin turns into a failed login. A passcode needs no device.
 */
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export const DUO_FACTORS = ['auto', 'push', 'passcode', 'sms', 'phone'] as const;
export type DuoFactor = (typeof DUO_FACTORS)[number];
export type PushOutcome = 'approve' | 'deny' | 'timeout';

export interface DuoAttempt {
  user: string;
  /** The factor header's value as received ('auto' when absent). */
  factor: string;
  /** The device header's value as received ('auto' when absent). */
  device: string;
  passcode?: string;
  result: 'allow' | 'deny' | 'timeout' | 'sent' | 'aborted';
  message: string;
  at: Date;
}

export type DuoResult = { ok: true } | { ok: false; message: string };

export class DuoControl {
  /** Answer to the next push, phone call or auto factor (any user); back to 'approve' once used. */
  nextPush: PushOutcome = 'approve';
  /** How long the user takes to answer a push or call. */
  pushDelayMs = 300;
  /** How long Duo waits for an answer that never comes ('timeout'). */
  timeoutMs = 1000;
  /** Every second-factor attempt, in order. */
  readonly attempts: DuoAttempt[] = [];
  readonly #sms = new Map<string, string[]>();
  readonly #used = new Set<string>();

  /** Every passcode "texted" to this user so far, oldest first. */
  smsCodesSent(user: string): string[] {
    return [...(this.#sms.get(user) ?? [])];
  }

  /**
   * Runs the factor for `user`, whose own passcodes (one use each) are `passcodes`.
   * Rejects with an AbortError when `signal` fires while a push is pending.
   */
  async authenticate(user: string, enrolled: { passcodes: readonly string[]; devices?: readonly string[] }, factor: string, passcode: string | undefined, device: string, signal: AbortSignal): Promise<DuoResult> {
    const { passcodes } = enrolled;
    const attempt: DuoAttempt = { user, factor, device, passcode, result: 'deny', message: '', at: new Date() };
    this.attempts.push(attempt);
    const finish = (result: DuoAttempt['result'], message: string): DuoResult => {
      attempt.result = result;
      attempt.message = message;
      return result === 'allow' ? { ok: true } : { ok: false, message };
    };
    if (factor !== 'passcode' && device !== 'auto' && !(enrolled.devices ?? []).includes(device)) return finish('deny', 'Invalid request parameters (device)');
    switch (factor as DuoFactor) {
      case 'auto':
      case 'push':
      case 'phone': {
        const outcome = this.nextPush;
        this.nextPush = 'approve';
        try {
          await sleep(outcome === 'timeout' ? this.timeoutMs : this.pushDelayMs, undefined, { signal });
        } catch (err) {
          finish('aborted', 'The client went away before the user answered.');
          throw err;
        }
        if (outcome === 'approve') return finish('allow', 'Success. Logging you in...');
        return outcome === 'deny' ? finish('deny', 'Login request denied.') : finish('timeout', 'Login timed out.');
      }
      case 'passcode': {
        const valid = [...passcodes, ...this.smsCodesSent(user)].filter((c) => !this.#used.has(`${user}\n${c}`));
        if (!passcode || !valid.includes(passcode)) return finish('deny', 'Incorrect passcode. Please try again.');
        this.#used.add(`${user}\n${passcode}`);
        return finish('allow', 'Success. Logging you in...');
      }
      case 'sms': {
        // Duo texts a batch of passcodes and denies this attempt; the plugin logs "Request for SMS codes unsupported".
        const codes = Array.from({ length: 3 }, () => String(randomInt(1_000_000, 10_000_000)));
        this.#sms.set(user, [...this.smsCodesSent(user), ...codes]);
        return finish('sent', 'New SMS passcodes sent.');
      }
      default:
        return finish('deny', `Invalid factor: ${factor}`);
    }
  }
}
