/**
 * `awsl doctor`: everything that makes awsl or the AWS CLI fail later, found now, each with the
 * command that fixes it. Local files and `stat` only, plus the keyring when a profile uses it and
 * the AWS CLI's version (remembered per binary: starting the AWS CLI costs more than all the rest).
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { splitCommandWords } from '../aws/credential-process.js';
import { findOnPath, inspectCredentialProcessLine, looksLikeAwslLine } from '../aws/credential-process-line.js';
import { CREDENTIAL_PROCESS_MARKER, usesAwslCredentialProcess } from '../aws/credential-store.js';
import { AwslError, KeyringError } from '../errors.js';
import { ALL_SETTINGS, descriptorOf, PROVIDER_NAMES, PROVIDER_SETTING, readProfileSettings, settingsOf } from '../providers/registry.js';
import type { IniDocument } from '../state/ini-document.js';
import { readIniFile } from '../state/ini-file.js';
import { compileCacheDirectory, configFilePath, credentialsFilePath, stateDirectory } from '../state/paths.js';
import type { RunContext } from './context.js';
import { applyCredentialProcessMode } from './credential-process-mode.js';
import { awscliLoginConfigPath, isAwscliLoginLine, unloadAwscliLoginPlugin } from './import-awscli-login.js';

export type Severity = 'ok' | 'note' | 'problem';

export interface Finding {
  /** What was checked: node, aws-cli, profile NAME, keyring, files, plugin. */
  check: string;
  severity: Severity;
  message: string;
  /** The command (or step) that fixes it. */
  fix?: string;
  /** Set when `awsl doctor --fix` can repair it itself; returns what it did. */
  repair?: () => Promise<string>;
}

export interface DoctorRequest {
  /** The credential_process line that runs this awsl for a profile. */
  credentialProcessCommand: (profile: string) => string;
  /** The running Node's version (process.versions.node), and whether it is inside the single binary. */
  node: { version: string; singleBinary: boolean };
}

/** What the checks share: the run's context and the request. */
interface Doctor extends DoctorRequest {
  context: RunContext;
  env: NodeJS.ProcessEnv;
}

/** Node.js majors still maintained upstream on this project's date; older ones run, with a note. */
const MAINTAINED_NODE_MAJOR = 22;

export async function runDoctor(context: RunContext, doctorRequest: DoctorRequest): Promise<Finding[]> {
  const { env } = context;
  const request: Doctor = { ...doctorRequest, context, env };
  const awsCli = checkAwsCli(env);
  const findings: Finding[] = [checkNode(request.node)];
  const [config, credentials] = await Promise.all([readDocument(configFilePath(env), findings), readDocument(credentialsFilePath(env), findings)]);
  const profiles = profileSections(config);
  findings.push(...profiles.flatMap((profile) => checkProfile(profile, credentials, request)));
  findings.push(...checkForeignLines(config, credentials, profiles.map((profile) => profile.name)));
  findings.push(...checkPlugin(config, env));
  findings.push(...checkFiles(env));
  findings.push(await checkKeyring(profiles, request));
  findings.unshift(await awsCli);
  return findings;
}

/** A file that does not parse is a finding (with its line), not the end of the checks. */
async function readDocument(path: string, findings: Finding[]): Promise<IniDocument | undefined> {
  try {
    return await readIniFile(path);
  } catch (error) {
    if (!(error instanceof AwslError)) throw error;
    findings.push({ check: 'files', severity: 'problem', message: error.message, fix: error.hint });
    return undefined;
  }
}

function checkNode(node: DoctorRequest['node']): Finding {
  const major = Number(node.version.split('.')[0]);
  const where = node.singleBinary ? ' (inside the single awsl binary)' : '';
  if (major >= MAINTAINED_NODE_MAJOR) return { check: 'node', severity: 'ok', message: `Node.js ${node.version}${where}.` };
  return {
    check: 'node', severity: 'note',
    message: `Node.js ${node.version}${where}: awsl runs on it, but Node ${major} no longer gets security fixes from the Node.js project.`,
    fix: node.singleBinary ? 'Build the binary with Node 22 or 24 (npm run build:binary).' : 'Install Node 22 or 24, or use the single awsl binary (npm run build:binary with Node 22 or 24).',
  };
}

/** `aws --version`, remembered per AWS CLI binary (path, size, time): the AWS CLI takes a second to start. */
async function checkAwsCli(env: NodeJS.ProcessEnv): Promise<Finding> {
  const aws = findOnPath('aws', env);
  const install = 'Install AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html); credential_process profiles need it or an AWS SDK.';
  if (!aws) return { check: 'aws-cli', severity: 'problem', message: 'No aws on PATH.', fix: install };
  let version: string | undefined;
  try {
    version = await awsCliVersion(aws, env);
  } catch (error) {
    const why = ((error as { stderr?: string }).stderr ?? '').trim().split('\n').at(-1) || (error as Error).message;
    return { check: 'aws-cli', severity: 'problem', message: `${aws} --version fails: ${why}`, fix: `Run ${aws} --version to see why (a plugin that no longer loads is named below); or: ${install}` };
  }
  const major = Number(/^aws-cli\/(\d+)/.exec(version)?.[1]);
  if (major >= 2) return { check: 'aws-cli', severity: 'ok', message: `${version} (${aws}).` };
  return { check: 'aws-cli', severity: 'note', message: `${version} (${aws}): AWS CLI v1 reads awsl's profiles, but is in maintenance only.`, fix: install };
}

async function awsCliVersion(aws: string, env: NodeJS.ProcessEnv): Promise<string> {
  const target = realpathSync(aws);
  const { size, mtimeMs } = statSync(target);
  const key = `${target}\0${size}\0${mtimeMs}`;
  const memo = join(dirname(compileCacheDirectory(env)), 'aws-cli-version.json');
  try {
    const saved = JSON.parse(await readFile(memo, 'utf8')) as { key?: string; version?: string };
    if (saved.key === key && saved.version) return saved.version;
  } catch {
    // Not remembered yet.
  }
  const version = await new Promise<string>((resolve, reject) => {
    execFile(aws, ['--version'], { env, timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve(`${stdout}${stderr}`.trim().split(/\s+/)[0] ?? '');
    });
  });
  try {
    await mkdir(dirname(memo), { recursive: true, mode: 0o700 });
    await writeFile(memo, JSON.stringify({ key, version }), { mode: 0o600 });
  } catch {
    // An unwritable cache only costs the next run the same second.
  }
  return version;
}

interface ProfileSection {
  name: string;
  values: Record<string, string>;
}

function profileSections(config: IniDocument | undefined): ProfileSection[] {
  if (!config) return [];
  return config.sections().flatMap((section) => {
    const name = section === 'default' ? 'default' : /^profile\s+(.+)$/.exec(section)?.[1]?.trim();
    const values = config.section(section) ?? {};
    return name && values[PROVIDER_SETTING.key] ? [{ name, values }] : [];
  });
}

const KNOWN_KEYS = new Set([PROVIDER_SETTING.key, CREDENTIAL_PROCESS_MARKER, ...ALL_SETTINGS.map((setting) => setting.key)]);

function checkProfile(profile: ProfileSection, credentials: IniDocument | undefined, request: Doctor): Finding[] {
  const check = `profile ${profile.name}`;
  const configure = `awsl login configure --profile ${profile.name}`;
  const findings: Finding[] = [];
  let provider: string | undefined;
  try {
    provider = readProfileSettings(profile.name, profile.values)?.provider;
  } catch (error) {
    if (!(error instanceof AwslError)) throw error;
    findings.push({ check, severity: 'problem', message: error.message, fix: error.hint });
  }
  for (const key of Object.keys(profile.values)) {
    if (key.startsWith('awsl_') && !KNOWN_KEYS.has(key)) {
      findings.push({ check, severity: 'problem', message: `${key} is not an awsl setting (a typo?); awsl ignores it.`, fix: `Remove it from ${configFilePath(request.env)}; awsl login configure --help lists the settings.` });
    }
  }
  for (const setting of provider && PROVIDER_NAMES.includes(provider) ? settingsOf(descriptorOf(provider)) : []) {
    if (setting.required && !profile.values[setting.key]?.trim()) {
      findings.push({ check, severity: 'problem', message: `The ${provider} provider needs ${setting.required.what} (${setting.key}).`, fix: `${configure} --${setting.flag} ${setting.required.example}` });
    }
  }

  const line = profile.values.credential_process;
  if (line !== undefined || usesAwslCredentialProcess(profile.values)) findings.push(...checkAwslLine(profile, credentials, request));
  if (findings.length === 0) findings.push({ check, severity: 'ok', message: line === undefined ? `${provider} settings are valid.` : `${provider} settings are valid; credential_process runs awsl.` });
  return findings;
}

function checkAwslLine(profile: ProfileSection, credentials: IniDocument | undefined, request: Doctor): Finding[] {
  const check = `profile ${profile.name}`;
  const enable = `awsl login configure --profile ${profile.name} --credential-process`;
  const line = profile.values.credential_process;
  const marked = usesAwslCredentialProcess(profile.values);
  const rewrite = (): Promise<string> => rewriteLine(profile.name, line, marked, request);
  if (line === undefined) {
    return [{ check, severity: 'problem', message: `${CREDENTIAL_PROCESS_MARKER} is set, but there is no credential_process line: the AWS CLI never asks awsl.`, fix: `awsl doctor --fix (or ${enable})`, repair: rewrite }];
  }
  if (!marked && !looksLikeAwslLine(line)) {
    return [{
      check, severity: 'problem',
      message: `credential_process = ${line} is not awsl's: the AWS CLI runs that program, and this profile's awsl settings do nothing for it.`,
      fix: `${enable} (or remove the awsl_ keys if the other tool is meant)`,
    }];
  }
  const profileName = profile.name;
  const findings: Finding[] = [];
  const named = profileArgument(line);
  const verdict = inspectCredentialProcessLine(line, request.env);
  if (!marked) {
    findings.push({ check, severity: 'problem', message: `credential_process = ${line} was written by an older awsl, without ${CREDENTIAL_PROCESS_MARKER}: awsl logs this profile in to ~/.aws/credentials, where the line does not look.`, fix: `awsl doctor --fix (or ${enable})`, repair: rewrite });
  } else if (verdict.kind === 'broken') {
    findings.push({ check, severity: 'problem', message: `credential_process cannot start: ${verdict.missing} is gone. Every AWS call on this profile fails.`, fix: `awsl doctor --fix (or ${enable})`, repair: rewrite });
  } else if (verdict.kind === 'pins-node') {
    findings.push({ check, severity: 'problem', message: `credential_process names the Node binary ${verdict.node}: the next Node upgrade breaks every AWS call on this profile.`, fix: `awsl doctor --fix (or ${enable})`, repair: rewrite });
  } else if (named !== profileName) {
    findings.push({ check, severity: 'problem', message: `credential_process asks awsl for profile ${named ?? '(none)'}, not ${profileName}.`, fix: `awsl doctor --fix (or ${enable})`, repair: rewrite });
  }
  const shadowing = credentials?.section(profileName);
  const otherLine = shadowing?.credential_process;
  if (otherLine !== undefined && otherLine !== line) {
    findings.push({
      check, severity: 'problem',
      message: `[${profileName}] in ${credentialsFilePath(request.env)} has credential_process = ${otherLine}, which the AWS CLI runs instead of awsl's line in ${configFilePath(request.env)}.`,
      fix: isAwscliLoginLine(otherLine) ? 'awsl import awscli-login --yes' : `Remove that line from ${credentialsFilePath(request.env)}.`,
    });
  }
  if (shadowing?.aws_access_key_id) {
    const owned = 'awsl_expiration' in shadowing || 'awsl_role_arn' in shadowing;
    findings.push({
      check, severity: 'problem',
      message: `[${profileName}] in ${credentialsFilePath(request.env)} has static keys${owned ? ' (awsl\'s own, from before credential_process)' : ''}: the AWS CLI uses them instead of credential_process.`,
      fix: owned ? `awsl doctor --fix (or ${enable})` : `${enable}, and answer yes to removing them (they are not awsl's)`,
      repair: owned ? rewrite : undefined,
    });
  }
  return findings;
}

function profileArgument(line: string): string | undefined {
  const words = splitCommandWords(line) ?? [];
  const index = words.findIndex((word) => word === '--profile' || word === '-p');
  return index < 0 ? words.find((word) => word.startsWith('--profile='))?.slice('--profile='.length) : words[index + 1];
}

/** What `login configure --credential-process` does: awsl's line and marker, awsl's own static keys into the private cache. */
async function rewriteLine(profile: string, line: string | undefined, marked: boolean, request: Doctor): Promise<string> {
  const command = request.credentialProcessCommand(profile);
  await applyCredentialProcessMode(request.context, { profile, enable: true, command, currentLine: line, marked, prompt: false });
  return `profile ${profile}: credential_process = ${command}`;
}

/** Profiles without awsl settings whose line is awscli-login's (`awsl import awscli-login` takes it over) or awsl's. */
function checkForeignLines(config: IniDocument | undefined, credentials: IniDocument | undefined, awslProfiles: string[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set(awslProfiles);
  const visit = (profile: string, line: string | undefined) => {
    if (line === undefined || seen.has(profile)) return;
    seen.add(profile);
    if (isAwscliLoginLine(line)) {
      findings.push({ check: `profile ${profile}`, severity: 'problem', message: `credential_process = ${line} is awscli-login's.`, fix: 'awsl import awscli-login' });
    } else if (looksLikeAwslLine(line)) {
      findings.push({ check: `profile ${profile}`, severity: 'problem', message: `credential_process runs awsl, but the profile has no awsl settings (awsl_provider).`, fix: `awsl login configure --profile ${profile}` });
    }
  };
  for (const section of config?.sections() ?? []) {
    const profile = section === 'default' ? 'default' : /^profile\s+(.+)$/.exec(section)?.[1]?.trim();
    if (profile) visit(profile, config?.get(section, 'credential_process'));
  }
  for (const section of credentials?.sections() ?? []) visit(section, credentials?.get(section, 'credential_process'));
  return findings;
}

function checkPlugin(config: IniDocument | undefined, env: NodeJS.ProcessEnv): Finding[] {
  const plugin = config?.get('plugins', 'login');
  if (plugin?.trim() !== 'awscli_login') return [];
  const file = configFilePath(env);
  return [{
    check: 'plugin', severity: 'problem',
    message: `${file} still loads awscli-login ([plugins] login = awscli_login): on AWS CLI 2.32 and later it replaces AWS's own "aws login".`,
    fix: existsSync(awscliLoginConfigPath(env)) ? 'awsl import awscli-login, then awsl doctor --fix' : 'awsl doctor --fix',
    repair: async () => {
      await unloadAwscliLoginPlugin(file);
      return `removed [plugins] login = awscli_login from ${file}`;
    },
  }];
}

/**
 * awsl's folders and files: the user's own (a `sudo awsl …` that kept HOME leaves root's behind,
 * which awsl then cannot replace), and private: folders 0700, files 0600, credentials file 0600.
 */
function checkFiles(env: NodeJS.ProcessEnv): Finding[] {
  const uid = process.getuid?.();
  const foreign: string[] = [];
  const loose: Array<{ path: string; want: number }> = [];
  const walk = (path: string, depth: number) => {
    let info;
    try {
      info = lstatSync(path);
    } catch {
      return;
    }
    if (info.isSymbolicLink()) return;
    if (uid !== undefined && info.uid !== uid) foreign.push(path);
    const want = info.isDirectory() ? 0o700 : 0o600;
    if ((info.mode & 0o077) !== 0) loose.push({ path, want });
    if (info.isDirectory() && depth < 4) {
      let entries: string[] = [];
      try {
        entries = readdirSync(path);
      } catch {
        return;
      }
      for (const entry of entries) walk(join(path, entry), depth + 1);
    }
  };
  const cache = dirname(compileCacheDirectory(env));
  walk(stateDirectory(env), 0);
  walk(cache, 0);
  const credentials = credentialsFilePath(env);
  try {
    const info = statSync(credentials);
    if (uid !== undefined && info.uid !== uid) foreign.push(credentials);
    if ((info.mode & 0o077) !== 0) loose.push({ path: credentials, want: 0o600 });
  } catch {
    // No credentials file.
  }
  const findings: Finding[] = [];
  if (foreign.length > 0) {
    const roots = [...new Set(foreign.map((path) => [stateDirectory(env), cache].find((root) => path.startsWith(root)) ?? path))];
    findings.push({
      check: 'files', severity: 'problem',
      message: `Not yours (left by sudo or another user?): ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ` and ${foreign.length - 3} more` : ''}. awsl cannot update them, so it logs in or compiles anew every time.`,
      fix: `sudo chown -R "$(id -u):$(id -g)" ${roots.join(' ')}`,
    });
  }
  const fixable = loose.filter(({ path }) => !foreign.includes(path));
  if (fixable.length > 0) {
    findings.push({
      check: 'files', severity: 'problem',
      message: `Readable by others: ${fixable.slice(0, 3).map(({ path }) => path).join(', ')}${fixable.length > 3 ? ` and ${fixable.length - 3} more` : ''}. They hold credentials and IdP sessions.`,
      fix: 'awsl doctor --fix (folders 0700, files 0600)',
      repair: async () => {
        for (const { path, want } of fixable) await chmod(path, want);
        return `set ${fixable.length} path${fixable.length === 1 ? '' : 's'} to 0700 (folders) / 0600 (files)`;
      },
    });
  }
  if (findings.length === 0) findings.push({ check: 'files', severity: 'ok', message: `${stateDirectory(env)} and ${cache} are yours and private.` });
  return findings;
}

async function checkKeyring(profiles: ProfileSection[], request: Doctor): Promise<Finding> {
  const keepsSecrets = (provider: string | undefined) => provider !== undefined && PROVIDER_NAMES.includes(provider) && (descriptorOf(provider).secrets ?? []).length > 0;
  const users = profiles.filter((profile) => profile.values.awsl_enable_keyring?.trim() === 'true' || keepsSecrets(profile.values[PROVIDER_SETTING.key]?.trim()));
  if (users.length === 0) return { check: 'keyring', severity: 'ok', message: 'No profile keeps secrets in the keyring; not opened.' };
  try {
    await request.context.secrets().get('awsl-doctor');
    return { check: 'keyring', severity: 'ok', message: `The OS keyring answers (used by ${users.map((profile) => profile.name).join(', ')}).` };
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    return { check: 'keyring', severity: 'problem', message: `${error.message} Profiles ${users.map((profile) => profile.name).join(', ')} keep secrets there.`, fix: error.hint };
  }
}
