/**
 * `awsl import awscli-login`: awscli-login's per-profile settings (~/.aws-login/config, bare
 * profile names as sections) become awsl_ settings in ~/.aws/config, and, once the person agrees,
 * its `credential_process = aws-login --profile P` lines (in ~/.aws/credentials, where it writes
 * them, and so ahead of ~/.aws/config) become awsl's, and its AWS CLI plugin is unloaded.
 * awscli-login's own files are only read.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { splitCommandWords } from '../aws/credential-process.js';
import { FileUnreadableError, InvalidInputError } from '../errors.js';
import { descriptorOf, importerOf, PROVIDER_SETTING, settingsOf } from '../providers/registry.js';
import type { SettingsImport } from '../providers/provider.js';
import { IniDocument } from '../state/ini-document.js';
import { editIniFile, readIniFile } from '../state/ini-file.js';
import { configFilePath, configSectionName, credentialsFilePath, homeDirectory } from '../state/paths.js';
import type { Prompter } from '../ui/prompter.js';
import type { RunContext } from './context.js';
import { applyCredentialProcessMode } from './credential-process-mode.js';

const TOOL = 'awscli-login';

export interface ImportedProfile {
  profile: string;
  /** What was written, by awsl key; empty when the profile was skipped. */
  settings: Record<string, string>;
  /** Why the profile, or some of its keys, were not taken over. */
  notes: string[];
  /** Left alone: already an awsl profile, or a value awsl does not accept. */
  skipped: boolean;
  /** awscli-login's credential_process line was replaced by awsl's. */
  lineRewritten: boolean;
}

export interface ImportOutcome {
  source: string;
  profiles: ImportedProfile[];
  /** awscli-login lines still in place because the person did not agree (or could not be asked). */
  linesLeft: string[];
  pluginUnloaded: boolean;
}

export interface ImportRequest {
  /** Rewrite lines and unload the plugin without asking. */
  yes: boolean;
  credentialProcessCommand: (profile: string) => string;
}

/** $AWSCLI_LOGIN_ROOT/.aws-login/config, as awscli-login finds it. */
export function awscliLoginConfigPath(env: NodeJS.ProcessEnv): string {
  return join(env.AWSCLI_LOGIN_ROOT || homeDirectory(env), '.aws-login', 'config');
}

export async function importAwscliLogin(context: RunContext, request: ImportRequest): Promise<ImportOutcome> {
  const { env } = context;
  const source = awscliLoginConfigPath(env);
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InvalidInputError(`${source} does not exist: there is no awscli-login configuration to import.`, 'Set AWSCLI_LOGIN_ROOT if awscli-login kept its files elsewhere, or set profiles up with: awsl login configure --profile NAME');
    }
    throw new FileUnreadableError(source, undefined, `cannot be read (${(error as Error).message})`, 'Check the file\'s owner and permissions.');
  }
  const loginConfig = IniDocument.parse(text, source);
  const config = await readIniFile(configFilePath(env));
  const credentials = await readIniFile(credentialsFilePath(env));

  const importer = importerOf(TOOL);
  if (!importer) throw new InvalidInputError(`No provider of this awsl takes over ${TOOL}'s profiles.`, 'Set profiles up with: awsl login configure --profile NAME');
  const profiles = loginConfig.sections().map((profile) => translate(profile, loginConfig.section(profile) ?? {}, config, importer.descriptor.name, importer.mapping));
  const toWrite = profiles.filter((profile) => !profile.skipped && Object.keys(profile.settings).length > 0);
  if (toWrite.length > 0) {
    await editIniFile(configFilePath(env), (document) => {
      for (const profile of toWrite) for (const [key, value] of Object.entries(profile.settings)) document.set(configSectionName(profile.profile), key, value);
    }, { createMode: 0o600 });
  }

  // Lines of awscli-login, in either AWS file, for profiles awsl now serves.
  const served = new Set(profiles.filter((profile) => !profile.skipped || profile.notes.includes(ALREADY_AWSL)).map((profile) => profile.profile));
  const lines = [...served].filter((profile) => isAwscliLoginLine(credentials?.get(profile, 'credential_process')) || isAwscliLoginLine(config?.get(configSectionName(profile), 'credential_process')));
  const plugin = config?.get('plugins', 'login')?.trim() === 'awscli_login';
  const agreed = (lines.length > 0 || plugin) && await agree(request.yes, context.prompter(), lines, plugin);
  if (agreed) {
    for (const profile of lines) {
      await editIniFile(credentialsFilePath(env), (document) => {
        if (isAwscliLoginLine(document.get(profile, 'credential_process'))) document.delete(profile, 'credential_process');
        if (Object.keys(document.section(profile) ?? {}).length === 0) document.removeSection(profile);
      }, { createMode: 0o600 });
      const current = (await readIniFile(configFilePath(env)))?.get(configSectionName(profile), 'credential_process');
      await applyCredentialProcessMode(context, { profile, enable: true, command: request.credentialProcessCommand(profile), currentLine: current, marked: false, prompt: false });
      const entry = profiles.find((candidate) => candidate.profile === profile);
      if (entry) entry.lineRewritten = true;
    }
    if (plugin) await unloadAwscliLoginPlugin(configFilePath(env));
  }
  return { source, profiles, linesLeft: agreed ? [] : lines, pluginUnloaded: agreed && plugin };
}

const ALREADY_AWSL = 'already set up for awsl: its awsl settings were left as they are';

function translate(profile: string, section: Record<string, string>, config: IniDocument | undefined, provider: string, mapping: SettingsImport): ImportedProfile {
  const entry: ImportedProfile = { profile, settings: {}, notes: [], skipped: false, lineRewritten: false };
  if (config?.get(configSectionName(profile), PROVIDER_SETTING.key) !== undefined) {
    entry.skipped = true;
    entry.notes.push(ALREADY_AWSL);
    return entry;
  }
  const definitions = settingsOf(descriptorOf(provider));
  const settings: Record<string, string> = { [PROVIDER_SETTING.key]: provider };
  for (const [key, raw] of Object.entries(section)) {
    const value = raw.trim();
    const target = mapping.keys[key];
    const withheld = mapping.withheld?.[key];
    if (withheld) {
      if (value) entry.notes.push(`${key} not imported: ${withheld}`);
    } else if (!target) {
      entry.notes.push(`${key} is not a ${TOOL} setting awsl knows; not imported.`);
    } else if (value !== '' && value !== mapping.unsetValues?.[key]) {
      const definition = definitions.find((setting) => setting.key === target);
      try {
        settings[target] = definition ? definition.normalise(value) : value;
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        entry.notes.push(`${key}: ${error.message} Profile not imported; fix it, or set it up with: awsl login configure --profile ${profile}`);
        entry.skipped = true;
      }
    }
  }
  for (const setting of definitions) {
    if (entry.skipped || !setting.required || settings[setting.key]) continue;
    const source = Object.keys(mapping.keys).find((key) => mapping.keys[key] === setting.key) ?? setting.key;
    entry.notes.push(`no ${source} (${setting.required.what}); profile not imported. Set it up with: awsl login configure --profile ${profile}`);
    entry.skipped = true;
  }
  if (!entry.skipped) entry.settings = settings;
  return entry;
}

export function isAwscliLoginLine(line: string | undefined): boolean {
  const program = splitCommandWords(line ?? '')?.[0];
  return program !== undefined && /(^|[/\\])aws-login(\.exe)?$/.test(program);
}

async function agree(yes: boolean, prompter: Prompter, lines: string[], plugin: boolean): Promise<boolean> {
  if (yes) return true;
  if (!prompter.interactive) return false;
  const what = [
    lines.length > 0 ? `rewrite awscli-login's credential_process line${lines.length === 1 ? '' : 's'} of ${lines.join(', ')} to awsl's` : '',
    plugin ? 'unload the awscli-login plugin from the AWS CLI' : '',
  ].filter(Boolean).join(' and ');
  const answer = (await prompter.ask(`${what[0]?.toUpperCase()}${what.slice(1)}? (yes|no)`, { defaultValue: 'no' })).trim().toLowerCase();
  return answer === 'y' || answer === 'yes';
}

/** Removes `[plugins] login = awscli_login` (and the plugin path only it used) from `file`. */
export async function unloadAwscliLoginPlugin(file: string): Promise<void> {
  await editIniFile(file, (document) => {
    document.delete('plugins', 'login');
    // cli_legacy_plugin_path only served awscli-login (AWS CLI v2 loads no other legacy plugin by it).
    if (Object.keys(document.section('plugins') ?? {}).every((key) => key === 'cli_legacy_plugin_path')) document.removeSection('plugins');
  });
}
