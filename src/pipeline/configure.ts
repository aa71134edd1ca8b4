/**
 * `login configure`: the provider first, then that provider's settings and the shared ones in the
 * descriptor's order, each shown with its current value and kept on Enter; a provider's secrets go
 * into the keyring. Everything is validated before anything is written.
 */
import { privateCacheStore, usesAwslCredentialProcess } from '../aws/credential-store.js';
import { inspectCredentialProcessLine, looksLikeAwslLine } from '../aws/credential-process-line.js';
import { loadAwsFiles } from '../aws/profiles.js';
import { CancelledError, InvalidInputError, KeyringError } from '../errors.js';
import { keyringUnavailable } from '../state/keyring-notice.js';
import { PROVIDER_NAMES, PROVIDER_SETTING, PROVIDERS, descriptorOf, settingsOf } from '../providers/registry.js';
import type { SecretSpec } from '../providers/provider.js';
import type { SettingDefinition } from '../settings.js';
import { editIniFile, readIniFile } from '../state/ini-file.js';
import { configSectionName } from '../state/paths.js';
import { askUntilValid, isReaskable } from '../ui/ask.js';
import type { RunContext } from './context.js';
import { applyCredentialProcessMode, decideCredentialProcess } from './credential-process-mode.js';

export interface ConfigureRequest {
  profile: string;
  /** Values given as flags, by setting key. */
  given: Readonly<Record<string, string | undefined>>;
  /** Settings to remove from the profile, by key (awsl_role_arn) or flag name (role-arn). */
  unset?: readonly string[];
  prompt: boolean;
  /** --[no-]credential-process; asked after the duration when undefined and prompting. */
  credentialProcess?: boolean;
  /** The credential_process line that runs this awsl for the profile. */
  credentialProcessCommand?: string;
}

export interface ConfigureOutcome {
  profile: string;
  file: string;
  provider: string;
  changed: Record<string, string>;
}

const MAX_BAD_ANSWERS = 3;

export async function configureProfile(context: RunContext, request: ConfigureRequest): Promise<ConfigureOutcome> {
  const { env, logger } = context;
  const prompter = context.prompter();
  const file = context.paths.config;
  // A file awsl could not write back is refused before any question is asked.
  await readIniFile(file);
  const current = (await loadAwsFiles(env)).config[request.profile] ?? {};
  // AWS_PROFILE may have chosen the profile without the person noticing: say which one, first.
  if (request.prompt) prompter.say(`Configuring profile ${request.profile} in ${file} (Enter keeps a value, Ctrl-C saves nothing).`);
  const values: Record<string, string> = {};
  /** Flags whose value was refused and asked again: an empty answer there keeps what the profile had. */
  const reasked = new Set<string>();
  const accept = (setting: SettingDefinition, typed: string): string => {
    const saved = setting.normalise(typed);
    if (saved !== '') setting.check?.(saved);
    const note = setting.explain?.(typed, saved);
    if (note) logger.info(note);
    return saved;
  };
  const decide = async (setting: SettingDefinition, defaultValue?: string): Promise<string | undefined> => {
    const given = request.given[setting.key];
    if (given !== undefined) {
      try {
        return accept(setting, given);
      } catch (error) {
        // On a terminal a bad flag value is asked again at its prompt (even a setting configure does not ask otherwise).
        if (!request.prompt || !isReaskable(error)) throw error;
        prompter.say(error.describe());
        reasked.add(setting.key);
      }
    }
    const existing = current[setting.key] ?? defaultValue ?? setting.builtInDefault;
    if (!request.prompt || (setting.unprompted && !reasked.has(setting.key))) return undefined;
    const question = setting.boolean ? `${setting.label} (true|false)` : setting.label;
    return nothingSavedOnCancel(askUntilValid(prompter, question, { defaultValue: existing, attempts: MAX_BAD_ANSWERS }, (answer) => {
      // Asked again at once: the answers so far are kept, and so is the person's place.
      if (answer === '' && existing === undefined && setting.required) {
        throw new InvalidInputError(`${setting.label} is required (for example ${setting.required.example}).`);
      }
      if (answer === '') return undefined;
      // Enter at a built-in default leaves the profile without the key, as it was.
      if (answer === existing) return current[setting.key] === undefined && defaultValue === undefined ? undefined : answer;
      return accept(setting, answer);
    }));
  };

  const fallback = PROVIDERS[0]!.name;
  const provider = (await decide(PROVIDER_SETTING, fallback)) ?? current.awsl_provider ?? (request.prompt ? fallback : undefined);
  if (!provider) {
    throw new InvalidInputError(`Profile ${request.profile} has no provider yet.`, `Give one: ${PROVIDER_NAMES.map((name) => `--provider ${name}`).join(' or ')}.`);
  }
  values[PROVIDER_SETTING.key] = PROVIDER_SETTING.normalise(provider);
  const providerName = values[PROVIDER_SETTING.key]!;
  const descriptor = descriptorOf(providerName);
  const settings = settingsOf(descriptor);
  const unset = unsetKeys(request, settings, providerName);
  // A secret belongs with the setting it is asked after (its keyring account): a run that neither
  // asks nor sets that one (a timeout changed, say) leaves the keyring alone.
  const inScope = (descriptor.secrets ?? []).filter((spec) => request.prompt || request.given[spec.askedAfter] !== undefined);
  const keepable = await keepableSecrets(context, request, inScope);
  const secrets: Array<{ spec: SecretSpec; secret: GivenSecret }> = [];
  for (const setting of settings) {
    // '' removes the key when the file is written.
    const value = unset.has(setting.key) ? '' : await decide(setting);
    if (value !== undefined) values[setting.key] = value;
    for (const spec of keepable) {
      if (spec.askedAfter !== setting.key) continue;
      const secret = await nothingSavedOnCancel(askSecret(context, request, spec, spec.account({ ...current, ...values })));
      if (secret) secrets.push({ spec, secret });
    }
  }
  const credentialProcess = request.credentialProcessCommand === undefined ? undefined
    : needsRepair(current, env) && request.credentialProcess === undefined ? true
      : await nothingSavedOnCancel(decideCredentialProcess(request.credentialProcess, request.prompt, prompter, usesAwslCredentialProcess(current)));
  for (const [key, value] of Object.entries(request.given)) {
    if (value !== undefined && !(key in values) && !reasked.has(key)) {
      throw new InvalidInputError(`${key.replace(/^awsl_/, '--').replace(/_/g, '-')} does not apply to the ${providerName} provider.`, 'Leave it out, or choose the provider it belongs to with --provider.');
    }
  }
  const missing = settings.filter((setting) => setting.required && !(values[setting.key] ?? current[setting.key]));
  if (missing.length > 0) {
    throw new InvalidInputError(`${descriptor.title} profile ${request.profile} needs ${missing.map((setting) => setting.required!.what).join(', ')}; nothing was written.`,
      `Give ${missing.length === 1 ? 'it' : 'them'}: ${missing.map((setting) => `--${setting.flag} ${setting.required!.example}`).join(' ')}`);
  }

  // '' (--unset) changes only a key that is there.
  const changed = Object.fromEntries(Object.entries(values).filter(([key, value]) => (current[key] ?? '') !== value));
  // Secrets first: when the keyring refuses a typed one, the file is still as it was.
  for (const { spec, secret } of secrets) await storeSecret(context, spec, spec.account({ ...current, ...values }), secret);
  const settingsChanged = Object.keys(changed).length > 0;
  if (settingsChanged) {
    await editIniFile(file, (document) => {
      for (const [key, value] of Object.entries(changed)) {
        if (value === '') document.delete(configSectionName(request.profile), key);
        else document.set(configSectionName(request.profile), key, value);
      }
    }, { createMode: 0o600 });
  }
  if (credentialProcess !== undefined && request.credentialProcessCommand !== undefined) {
    const mode = await applyCredentialProcessMode(context, {
      profile: request.profile, enable: credentialProcess, command: request.credentialProcessCommand, currentLine: current.credential_process, marked: usesAwslCredentialProcess(current),
      prompt: request.prompt, staleCredentials: settingsChanged,
    });
    if (mode.changed !== undefined) changed.credential_process = mode.changed;
  }
  // credential_process would go on printing credentials issued under the old settings (another
  // role, say) until they near expiry; without them, the next AWS call logs in with the new ones.
  if (settingsChanged && await privateCacheStore(request.profile, env).remove()) {
    logger.info(`Dropped the cached credentials of profile ${request.profile}: the next AWS call logs in with the new settings.`);
  }
  return { profile: request.profile, file, provider: providerName, changed };
}

/** Ctrl-C at a question: every answer so far is thrown away, and the person is told so. */
function nothingSavedOnCancel<T>(asking: Promise<T>): Promise<T> {
  return asking.catch((error: unknown) => {
    throw error instanceof CancelledError ? new CancelledError(`${error.message} Nothing was saved.`, undefined, { cause: error }) : error;
  });
}

/**
 * awsl's own credential_process line (marked, or written by an awsl from before the marker) that
 * cannot start (its Node or install is gone) or names the Node binary itself: configure rewrites
 * it without being asked, as `awsl doctor --fix` does.
 */
function needsRepair(section: Readonly<Record<string, string | undefined>>, env: NodeJS.ProcessEnv): boolean {
  const line = section.credential_process;
  if (line === undefined || !(usesAwslCredentialProcess(section) || looksLikeAwslLine(line))) return false;
  return inspectCredentialProcessLine(line, env).kind !== 'ok';
}

/** The keys of --unset, each a setting of the profile's provider and not also given a value. */
function unsetKeys(request: ConfigureRequest, settings: readonly SettingDefinition[], providerName: string): Set<string> {
  const keys = new Set<string>();
  for (const name of request.unset ?? []) {
    const setting = settings.find((candidate) => candidate.key === name || candidate.flag === name.replace(/^--/, ''));
    if (!setting) {
      throw new InvalidInputError(`--unset ${name}: not a setting of the ${providerName} provider.`, `Give one of: ${settings.map((candidate) => candidate.key).join(', ')}.`);
    }
    if (request.given[setting.key] !== undefined) {
      throw new InvalidInputError(`--unset ${name} and --${setting.flag} contradict each other.`, 'Give one of them.');
    }
    keys.add(setting.key);
  }
  return keys;
}

/**
 * The secrets configure can keep: from their variable, or typed when a keyring answers. One that
 * cannot be kept is explained before any other question, and not asked: the settings are still
 * saved, and login reads the variable (or asks for the secret).
 */
async function keepableSecrets(context: RunContext, request: ConfigureRequest, specs: readonly SecretSpec[]): Promise<SecretSpec[]> {
  const { env } = context;
  const keepable: SecretSpec[] = [];
  for (const spec of specs) {
    if (!env[spec.variable] && request.prompt) {
      try {
        await context.secrets().get(spec.account({}));
      } catch (error) {
        if (!(error instanceof KeyringError)) throw error;
        context.prompter().say(`${error.message}, so configure does not ask for ${spec.what}. Give it to each login in ${spec.variable}, or type it when awsl login asks.`);
        continue;
      }
    }
    keepable.push(spec);
  }
  return keepable;
}

interface GivenSecret {
  value: string;
  fromEnvironment: boolean;
}

/**
 * From its environment variable, else prompted (hidden) when interactive. Never a flag. Enter
 * keeps the stored one, and the prompt says so only when one is stored.
 */
async function askSecret(context: RunContext, request: ConfigureRequest, spec: SecretSpec, account: string): Promise<GivenSecret | undefined> {
  const fromEnvironment = context.env[spec.variable];
  if (fromEnvironment) return { value: fromEnvironment, fromEnvironment: true };
  if (!request.prompt) return undefined;
  const stored = await context.secrets().get(account).catch((error: unknown) => {
    if (error instanceof KeyringError) return undefined;
    throw error;
  });
  const answer = await context.prompter().ask(`${spec.prompt} (hidden${stored === undefined ? '' : '; Enter keeps the stored one'})`, { secret: true });
  return answer === '' ? undefined : { value: answer, fromEnvironment: false };
}

/**
 * A secret from the environment that the keyring cannot take is only a warning: login reads the
 * same variable. A typed one that cannot be kept is an error.
 */
async function storeSecret(context: RunContext, spec: SecretSpec, account: string, secret: GivenSecret): Promise<void> {
  try {
    await context.secrets().set(account, secret.value);
    context.logger.info(`Stored ${spec.what} in the OS keyring.`);
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    if (secret.fromEnvironment) {
      keyringUnavailable(context.logger, error, `${spec.what} was not stored; awsl login reads it from ${spec.variable}.`);
      return;
    }
    throw new KeyringError(`Could not store ${spec.what}: ${error.message}.`,
      `Start an unlocked keyring, or give the secret to each login in the environment variable ${spec.variable}.`);
  }
}
