/**
 * Switching a profile to (or from) credential_process, for `login configure --credential-process`.
 *
 * On: the profile's credential_process runs this awsl, and nothing in ~/.aws/credentials shadows it
 * — the AWS CLI prefers static keys there to credential_process (saml2aws #895). awsl's own keys
 * move into the private cache (still valid ones stay usable without a new login); someone else's are
 * removed only when the person says so at the terminal, otherwise awsl warns and leaves them.
 * Off: awsl's credential_process line goes, and cached credentials move back to ~/.aws/credentials.
 */
import { looksLikeAwslLine } from '../aws/credential-process-line.js';
import { CREDENTIAL_PROCESS_MARKER, credentialsFileStore, privateCacheStore } from '../aws/credential-store.js';
import { readStaticKeys, removeStaticKeys } from '../aws/credentials-file.js';
import { normaliseBoolean } from '../settings.js';
import { editIniFile } from '../state/ini-file.js';
import { configFilePath, configSectionName, credentialsFilePath } from '../state/paths.js';
import { askUntilValid } from '../ui/ask.js';
import type { Prompter } from '../ui/prompter.js';
import type { RunContext } from './context.js';
import { isFresh } from './current-credentials.js';

export const CREDENTIAL_PROCESS_PROMPT = 'Use credential_process (true|false)';
const MAX_BAD_ANSWERS = 3;

/**
 * On or off from the flag; asked (after the duration) when configure is interactive; undefined
 * (leave as is) otherwise.
 */
export async function decideCredentialProcess(given: boolean | undefined, prompt: boolean, prompter: Prompter, marked: boolean): Promise<boolean | undefined> {
  if (given !== undefined) return given;
  if (!prompt) return undefined;
  const existing = marked ? 'true' : 'false';
  return askUntilValid(prompter, CREDENTIAL_PROCESS_PROMPT, { defaultValue: existing, attempts: MAX_BAD_ANSWERS },
    (answer) => normaliseBoolean(answer === '' ? existing : answer, 'Use credential_process') === 'true');
}

export interface CredentialProcessModeRequest {
  profile: string;
  enable: boolean;
  /** The credential_process line that runs this awsl for the profile. */
  command: string;
  /** The profile's credential_process as it is now. */
  currentLine: string | undefined;
  /** configure marked that line as awsl's (CREDENTIAL_PROCESS_MARKER). */
  marked: boolean;
  /** May ask whether to remove someone else's static keys. */
  prompt: boolean;
  /**
   * The same run changed the profile's settings: its credentials were issued under the old ones,
   * so they are not carried over (configure drops what is cached, and says so once).
   */
  staleCredentials?: boolean;
}

export interface CredentialProcessModeOutcome {
  /** credential_process as written ('' when removed); undefined when unchanged. */
  changed: string | undefined;
  /** Static keys that shadow credential_process were left in ~/.aws/credentials. */
  shadowed: boolean;
}

export async function applyCredentialProcessMode(context: RunContext, request: CredentialProcessModeRequest): Promise<CredentialProcessModeOutcome> {
  return request.enable ? enable(context, request) : disable(context, request);
}

async function enable(context: RunContext, request: CredentialProcessModeRequest): Promise<CredentialProcessModeOutcome> {
  const { profile } = request;
  const { env, logger } = context;
  let changed: string | undefined;
  if (request.currentLine !== request.command || !request.marked) {
    if (request.currentLine && !request.marked && !looksLikeAwslLine(request.currentLine)) {
      logger.warn(`profile ${profile} had credential_process = ${request.currentLine}; awsl replaced it.`);
    } else if (request.currentLine) {
      logger.info(`Rewrote the credential_process line of profile ${profile} (it was ${request.currentLine}).`);
    }
    await editIniFile(configFilePath(env), (document) => {
      document.set(configSectionName(profile), 'credential_process', request.command);
      document.set(configSectionName(profile), CREDENTIAL_PROCESS_MARKER, 'true');
    }, { createMode: 0o600 });
    changed = request.command;
  }

  const file = credentialsFilePath(env);
  const keys = await readStaticKeys(profile, env);
  if (!keys.present) return { changed, shadowed: false };
  if (keys.ownedByAwsl) {
    const fileStore = credentialsFileStore(profile, env);
    const stored = await fileStore.read();
    if (request.staleCredentials) {
      await fileStore.remove();
      logger.info(`Removed awsl's credentials of profile ${profile} from ${file}: keys there would shadow credential_process, and they were issued under the old settings.`);
      return { changed, shadowed: false };
    }
    if (isFresh(stored)) await privateCacheStore(profile, env).write(stored, logger);
    await fileStore.remove();
    logger.info(`Moved awsl's credentials of profile ${profile} out of ${file} into awsl's private cache: keys there would shadow credential_process.`);
    return { changed, shadowed: false };
  }
  const question = `[${profile}] in ${file} has static keys that awsl did not write; the AWS CLI uses them instead of credential_process. Remove them? (yes|no)`;
  const prompter = context.prompter();
  if (request.prompt && prompter.interactive) {
    const answer = (await prompter.ask(question, { defaultValue: 'no' })).trim();
    let remove = false;
    try {
      remove = normaliseBoolean(answer, 'Remove them') === 'true';
    } catch {
      prompter.say('Not an answer awsl understands: the keys stay.');
    }
    if (remove) {
      await removeStaticKeys(profile, env);
      logger.info(`Removed the static keys of [${profile}] from ${file}.`);
      return { changed, shadowed: false };
    }
  }
  logger.warn(`[${profile}] in ${file} has static keys (aws_access_key_id …) that awsl did not write; the AWS CLI uses them instead of credential_process, so awsl left them. Remove them from that section to use awsl's credentials.`);
  return { changed, shadowed: true };
}

async function disable(context: RunContext, request: CredentialProcessModeRequest): Promise<CredentialProcessModeOutcome> {
  const { profile } = request;
  const { env, logger } = context;
  let changed: string | undefined;
  if (request.marked) {
    await editIniFile(configFilePath(env), (document) => {
      document.delete(configSectionName(profile), 'credential_process');
      document.delete(configSectionName(profile), CREDENTIAL_PROCESS_MARKER);
    }, { createMode: 0o600 });
    changed = '';
  }
  const cacheStore = privateCacheStore(profile, env);
  const cached = await cacheStore.read();
  if (cached && !request.staleCredentials) {
    if (changed !== undefined && isFresh(cached)) {
      await credentialsFileStore(profile, env).write(cached, logger);
      logger.info(`Moved the credentials of profile ${profile} from awsl's private cache into ${credentialsFilePath(env)}.`);
    }
    await cacheStore.remove();
  }
  return { changed, shadowed: false };
}
