/**
 * `login configure`: the provider first, then that provider's settings and the shared ones in the
 * descriptor's order, each shown with its current value and kept on Enter; a provider's secrets go
 * into the keyring. Everything is validated before anything is written.
 */
import { privateCacheStore, usesAwslCredentialProcess } from '../aws/credential-store.js';
import { loadAwsFiles } from '../aws/profiles.js';
import { InvalidInputError, KeyringError } from '../errors.js';
import { PROVIDER_NAMES, PROVIDER_SETTING, PROVIDERS, descriptorOf, settingsOf } from '../providers/registry.js';
import type { SecretSpec } from '../providers/provider.js';
import type { SettingDefinition } from '../settings.js';
import { editIniFile, readIniFile } from '../state/ini-file.js';
import { configFilePath, configSectionName } from '../state/paths.js';
import type { SecretStore } from '../state/secret-store.js';
import type { Logger } from '../ui/logger.js';
import type { Prompter } from '../ui/prompter.js';
import { applyCredentialProcessMode, decideCredentialProcess } from './credential-process-mode.js';

export interface ConfigureRequest {
  profile: string;
  /** Values given as flags, by setting key. */
  given: Readonly<Record<string, string | undefined>>;
  prompt: boolean;
  prompter: Prompter;
  logger: Logger;
  /** A provider's secrets (ProviderDescriptor.secrets) go here, never into a file. */
  secrets: () => SecretStore;
  /** --[no-]credential-process; asked after the duration when undefined and prompting. */
  credentialProcess?: boolean;
  /** The credential_process line that runs this awsl for the profile. */
  credentialProcessCommand?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ConfigureOutcome {
  profile: string;
  file: string;
  provider: string;
  changed: Record<string, string>;
}

const MAX_BAD_ANSWERS = 3;

export async function configureProfile(request: ConfigureRequest): Promise<ConfigureOutcome> {
  const env = request.env ?? process.env;
  const file = configFilePath(env);
  // A file awsl could not write back is refused before any question is asked.
  await readIniFile(file);
  const current = (await loadAwsFiles(env)).config[request.profile] ?? {};
  const values: Record<string, string> = {};
  const accept = (setting: SettingDefinition, typed: string): string => {
    const saved = setting.normalise(typed);
    const note = setting.explain?.(typed, saved);
    if (note) request.logger.info(note);
    return saved;
  };
  const decide = async (setting: SettingDefinition, defaultValue?: string): Promise<string | undefined> => {
    const given = request.given[setting.key];
    if (given !== undefined) return accept(setting, given);
    const existing = current[setting.key] ?? defaultValue;
    if (!request.prompt || setting.unprompted) return undefined;
    let bad = 0;
    for (;;) {
      const answer = (await request.prompter.ask(setting.label, { defaultValue: existing })).trim();
      if (answer === '' || answer === existing) return answer === '' ? undefined : answer;
      try {
        return accept(setting, answer);
      } catch (error) {
        bad += 1;
        if (!(error instanceof InvalidInputError) || bad >= MAX_BAD_ANSWERS) throw error;
        request.prompter.say(error.describe());
      }
    }
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
  const secrets: Array<{ spec: SecretSpec; secret: GivenSecret }> = [];
  for (const setting of settings) {
    const value = await decide(setting);
    if (value !== undefined) values[setting.key] = value;
    for (const spec of descriptor.secrets ?? []) {
      if (spec.askedAfter !== setting.key) continue;
      const secret = await askSecret(request, spec, env);
      if (secret) secrets.push({ spec, secret });
    }
  }
  const credentialProcess = request.credentialProcessCommand === undefined ? undefined
    : await decideCredentialProcess(request.credentialProcess, request.prompt, request.prompter, usesAwslCredentialProcess(current));
  for (const [key, value] of Object.entries(request.given)) {
    if (value !== undefined && !(key in values)) {
      throw new InvalidInputError(`${key.replace(/^awsl_/, '--').replace(/_/g, '-')} does not apply to the ${providerName} provider.`, 'Leave it out, or choose the provider it belongs to with --provider.');
    }
  }
  const missing = settings.filter((setting) => setting.required && !(values[setting.key] ?? current[setting.key]));
  if (missing.length > 0) {
    throw new InvalidInputError(`A ${providerName} profile needs ${missing.map((setting) => setting.required!.what).join(', ')}; nothing was written.`,
      `Give ${missing.length === 1 ? 'it' : 'them'}: ${missing.map((setting) => `--${setting.flag} ${setting.required!.example}`).join(' ')}`);
  }

  const changed = Object.fromEntries(Object.entries(values).filter(([key, value]) => current[key] !== value));
  // Secrets first: when the keyring refuses a typed one, the file is still as it was.
  for (const { spec, secret } of secrets) await storeSecret(request, spec, spec.account({ ...current, ...values }), secret);
  const settingsChanged = Object.keys(changed).length > 0;
  if (settingsChanged) {
    await editIniFile(file, (document) => {
      for (const [key, value] of Object.entries(changed)) document.set(configSectionName(request.profile), key, value);
    }, { createMode: 0o600 });
  }
  if (credentialProcess !== undefined && request.credentialProcessCommand !== undefined) {
    const mode = await applyCredentialProcessMode({
      profile: request.profile, enable: credentialProcess, command: request.credentialProcessCommand, currentLine: current.credential_process, marked: usesAwslCredentialProcess(current),
      prompt: request.prompt, prompter: request.prompter, logger: request.logger, env,
    });
    if (mode.changed !== undefined) changed.credential_process = mode.changed;
  }
  // credential_process would go on printing credentials issued under the old settings (another
  // role, say) until they near expiry; without them, the next AWS call logs in with the new ones.
  if (settingsChanged && await privateCacheStore(request.profile, env).remove()) {
    request.logger.info(`Dropped the cached credentials of profile ${request.profile}: the next AWS call logs in with the new settings.`);
  }
  return { profile: request.profile, file, provider: providerName, changed };
}

interface GivenSecret {
  value: string;
  fromEnvironment: boolean;
}

/** From its environment variable, else prompted (hidden) when interactive. Never a flag. */
async function askSecret(request: ConfigureRequest, spec: SecretSpec, env: NodeJS.ProcessEnv): Promise<GivenSecret | undefined> {
  const fromEnvironment = env[spec.variable];
  if (fromEnvironment) return { value: fromEnvironment, fromEnvironment: true };
  if (!request.prompt) return undefined;
  const answer = await request.prompter.ask(spec.prompt, { secret: true });
  return answer === '' ? undefined : { value: answer, fromEnvironment: false };
}

/**
 * A secret from the environment that the keyring cannot take is only a warning: login reads the
 * same variable. A typed one that cannot be kept is an error.
 */
async function storeSecret(request: ConfigureRequest, spec: SecretSpec, account: string, secret: GivenSecret): Promise<void> {
  try {
    await request.secrets().set(account, secret.value);
    request.logger.info(`Stored ${spec.what} in the OS keyring.`);
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    if (secret.fromEnvironment) {
      request.logger.warn(`${spec.what} was not stored (${error.message}); awsl login will read it from ${spec.variable}.`);
      return;
    }
    throw new KeyringError(`Could not store ${spec.what}: ${error.message}`,
      `Start an unlocked keyring, or give the secret to each login in the environment variable ${spec.variable}.`);
  }
}
