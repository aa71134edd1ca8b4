/**
 * OneLogin's second factor: which device, then a code (OTP devices, SMS after a trigger) or a
 * OneLogin Protect push answered on the phone.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CancelledError, InvalidInputError, MfaFailedError } from '../../errors.js';
import type { OneLoginProfile } from './descriptor.js';
import type { Logger } from '../../ui/logger.js';
import { askUntilValid } from '../../ui/ask.js';
import type { Prompter } from '../../ui/prompter.js';
import type { OneLoginApi, Outcome, VerifyFactorRequest } from './api.js';
import { apiFailureError } from './explain.js';
import type { OneLoginDevice } from './replies.js';
import { readRememberedDevice } from './state.js';

const PROTECT = 'OneLogin Protect';
const SMS = 'OneLogin SMS';
const MAX_CODE_TRIES = 3;

/** The state token died before the factor was verified: the login must start over. */
export const STATE_TOKEN_EXPIRED = Symbol('state token expired');
export type FactorResult = string | typeof STATE_TOKEN_EXPIRED;

export interface MfaFlow {
  api: OneLoginApi;
  settings: OneLoginProfile;
  prompter: Prompter;
  logger: Logger;
  signal: AbortSignal;
  username: string;
  appId: string;
  pushPollIntervalMs: number;
}

const deviceLabel = (device: OneLoginDevice) => `${device.type} (id ${device.id})`;

/**
 * The pinned device (--mfa-device or awsl_mfa_device, by id or type), else the one this profile
 * used last, else the only one, else a menu. Same-type devices are told apart by id.
 */
export async function chooseDevice(flow: MfaFlow, devices: OneLoginDevice[], pin: string | undefined, rememberedPath: string): Promise<OneLoginDevice> {
  if (devices.length === 0) {
    throw new MfaFailedError(`OneLogin requires a second factor for ${flow.username} but lists no device for it.`,
      'Enrol an MFA device in your OneLogin profile, then run awsl login again.');
  }
  let candidates = devices;
  if (pin) {
    const wanted = pin.trim().toLowerCase();
    candidates = devices.filter((device) => device.id === wanted || device.type.toLowerCase() === wanted);
    if (candidates.length === 0) {
      throw new InvalidInputError(`OneLogin lists no MFA device "${pin}" for ${flow.username}.`,
        `Pin one of ${devices.map(deviceLabel).join(', ')} by id or type with --mfa-device or awsl_mfa_device.`);
    }
  }
  const [only] = candidates;
  if (only && candidates.length === 1) return only;
  const remembered = await readRememberedDevice(rememberedPath);
  const again = candidates.find((device) => device.id === remembered?.id);
  if (again) {
    flow.logger.info(`Using ${deviceLabel(again)}, as last time (--mfa-device picks another).`);
    return again;
  }
  return deviceMenu(flow.prompter, candidates);
}

async function deviceMenu(prompter: Prompter, devices: OneLoginDevice[]): Promise<OneLoginDevice> {
  prompter.say('OneLogin MFA devices:');
  devices.forEach((device, index) => prompter.say(`  ${index + 1}) ${deviceLabel(device)}`));
  // q quits as at the role menu: exit 130, nothing sent to any device.
  return askUntilValid(prompter, `MFA device [1-${devices.length}, q to quit]`, {
    unattendedHint: `Pin the device with --mfa-device ID (ids: ${devices.map((device) => device.id).join(', ')}).`,
  }, (answer) => {
    if (answer.toLowerCase() === 'q') throw new CancelledError('No MFA device chosen.');
    const chosen = (/^\d+$/.test(answer) ? devices[Number(answer) - 1] : undefined) ?? devices.find((device) => device.id === answer);
    if (!chosen) throw new InvalidInputError(`"${answer}" is not on the list: type a number from 1 to ${devices.length}, or q to quit.`);
    return chosen;
  });
}

/**
 * Verifies the device. A code given on the command line is sent first, with no push or SMS;
 * otherwise Protect gets one push, SMS one message, and every other type is asked for a code.
 */
export async function passFactor(flow: MfaFlow, device: OneLoginDevice, stateToken: string, passcode: string | undefined): Promise<FactorResult> {
  const verify = (fields: Pick<VerifyFactorRequest, 'otp_token' | 'do_not_notify'>) =>
    flow.api.verifyFactor({ app_id: flow.appId, device_id: device.id, state_token: stateToken, ...fields });
  if (passcode !== undefined) return enterCodes(flow, device, verify, passcode);
  if (device.type === PROTECT) {
    const pushed = await awaitPush(flow, device, verify);
    return pushed === 'timeout' ? enterCodes(flow, device, verify, await codeInsteadOfPush(flow)) : pushed;
  }
  if (device.type === SMS) {
    const sent = settle(flow, device, await verify({ do_not_notify: false }));
    if (sent !== undefined) return sent;
    flow.prompter.say(`OneLogin sent a code by SMS (${deviceLabel(device)}).`);
  }
  return enterCodes(flow, device, verify, undefined);
}

type Verify = (fields: Pick<VerifyFactorRequest, 'otp_token' | 'do_not_notify'>) => Promise<Outcome>;

/** The assertion or an expired state token; undefined while pending; otherwise throws. */
function settle(flow: MfaFlow, device: OneLoginDevice, outcome: Outcome): FactorResult | undefined {
  if (outcome.ok) {
    if (outcome.reply.kind === 'assertion') return outcome.reply.samlResponse;
    if (outcome.reply.kind === 'pending') return undefined;
    throw new MfaFailedError(`OneLogin asked for a second factor again after ${deviceLabel(device)}.`, 'Run awsl login again.');
  }
  if (outcome.kind === 'state-token-expired') return STATE_TOKEN_EXPIRED;
  if (outcome.kind === 'factor-rejected' && device.type === PROTECT) {
    throw new MfaFailedError(`The OneLogin Protect push was denied (${outcome.failure.message}).`,
      'If you did not start this login, tell your OneLogin administrator; otherwise run awsl login again.');
  }
  throw apiFailureError(outcome.kind, outcome.failure, flow.settings, flow.username);
}

async function enterCodes(flow: MfaFlow, device: OneLoginDevice, verify: Verify, first: string | undefined): Promise<FactorResult> {
  for (let attempt = 1; attempt <= MAX_CODE_TRIES; attempt++) {
    const code = attempt === 1 && first !== undefined ? first : await askCode(flow.prompter, device);
    // do_not_notify: a code must never also send a push or SMS.
    const outcome = await verify({ otp_token: code, do_not_notify: true });
    if (!outcome.ok && outcome.kind === 'factor-rejected') {
      if (attempt < MAX_CODE_TRIES) flow.prompter.say(`OneLogin did not accept that code (try ${attempt} of ${MAX_CODE_TRIES}).`);
      continue;
    }
    const result = settle(flow, device, outcome);
    if (result !== undefined) return result;
    throw new MfaFailedError(`OneLogin still reports the code from ${deviceLabel(device)} as pending.`, 'Run awsl login again.');
  }
  throw new MfaFailedError(`OneLogin did not accept ${MAX_CODE_TRIES} codes from ${deviceLabel(device)}.`,
    'Use a fresh code (check that the device\'s clock is right for app codes) and run awsl login again.');
}

async function askCode(prompter: Prompter, device: OneLoginDevice): Promise<string> {
  for (;;) {
    const code = (await prompter.ask(`Code from ${deviceLabel(device)}`, { unattendedHint: 'Give the code with --passcode CODE.' })).trim();
    if (code) return code;
  }
}

/** One push (do_not_notify false), then polls that only ask (do_not_notify true), each a fresh request. */
async function awaitPush(flow: MfaFlow, device: OneLoginDevice, verify: Verify): Promise<FactorResult | 'timeout'> {
  const first = settle(flow, device, await verify({ do_not_notify: false }));
  if (first !== undefined) return first;
  const seconds = flow.settings.mfaPushTimeoutSeconds;
  const deadline = Date.now() + seconds * 1000;
  const text = (leftMs: number) => `Approve the push on ${deviceLabel(device)} (${Math.ceil(leftMs / 1000)} s left, Ctrl-C to cancel)`;
  const spinner = flow.prompter.spinner(text(seconds * 1000));
  let finalText: string | undefined;
  try {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) {
        finalText = `No answer to the push within ${seconds} s.`;
        return 'timeout';
      }
      spinner.update(text(left));
      await sleep(Math.min(flow.pushPollIntervalMs, left), undefined, { signal: flow.signal });
      const result = settle(flow, device, await verify({ do_not_notify: true }));
      if (result !== undefined) {
        if (result !== STATE_TOKEN_EXPIRED) finalText = 'Push approved.';
        return result;
      }
    }
  } finally {
    spinner.stop(finalText);
  }
}

async function codeInsteadOfPush(flow: MfaFlow): Promise<string> {
  const timedOut = new MfaFailedError(`The OneLogin Protect push was not approved within ${flow.settings.mfaPushTimeoutSeconds} s.`,
    'Run awsl login again and approve it sooner, allow more time with awsl_mfa_push_timeout, or give a code from the app with --passcode.');
  if (!flow.prompter.interactive) throw timedOut;
  const code = (await flow.prompter.ask('Code from OneLogin Protect instead (Enter to give up)')).trim();
  if (!code) throw timedOut;
  return code;
}
