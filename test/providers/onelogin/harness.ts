/**
 * What the OneLogin provider tests share: the stand-in, a real HTTP client, a scripted terminal
 * (the UI seam), an in-memory keyring, a private state folder and a ProviderContext built from a
 * profile section the way the pipeline builds it.
 */
import { createHttpClient } from '../../../src/http.js';
import { createPasswordSource } from '../../../src/pipeline/password.js';
import { oneloginClientSecretAccount } from '../../../src/providers/onelogin/client-secret.js';
import type { OneLoginContext, OneLoginProfile } from '../../../src/providers/onelogin/descriptor.js';
import { apiBaseUrl } from '../../../src/providers/onelogin/api.js';
import { readCachedToken, tokenCachePath } from '../../../src/providers/onelogin/state.js';
import { readProfileSettings } from '../../../src/providers/registry.js';
import { createLogger } from '../../../src/ui/logger.js';
import { nonInteractivePrompter } from '../../../src/ui/prompter.js';
import { makeTempDir } from '../../peers/process.js';
import { startOneLoginStandIn, type OneLoginStandIn, type OneLoginStandInOptions, type StandInUser } from '../../peers/onelogin/index.js';
import { MemorySecretStore } from '../../support/memory-secret-store.js';
import { scriptedPrompter, type ScriptedAnswer, type ScriptedPrompter } from '../../support/scripted-prompter.js';

export const PASSWORD = 'correct horse';
export const CLIENT_SECRET = 'client-secret';
export const CLIENT_SECRET_ACCOUNT = oneloginClientSecretAccount('client-id');

export function user(overrides: Partial<StandInUser> = {}): StandInUser {
  return { username: 'alice', email: 'alice@example.com', password: PASSWORD, ...overrides };
}

export interface WorldOptions {
  standIn?: OneLoginStandInOptions;
  /** Profile keys over the defaults; undefined removes a key. */
  profile?: Record<string, string | undefined>;
  secrets?: Record<string, string>;
  interactive?: boolean;
}

export interface World {
  standIn: OneLoginStandIn;
  secrets: MemorySecretStore;
  stateDirectory: string;
  logs: string[];
  dispose(): Promise<void>;
  /** Whether an API access token is cached for the profile's client id. */
  tokenCached(): Promise<boolean>;
  /** A context for one login; each call gets a fresh abort controller and terminal. */
  context(answers?: ScriptedAnswer[], options?: { passcode?: string; mfaDevice?: string; onSpinner?: (abort: () => void) => void }): {
    context: OneLoginContext;
    prompter: ScriptedPrompter;
    abort: () => void;
  };
}

export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const standIn = await startOneLoginStandIn({ users: [user()], ...options.standIn });
  const state = await makeTempDir('onelogin');
  const secrets = new MemorySecretStore(options.secrets ?? { [CLIENT_SECRET_ACCOUNT]: CLIENT_SECRET });
  const logs: string[] = [];
  const logger = createLogger('normal', (text) => { logs.push(text); });
  const section = Object.fromEntries(Object.entries({
    awsl_provider: 'onelogin',
    awsl_onelogin_subdomain: 'acme',
    awsl_onelogin_app_id: '123456',
    awsl_onelogin_client_id: 'client-id',
    awsl_onelogin_api_url: standIn.url,
    awsl_username: 'alice',
    ...options.profile,
  }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const settings = readProfileSettings('work', section) as OneLoginProfile | undefined;
  if (!settings) throw new Error('test profile has no provider');
  const http = createHttpClient();
  return {
    standIn,
    secrets,
    stateDirectory: state.path,
    logs,
    async tokenCached() {
      return (await readCachedToken(tokenCachePath(state.path, apiBaseUrl(settings), settings.oneloginClientId ?? ''))) !== undefined;
    },
    async dispose() {
      await standIn.stop();
      await state.remove();
    },
    context(answers = [], loginOptions = {}) {
      const controller = new AbortController();
      const abort = () => controller.abort();
      const { onSpinner, passcode, mfaDevice } = loginOptions;
      const prompter = scriptedPrompter(answers, { onSpinner: onSpinner && (() => onSpinner(abort)) });
      const terminal = options.interactive === false ? nonInteractivePrompter(() => {}) : prompter;
      const password = createPasswordSource({
        enableKeyring: settings.enableKeyring, secrets, prompter: terminal, logger, unattendedHint: 'awsl login --password-stdin',
      });
      const context: OneLoginContext = {
        settings, prompter: terminal, password, secrets, http, stateDirectory: state.path, logger,
        signal: controller.signal, options: { passcode, flags: { 'mfa-device': mfaDevice } }, acsUrl: 'https://signin.aws.amazon.com/saml', env: process.env,
      };
      return { context, prompter, abort };
    },
  };
}

/** The question a password prompt asks. */
export const PASSWORD_QUESTION = /^Password for alice$/;

export function decodeSaml(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}
