/**
 * `login configure`: the provider first, then that provider's settings in table order, each shown
 * with its current value and kept on Enter. Everything is validated before anything is written.
 */
import { loadAwsFiles } from '../aws/profiles.js';
import { InvalidInputError, KeyringError } from '../errors.js';
import { PROVIDER_SETTING, settingsFor, type ProviderName, type SettingDefinition } from '../settings.js';
import { editIniFile } from '../state/ini-file.js';
import { configFilePath, configSectionName } from '../state/paths.js';
import type { SecretStore } from '../state/secret-store.js';
import type { Logger } from '../ui/logger.js';
import type { Prompter } from '../ui/prompter.js';

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
  env?: NodeJS.ProcessEnv;
}

export interface ConfigureOutcome {
  profile: string;
  file: string;
  provider: ProviderName;
  changed: Record<string, string>;
}

const MAX_BAD_ANSWERS = 3;

export async function configureProfile(request: ConfigureRequest): Promise<ConfigureOutcome> {
  const env = request.env ?? process.env;
  const current = (await loadAwsFiles(env)).config[request.profile] ?? {};
  const values: Record<string, string> = {};
  const decide = async (setting: SettingDefinition, defaultValue?: string): Promise<string | undefined> => {
    const given = request.given[setting.key];
    if (given !== undefined) return setting.normalise(given);
    const existing = current[setting.key] ?? defaultValue;
    if (!request.prompt || setting.unprompted) return undefined;
    for (let bad = 0; ; bad += 1) {
      const answer = (await request.prompter.ask(setting.label, { defaultValue: existing })).trim();
      if (answer === '' || answer === existing) return answer === '' ? undefined : answer;
      try {
        return setting.normalise(answer);
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
  let clientSecret: string | undefined;
  for (const setting of settingsFor(providerName)) {
    const value = await decide(setting);
    if (value !== undefined) values[setting.key] = value;
    if (setting.key === 'awsl_onelogin_client_id') clientSecret = await askClientSecret(request, env);
  }
  for (const [key, value] of Object.entries(request.given)) {
    if (value !== undefined && !(key in values)) {
      throw new InvalidInputError(`${key.replace(/^awsl_/, '--').replace(/_/g, '-')} does not apply to the ${providerName} provider.`, 'Leave it out, or choose the provider it belongs to with --provider.');
    }
  }
  if (providerName === 'ecp' && !(values.awsl_ecp_endpoint_url ?? current.awsl_ecp_endpoint_url)) {
    throw new InvalidInputError('An ecp profile needs the IdP\'s ECP endpoint URL.', 'Give it: --ecp-endpoint-url https://idp.example.edu/idp/profile/SAML2/SOAP/ECP');
  }

  const changed = Object.fromEntries(Object.entries(values).filter(([key, value]) => current[key] !== value));
  const file = configFilePath(env);
  if (Object.keys(changed).length > 0) {
    await editIniFile(file, (document) => {
      for (const [key, value] of Object.entries(changed)) document.set(configSectionName(request.profile), key, value);
    }, { createMode: 0o600 });
  }
  if (clientSecret !== undefined) {
    const clientId = values.awsl_onelogin_client_id ?? current.awsl_onelogin_client_id ?? '';
    await storeClientSecret(request, request.clientSecretAccount(clientId), clientSecret);
  }
  return { profile: request.profile, file, provider: providerName, changed };
}

/** Prompted (hidden) when interactive; AWSL_ONELOGIN_CLIENT_SECRET otherwise. Never a flag. */
async function askClientSecret(request: ConfigureRequest, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.AWSL_ONELOGIN_CLIENT_SECRET) return env.AWSL_ONELOGIN_CLIENT_SECRET;
  if (!request.prompt) return undefined;
  const answer = await request.prompter.ask('OneLogin API client secret (hidden; Enter keeps the stored one)', { secret: true });
  return answer === '' ? undefined : answer;
}

async function storeClientSecret(request: ConfigureRequest, account: string, secret: string): Promise<void> {
  try {
    await request.secrets().set(account, secret);
    request.logger.info('Stored the OneLogin client secret in the OS keyring.');
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    throw new KeyringError(`Could not store the OneLogin client secret: ${error.message}`,
      'Start an unlocked keyring, or give the secret to each login in the environment variable AWSL_ONELOGIN_CLIENT_SECRET.');
  }
}
