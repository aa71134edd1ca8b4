/**
 * Duo through the Shibboleth Duo ECP plugin: the factor and passcode travel in headers. A push or
 * call holds the HTTP request open until answered, so awsl shows a spinner and never times it out
 * early; `sms` makes the IdP send codes and fail, after which awsl asks for one and logs in with it.
 */
import { DUO_FACTORS, type DuoFactor } from '../../settings.js';
import { InvalidInputError, MfaFailedError } from '../../errors.js';
import type { ProviderContext } from '../provider.js';

export interface DuoChoice {
  factor: DuoFactor;
  passcode?: string;
}

/** Duo's own limit for answering a push or call. */
const DUO_ANSWER_SECONDS = 60;
/** Faster than any person approves a push: with no factor set, such an answer means no Duo was involved. */
const NO_HUMAN_ANSWER_MS = 1000;

/** --passcode implies the passcode factor; otherwise flag ▸ setting; none sends no Duo headers. */
export async function resolveDuoFactor(context: ProviderContext): Promise<DuoChoice | undefined> {
  const { options } = context;
  if (options.passcode) return { factor: 'passcode', passcode: options.passcode };
  const requested = requestedFactor(context);
  if (requested === undefined || requested === 'none') return undefined;
  if (!(DUO_FACTORS as readonly string[]).includes(requested)) {
    throw new InvalidInputError(`Duo factor "${requested}" is not one awsl knows.`, `Use one of ${DUO_FACTORS.join('|')}.`);
  }
  const factor = requested as DuoFactor;
  if (factor === 'passcode') {
    return { factor, passcode: await askPasscode(context, 'Duo passcode') };
  }
  return { factor };
}

async function askPasscode(context: ProviderContext, question: string): Promise<string> {
  const code = await context.prompter.ask(question, {
    unattendedHint: 'Give the code with --passcode CODE.',
  });
  if (!/^\d{4,12}$/.test(code.trim())) throw new InvalidInputError('A Duo passcode is 4 to 12 digits.', 'Run awsl login again and type the code from the Duo app, an SMS or a hardware token.');
  return code.trim();
}

/** Runs the request with the chosen factor, showing a spinner while Duo waits for the user. */
export async function withDuoWait<T>(context: ProviderContext, choice: DuoChoice | undefined, send: (choice: DuoChoice | undefined) => Promise<T>): Promise<T> {
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
  if (choice?.factor === 'passcode' || (!choice && requestedFactor(context) === 'none')) return send(choice);
  // With no factor set the plugin picks one itself, most often a push: say so, as for push.
  const verb = choice?.factor === 'phone' ? 'Answer the Duo call' : 'Approve the Duo push';
  const started = Date.now();
  const spinner = context.prompter.spinner(`${verb} (Ctrl-C to cancel)`);
  const timer = setInterval(() => {
    const left = Math.max(0, DUO_ANSWER_SECONDS - Math.round((Date.now() - started) / 1000));
    spinner.update(`${verb} (about ${left} s left, Ctrl-C to cancel)`);
  }, 1000);
  timer.unref();
  try {
    const result = await send(choice);
    // An IdP without Duo answers at once: then nobody approved anything.
    const approved = choice !== undefined || Date.now() - started >= NO_HUMAN_ANSWER_MS;
    spinner.stop(approved ? 'Duo approved.' : undefined);
    return result;
  } catch (error) {
    spinner.stop();
    throw error;
  } finally {
    clearInterval(timer);
  }
}

function requestedFactor(context: ProviderContext): string | undefined {
  return context.options.duoFactor ?? context.settings.duoFactor;
}
