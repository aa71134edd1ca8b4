/**
 * `login configure`: the provider first, then that provider's settings in table order, each shown
 * with its current value and kept on Enter. Everything is validated before anything is written.
 */
import { loadAwsFiles } from '../aws/profiles.js';
import { InvalidInputError, KeyringError } from '../errors.js';
import { keyringUnavailable } from '../state/keyring-notice.js';
import { PROVIDER_SETTING, settingsFor, type ProviderName, type SettingDefinition } from '../settings.js';
import { editIniFile, readIniFile } from '../state/ini-file.js';
import { removeCachedCredentials } from '../state/credentials-cache.js';
import { configFilePath, configSectionName, stateDirectory } from '../state/paths.js';
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
  /** Only for OneLogin: the client secret goes here, never into a file. */
  secrets: () => SecretStore;
  clientSecretAccount: (clientId: string) => string;
  /** --[no-]credential-process; asked after the duration when undefined and prompting. */
  credentialProcess?: boolean;
  /** The credential_process line that runs this awsl for the profile. */
  credentialProcessCommand?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ConfigureOutcome {
  profile: string;
  file: string;
  provider: ProviderName;
  changed: Record<string, string>;
}

const MAX_BAD_ANSWERS = 3;

/** Without these a profile cannot log in at all, so configure refuses to save it. */
const REQUIRED_SETTINGS: Record<ProviderName, Array<{ key: string; flag: string; label: string; example: string }>> = {
  ecp: [{ key: 'awsl_ecp_endpoint_url', flag: 'ecp-endpoint-url', label: 'the IdP\'s ECP endpoint URL', example: 'https://idp.example.edu/idp/profile/SAML2/SOAP/ECP' }],
  onelogin: [
    { key: 'awsl_onelogin_subdomain', flag: 'onelogin-subdomain', label: 'the OneLogin subdomain', example: 'acme' },
    { key: 'awsl_onelogin_app_id', flag: 'onelogin-app-id', label: 'the AWS app id', example: '123456' },
    { key: 'awsl_onelogin_client_id', flag: 'onelogin-client-id', label: 'the API client id', example: 'CLIENT_ID' },
  ],
};

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
    for (let bad = 0; ; bad += 1) {
      const answer = (await request.prompter.ask(setting.label, { defaultValue: existing })).trim();
      if (answer === '' || answer === existing) return answer === '' ? undefined : answer;
      try {
        return accept(setting, answer);
      } catch (error) {
        if (!(error instanceof InvalidInputError) || bad + 1 >= MAX_BAD_ANSWERS) throw error;
        request.prompter.say(error.describe());
      }
    }
  };

  const provider = (await decide(PROVIDER_SETTING, 'ecp')) ?? current.awsl_provider ?? (request.prompt ? 'ecp' : undefined);
  if (!provider) {
    throw new InvalidInputError(`Profile ${request.profile} has no provider yet.`, 'Give one: --provider ecp or --provider onelogin.');
  }
  values[PROVIDER_SETTING.key] = PROVIDER_SETTING.normalise(provider);
  const providerName = values[PROVIDER_SETTING.key] as ProviderName;
  let clientSecret: ClientSecret | undefined;
  for (const setting of settingsFor(providerName)) {
    const value = await decide(setting);
    if (value !== undefined) values[setting.key] = value;
    if (setting.key === 'awsl_onelogin_client_id') clientSecret = await askClientSecret(request, env);
  }
  const credentialProcess = request.credentialProcessCommand === undefined ? undefined
    : await decideCredentialProcess(request.credentialProcess, request.prompt, request.prompter, current.credential_process);
  for (const [key, value] of Object.entries(request.given)) {
    if (value !== undefined && !(key in values)) {
      throw new InvalidInputError(`${key.replace(/^awsl_/, '--').replace(/_/g, '-')} does not apply to the ${providerName} provider.`, 'Leave it out, or choose the provider it belongs to with --provider.');
    }
  }
  const missing = REQUIRED_SETTINGS[providerName].filter((setting) => !(values[setting.key] ?? current[setting.key]));
  if (missing.length > 0) {
    throw new InvalidInputError(`A ${providerName} profile needs ${missing.map((setting) => setting.label).join(', ')}; nothing was written.`,
      `Give ${missing.length === 1 ? 'it' : 'them'}: ${missing.map((setting) => `--${setting.flag} ${setting.example}`).join(' ')}`);
  }

  const changed = Object.fromEntries(Object.entries(values).filter(([key, value]) => current[key] !== value));
  // The secret first: when the keyring refuses a typed one, the file is still as it was.
  if (clientSecret !== undefined) {
    const clientId = values.awsl_onelogin_client_id ?? current.awsl_onelogin_client_id ?? '';
    await storeClientSecret(request, request.clientSecretAccount(clientId), clientSecret);
  }
  const settingsChanged = Object.keys(changed).length > 0;
  if (settingsChanged) {
    await editIniFile(file, (document) => {
      for (const [key, value] of Object.entries(changed)) document.set(configSectionName(request.profile), key, value);
    }, { createMode: 0o600 });
  }
  if (credentialProcess !== undefined && request.credentialProcessCommand !== undefined) {
    const mode = await applyCredentialProcessMode({
      profile: request.profile, enable: credentialProcess, command: request.credentialProcessCommand, currentLine: current.credential_process,
      prompt: request.prompt, prompter: request.prompter, logger: request.logger, env,
    });
    if (mode.changed !== undefined) changed.credential_process = mode.changed;
  }
  // credential_process would go on printing credentials issued under the old settings (another
  // role, say) until they near expiry; without them, the next AWS call logs in with the new ones.
  if (settingsChanged && await removeCachedCredentials(stateDirectory(env), request.profile)) {
    request.logger.info(`Dropped the cached credentials of profile ${request.profile}: the next AWS call logs in with the new settings.`);
  }
  return { profile: request.profile, file, provider: providerName, changed };
}

interface ClientSecret {
  value: string;
  fromEnvironment: boolean;
}

/** Prompted (hidden) when interactive; AWSL_ONELOGIN_CLIENT_SECRET otherwise. Never a flag. */
async function askClientSecret(request: ConfigureRequest, env: NodeJS.ProcessEnv): Promise<ClientSecret | undefined> {
  if (env.AWSL_ONELOGIN_CLIENT_SECRET) return { value: env.AWSL_ONELOGIN_CLIENT_SECRET, fromEnvironment: true };
  if (!request.prompt) return undefined;
  const answer = await request.prompter.ask('OneLogin API client secret (hidden; Enter keeps the stored one)', { secret: true });
  return answer === '' ? undefined : { value: answer, fromEnvironment: false };
}

/**
 * A secret from AWSL_ONELOGIN_CLIENT_SECRET that the keyring cannot take is only a warning: login
 * reads the same variable. A typed one that cannot be kept is an error.
 */
async function storeClientSecret(request: ConfigureRequest, account: string, secret: ClientSecret): Promise<void> {
  try {
    await request.secrets().set(account, secret.value);
    request.logger.info('Stored the OneLogin client secret in the OS keyring.');
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    if (secret.fromEnvironment) {
      keyringUnavailable(request.logger, error, 'the OneLogin client secret was not stored; awsl login reads it from AWSL_ONELOGIN_CLIENT_SECRET.');
      return;
    }
    throw new KeyringError(`Could not store the OneLogin client secret: ${error.message}`,
      'Start an unlocked keyring, or give the secret to each login in the environment variable AWSL_ONELOGIN_CLIENT_SECRET.');
  }
}
