/**
 * Reading profiles from the AWS files the way the AWS CLI does (botocore's configloader over
 * Python's configparser, see state/ini-document.ts): a file the AWS CLI refuses is refused here too,
 * with its line, before any prompt or request.
 */
import { ProfileNotConfiguredError } from '../errors.js';
import { readProfileSettings } from '../providers/registry.js';
import { parseAccountNames, type ProfileSettings } from '../settings.js';
import type { IniDocument } from '../state/ini-document.js';
import { readIniFile } from '../state/ini-file.js';
import { configFilePath } from '../state/paths.js';
import { nearMisses } from '../ui/near-miss.js';

export interface AwsFiles {
  /** The config file's sections (credentials are read by aws/credentials-file.ts). */
  config: Record<string, Record<string, string | undefined>>;
}

/**
 * Sections by the names the SDKs use: a config file's `[profile NAME]` is NAME (split as botocore
 * splits it, with shell quoting), `[sso-session NAME]` and `[services NAME]` become
 * `sso-session.NAME` and `services.NAME`; a nested block (`sts =` and indented `endpoint_url = …`)
 * becomes `sts.endpoint_url`.
 */
function configSections(document: IniDocument | undefined): AwsFiles['config'] {
  const sections: AwsFiles['config'] = {};
  for (const name of document?.sections() ?? []) {
    const key = name === 'default' ? name : configSectionKey(name);
    if (key === undefined) continue;
    const values: Record<string, string> = {};
    for (const [option, value] of Object.entries(document?.section(name) ?? {})) {
      if (!value.startsWith('\n')) {
        values[option] = value;
        continue;
      }
      for (const line of value.split('\n').filter((part) => part !== '')) {
        const equals = line.indexOf('=');
        values[`${option}.${line.slice(0, equals).trim()}`] = line.slice(equals + 1).trim();
      }
    }
    // A later section of the same profile name replaces an earlier one, as in botocore.
    sections[key] = values;
  }
  return sections;
}

function configSectionKey(name: string): string | undefined {
  const type = ['profile', 'sso-session', 'services'].find((prefix) => name.startsWith(prefix));
  if (type === undefined) return name;
  const parts = shellWords(name);
  if (parts?.length !== 2) return undefined;
  return type === 'profile' ? parts[1] : `${type}.${parts[1]}`;
}

/** Python's shlex.split in POSIX mode: whitespace-separated words, '…' and "…" quoting, \\ escapes; undefined when unbalanced. */
export function shellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (char === '\\' && (quote === undefined || '\\"'.includes(text[index + 1] ?? ''))) {
      if (index + 1 >= text.length) return undefined;
      word = (word ?? '') + text[++index];
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote !== undefined) return undefined;
  if (word !== undefined) words.push(word);
  return words;
}

export async function loadAwsFiles(env: NodeJS.ProcessEnv = process.env): Promise<AwsFiles> {
  return { config: configSections(await readIniFile(configFilePath(env))) };
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
