/**
 * Duo through the Shibboleth Duo ECP plugin: the factor and passcode travel in headers. A push or
 * call holds the HTTP request open until answered, so awsl shows a spinner and never times it out
 * early; `sms` makes the IdP send codes and fail, after which awsl asks for one and logs in with it.
 */
import { InvalidInputError, MfaFailedError } from '../../errors.js';
import { DUO_FACTORS, normaliseDuoDevice, type DuoFactor, type EcpContext } from './descriptor.js';

export interface DuoChoice {
  factor: DuoFactor;
  passcode?: string;
  /** The device Duo pushes to, calls or texts (Duo Auth API `device`); unset, the plugin's default (auto). */
  device?: string;
}

/** Duo's own limit for answering a push or call. */
const DUO_ANSWER_SECONDS = 60;

/** --passcode implies the passcode factor; otherwise flag ▸ setting; none sends no Duo headers. The device: flag ▸ setting. */
export async function resolveDuoFactor(context: EcpContext): Promise<DuoChoice | undefined> {
  const { options, settings } = context;
  if (options.passcode) return { factor: 'passcode', passcode: options.passcode };
  const device = duoDevice(context);
  const requested = options.flags['duo-factor'] ?? settings.duoFactor;
  if (requested === undefined || requested === 'none') return undefined;
  if (!(DUO_FACTORS as readonly string[]).includes(requested)) {
    throw new InvalidInputError(`Duo factor "${requested}" is not one awsl knows.`, `Use one of ${DUO_FACTORS.join('|')}.`);
  }
  const factor = requested as DuoFactor;
  if (factor === 'passcode') {
    return { factor, passcode: await askPasscode(context, 'Duo passcode') };
  }
  return device === undefined ? { factor } : { factor, device };
}

/** --duo-device ▸ awsl_duo_device, checked; undefined sends no device header. */
export function duoDevice(context: EcpContext): string | undefined {
  const flag = context.options.flags['duo-device'];
  return flag === undefined ? context.settings.duoDevice : normaliseDuoDevice(flag);
}

async function askPasscode(context: EcpContext, question: string): Promise<string> {
  const code = await context.prompter.ask(question, {
    unattendedHint: 'Give the code with --passcode CODE.',
  });
  if (!/^\d{4,12}$/.test(code.trim())) throw new InvalidInputError('A Duo passcode is 4 to 12 digits.', 'Run awsl login again and type the code from the Duo app, an SMS or a hardware token.');
  return code.trim();
}

/** Runs the request with the chosen factor, showing a spinner while Duo waits for the user. */
export async function withDuoWait<T>(context: EcpContext, choice: DuoChoice | undefined, send: (choice: DuoChoice | undefined) => Promise<T>): Promise<T> {
  if (choice?.factor === 'sms') {
    try {
      await send(choice);
    } catch (error) {
      // The plugin sends the codes and fails this request by design.
      if (!(error instanceof MfaFailedError)) throw error;
    }
    context.prompter.say('Duo sent passcodes by SMS.');
    return send({ factor: 'passcode', passcode: await askPasscode(context, 'Passcode from the SMS') });
  }
  if (!choice || choice.factor === 'passcode') return send(choice);
  const verb = choice.factor === 'phone' ? 'Answer the Duo call' : 'Approve the Duo push';
  const started = Date.now();
  const spinner = context.prompter.spinner(`${verb} (Ctrl-C to cancel)…`);
  const timer = setInterval(() => {
    const left = Math.max(0, DUO_ANSWER_SECONDS - Math.round((Date.now() - started) / 1000));
    spinner.update(`${verb} — about ${left} s left (Ctrl-C to cancel)`);
  }, 1000);
  timer.unref();
  try {
    const result = await send(choice);
    spinner.stop('Duo approved.');
    return result;
  } catch (error) {
    spinner.stop();
    throw error;
  } finally {
    clearInterval(timer);
  }
}
