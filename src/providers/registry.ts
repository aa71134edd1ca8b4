/**
 * The providers, one line each, and what the rest of awsl derives from their descriptors: the
 * provider setting, the settings of a profile, the login flags, the secret variables.
 */
import { InvalidInputError } from '../errors.js';
import { COMMON_SETTINGS, oneOf, readCommonSettings, SETTING_GROUPS, settingReader, type ProfileSettings, type SettingDefinition } from '../settings.js';
import { browserDescriptor } from './browser/descriptor.js';
import { ecpDescriptor } from './ecp/descriptor.js';
import { oneloginDescriptor } from './onelogin/descriptor.js';
import type { Provider, ProviderDescriptor, SettingsImport } from './provider.js';

/** The first is the default of a new profile. */
export const PROVIDERS: readonly ProviderDescriptor[] = [
  ecpDescriptor,
  oneloginDescriptor,
  browserDescriptor,
];

export const PROVIDER_NAMES: readonly string[] = PROVIDERS.map((descriptor) => descriptor.name);

export const PROVIDER_SETTING: SettingDefinition = {
  key: 'awsl_provider', flag: 'provider', label: `Provider (${PROVIDER_NAMES.join('|')})`,
  normalise: oneOf(PROVIDER_NAMES, 'Provider'),
};

export function descriptorOf(name: string): ProviderDescriptor {
  const descriptor = PROVIDERS.find((candidate) => candidate.name === name);
  if (!descriptor) throw new InvalidInputError(`Provider "${name}" is not accepted.`, `Use one of ${PROVIDER_NAMES.join('|')}.`);
  return descriptor;
}

/** A provider's settings and the shared ones, in the order configure asks them. */
export function settingsOf(descriptor: ProviderDescriptor): SettingDefinition[] {
  const all = [...descriptor.settings, ...COMMON_SETTINGS.filter((setting) => !descriptor.unusedSharedSettings?.includes(setting.key))];
  const rank = (setting: SettingDefinition) => (setting.unprompted ? SETTING_GROUPS.length : SETTING_GROUPS.indexOf(setting.group ?? 'idp'));
  return all.map((setting, index) => ({ setting, index }))
    .sort((a, b) => rank(a.setting) - rank(b.setting) || a.index - b.index)
    .map(({ setting }) => setting);
}

/** Every setting of every provider, once: one configure flag each. */
export const ALL_SETTINGS: readonly SettingDefinition[] = [...new Map(
  [...PROVIDERS.flatMap((descriptor) => descriptor.settings), ...COMMON_SETTINGS].map((setting) => [setting.key, setting]),
).values()];

/** The login flags of every provider (login, roles); a provider reads its own from LoginOptions.flags. */
export const PROVIDER_LOGIN_FLAGS = Object.assign({}, ...PROVIDERS.map((descriptor) => descriptor.loginFlags ?? {})) as NonNullable<ProviderDescriptor['loginFlags']>;

/** Environment variables that hold a provider's secret: never handed to a child process. */
export const SECRET_VARIABLES: readonly string[] = PROVIDERS.flatMap((descriptor) => (descriptor.secrets ?? []).map((secret) => secret.variable));

/** Types a profile section's awsl settings; undefined when the section has no awsl_provider. */
export function readProfileSettings(profile: string, section: Readonly<Record<string, string>> | undefined): ProfileSettings | undefined {
  if (!section?.awsl_provider) return undefined;
  const provider = settingReader(profile, section, [PROVIDER_SETTING])(PROVIDER_SETTING.key);
  if (provider === undefined) return undefined;
  const descriptor = descriptorOf(provider);
  const value = settingReader(profile, section, settingsOf(descriptor));
  return { ...readCommonSettings(profile, provider, section, value), ...descriptor.read(value) };
}

export function loadProvider(settings: ProfileSettings): Promise<Provider> {
  return descriptorOf(settings.provider).load();
}

export function hasSavedSession(settings: ProfileSettings, stateDirectory: string): Promise<boolean> {
  return descriptorOf(settings.provider).hasSavedSession(settings, stateDirectory);
}

/** The provider that takes over `tool`'s profiles, and how; undefined when none does. */
export function importerOf(tool: string): { descriptor: ProviderDescriptor; mapping: SettingsImport } | undefined {
  for (const descriptor of PROVIDERS) {
    const mapping = descriptor.imports?.[tool];
    if (mapping) return { descriptor, mapping };
  }
  return undefined;
}
