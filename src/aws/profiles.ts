/** Reading profiles from the AWS files the way the AWS SDK does (@smithy/shared-ini-file-loader). */
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { ProfileNotConfiguredError } from '../errors.js';
import { readProfileSettings } from '../providers/registry.js';
import { parseAccountNames, type ProfileSettings } from '../settings.js';
import { configFilePath, credentialsFilePath } from '../state/paths.js';
import { nearMisses } from '../ui/near-miss.js';

export interface AwsFiles {
  config: Record<string, Record<string, string | undefined>>;
  credentials: Record<string, Record<string, string | undefined>>;
}

export async function loadAwsFiles(env: NodeJS.ProcessEnv = process.env): Promise<AwsFiles> {
  const files = await loadSharedConfigFiles({ filepath: credentialsFilePath(env), configFilepath: configFilePath(env), ignoreCache: true });
  return { config: files.configFile as AwsFiles['config'], credentials: files.credentialsFile as AwsFiles['credentials'] };
}

function definedValues(section: Record<string, string | undefined> | undefined): Record<string, string> | undefined {
  if (!section) return undefined;
  return Object.fromEntries(Object.entries(section).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * A profile's settings from files already read. Account names kept in [default] apply to every
 * profile; the profile's own override them.
 */
function settingsFromFiles(files: AwsFiles, profile: string): ProfileSettings | undefined {
  const settings = readProfileSettings(profile, definedValues(files.config[profile]));
  if (!settings) return undefined;
  const globalNames = parseAccountNames(files.config.default?.awsl_account_names);
  return { ...settings, accountNames: new Map([...globalNames, ...settings.accountNames]) };
}

/**
 * The profile's awsl settings, or an error that says how to configure it, which profiles are set
 * up instead, and which one a typo meant.
 */
export async function loadProfileSettings(profile: string, env: NodeJS.ProcessEnv = process.env): Promise<ProfileSettings> {
  const files = await loadAwsFiles(env);
  const settings = settingsFromFiles(files, profile);
  if (settings) return settings;
  const problem = `Profile ${profile} is not set up for awsl (no awsl_provider in ${configFilePath(env)}).`;
  const setUp = `Run: awsl login configure --profile ${profile}`;
  const others = Object.keys(files.config).filter((name) => settingsFromFiles(files, name) !== undefined).sort();
  if (others.length === 0) throw new ProfileNotConfiguredError(problem, setUp);
  const meant = nearMisses(profile, others);
  throw new ProfileNotConfiguredError(`${problem} Profiles set up for awsl: ${others.join(', ')}.`,
    meant.length > 0
      ? `Did you mean ${meant.map((name) => `--profile ${name}`).join(' or ')}? To set up ${profile}: awsl login configure --profile ${profile}`
      : `Choose one with --profile NAME or AWS_PROFILE (see them all: awsl status --all), or set up ${profile}: awsl login configure --profile ${profile}`);
}

/** Every profile with awsl settings, by name. */
export async function listAwslProfiles(env: NodeJS.ProcessEnv = process.env): Promise<ProfileSettings[]> {
  const files = await loadAwsFiles(env);
  return Object.keys(files.config).sort()
    .map((name) => settingsFromFiles(files, name))
    .filter((settings): settings is ProfileSettings => settings !== undefined);
}

/** --profile ▸ AWS_PROFILE ▸ default. */
export function resolveProfileName(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.AWS_PROFILE || 'default';
}
