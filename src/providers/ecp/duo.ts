/**
 * Duo through the Shibboleth Duo ECP plugin: the factor and passcode travel in headers. A push or
 * call holds the HTTP request open until answered, so awsl shows a spinner and never times it out
 * early; `sms` makes the IdP send codes and fail, after which awsl asks for one and logs in with it.
 */
import { InvalidInputError } from '../../errors.js';
import type { Spinner } from '../../ui/prompter.js';
import { DUO_FACTORS, normaliseDuoDevice, type DuoFactor, type EcpContext } from './descriptor.js';
import { LoginRefusedError } from './errors.js';

export interface DuoChoice {
  factor: DuoFactor;
  passcode?: string;
  /** The passcode was typed at a prompt: a wrong one may be typed again once. */
  typed?: boolean;
  /** The device Duo pushes to, calls or texts (Duo Auth API `device`); unset, the plugin's default (auto). */
  device?: string;
}

/** Re-asks after a wrong typed passcode, as for a password: one. */
const TYPED_PASSCODE_RETRIES = 1;

/** Duo's own limit for answering a push or call. */
const DUO_ANSWER_SECONDS = 60;
/**
 * With no factor set, the push text waits this long: an IdP without Duo has answered by then. Under
 * SLOW_REQUEST_MS, so that the Duo text, not the generic "Waiting for HOST", is what shows.
 */
const UNSET_FACTOR_QUIET_MS = 700;

/** --passcode implies the passcode factor; otherwise flag ▸ setting; none sends no Duo headers. The device: flag ▸ setting. */
export async function resolveDuoFactor(context: EcpContext): Promise<DuoChoice | undefined> {
  const { options } = context;
  if (options.passcode) return { factor: 'passcode', passcode: options.passcode };
  const device = duoDevice(context);
  const requested = requestedFactor(context);
  if (requested === undefined || requested === 'none') return undefined;
  if (!(DUO_FACTORS as readonly string[]).includes(requested)) {
    throw new InvalidInputError(`Duo factor "${requested}" is not one awsl knows.`, `Use one of ${DUO_FACTORS.join('|')}.`);
  }
  const factor = requested as DuoFactor;
  if (factor === 'passcode') {
    return { factor, passcode: await askPasscode(context, 'Duo passcode'), typed: true };
  }
  return device === undefined ? { factor } : { factor, device };
}

/** --duo-device ▸ awsl_duo_device, checked; undefined sends no device header. */
export function duoDevice(context: EcpContext): string | undefined {
  const flag = context.options.flags['duo-device'];
  return flag === undefined ? context.settings.duoDevice : normaliseDuoDevice(flag);
}

/** A code typed at the prompt; one that cannot be a Duo passcode is asked for again without being sent. */
async function askPasscode(context: EcpContext, question: string): Promise<string> {
  for (;;) {
    const code = (await context.prompter.ask(question, { unattendedHint: 'Give the code with --passcode CODE.' })).trim();
    if (/^\d{4,12}$/.test(code)) return code;
    context.prompter.say('A Duo passcode is 4 to 12 digits: type the code from the Duo app, an SMS or a hardware token, or press Ctrl-C to cancel.');
  }
}

/**
 * Sends a passcode; when the IdP refuses the login after one typed at the prompt, asks for the code
 * again, once, with the same password: the IdP does not say which was wrong, and a password it
 * accepted before (stored) is likelier right than a code typed by hand.
 */
async function sendPasscode<T>(context: EcpContext, choice: DuoChoice, question: string, send: (choice: DuoChoice) => Promise<T>): Promise<T> {
  for (let retries = 0; ; retries += 1) {
    try {
      return await send(choice);
    } catch (error) {
      if (!(error instanceof LoginRefusedError) || !choice.typed || retries >= TYPED_PASSCODE_RETRIES || !context.prompter.interactive) throw error;
      context.prompter.say(`${error.message} Type the code again (last try).`);
      choice = { ...choice, passcode: await askPasscode(context, question) };
    }
  }
}

/** Runs the request with the chosen factor, showing a spinner while Duo waits for the user. */
export async function withDuoWait<T>(context: EcpContext, choice: DuoChoice | undefined, send: (choice: DuoChoice | undefined) => Promise<T>): Promise<T> {
  if (choice?.factor === 'sms') {
    try {
      await send(choice);
    } catch (error) {
      // The plugin sends the codes and fails this request by design.
      if (!(error instanceof LoginRefusedError)) throw error;
    }
    context.prompter.say('Duo sent passcodes by SMS.');
    return sendPasscode(context, { factor: 'passcode', passcode: await askPasscode(context, 'Passcode from the SMS'), typed: true }, 'Passcode from the SMS', send);
  }
  if (choice?.factor === 'passcode') return sendPasscode(context, choice, 'Duo passcode', send);
  if (!choice && requestedFactor(context) === 'none') return send(choice);
  // With no factor set the plugin picks one itself, most often a push: say so, as for push, once
  // the IdP has taken longer than an IdP without Duo ever does (so such IdPs never show it).
  const verb = choice?.factor === 'phone' ? 'Answer the Duo call' : 'Approve the Duo push';
  const started = Date.now();
  let spinner: Spinner | undefined;
  let countdown: NodeJS.Timeout | undefined;
  const show = () => {
    spinner = context.prompter.spinner(`${verb} (Ctrl-C to cancel)`);
    countdown = setInterval(() => {
      const left = Math.max(0, DUO_ANSWER_SECONDS - Math.round((Date.now() - started) / 1000));
      spinner?.update(`${verb} (about ${left} s left, Ctrl-C to cancel)`);
    }, 1000);
    countdown.unref();
  };
  const delayed = choice === undefined ? setTimeout(show, UNSET_FACTOR_QUIET_MS) : undefined;
  delayed?.unref();
  if (!delayed) show();
  try {
    const result = await send(choice);
    spinner?.stop('Duo approved.');
    return result;
  } catch (error) {
    spinner?.stop();
    throw error;
  } finally {
    clearTimeout(delayed);
    clearInterval(countdown);
  }
}

/** Whether the IdP may have run Duo: awsl chose a factor, or left it to the plugin (auto); only `none` says there is no Duo. */
export function duoMayRun(context: EcpContext, choice: DuoChoice | undefined): boolean {
  return choice !== undefined || requestedFactor(context) !== 'none';
}

function requestedFactor(context: EcpContext): string | undefined {
  return context.options.flags['duo-factor'] ?? context.settings.duoFactor;
}
