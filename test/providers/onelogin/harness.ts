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
import type { SecretStore } from '../../../src/state/secret-store.js';
import { createLogger } from '../../../src/ui/logger.js';
import { nonInteractivePrompter, type AskOptions, type Prompter, type Spinner } from '../../../src/ui/prompter.js';
import { makeTempDir } from '../../peers/process.js';
import { startOneLoginStandIn, type OneLoginStandIn, type OneLoginStandInOptions, type StandInUser } from '../../peers/onelogin/index.js';

/** An expected question (matched by pattern) and the answer to type, optionally after a delay. */
export interface Answer {
  question: RegExp;
  answer: string;
  delayMs?: number;
}

export class ScriptedPrompter implements Prompter {
  readonly interactive = true;
  readonly questions: { question: string; options?: AskOptions }[] = [];
  readonly said: string[] = [];
  readonly spinnerTexts: string[] = [];
  readonly spinnerEnds: (string | undefined)[] = [];

  private readonly answers: Answer[];

  constructor(answers: readonly Answer[], private readonly onSpinner?: () => void) {
    this.answers = [...answers];
  }

  async ask(question: string, options?: AskOptions): Promise<string> {
    this.questions.push({ question, options });
    const next = this.answers.shift();
    if (!next) throw new Error(`Unexpected question: "${question}"`);
    if (!next.question.test(question)) throw new Error(`Asked "${question}", expected ${next.question}`);
    if (next.delayMs) await new Promise((resolve) => setTimeout(resolve, next.delayMs));
    return next.answer;
  }

  say(message: string): void {
    this.said.push(message);
  }

  spinner(text: string): Spinner {
    this.spinnerTexts.push(text);
    this.onSpinner?.();
    return {
      update: (next) => { this.spinnerTexts.push(next); },
      stop: (finalText) => { this.spinnerEnds.push(finalText); },
    };
  }

  close(): void {}

  /** Every scripted answer was used. */
  get unanswered(): number {
    return this.answers.length;
  }
}

export class MemorySecretStore implements SecretStore {
  readonly entries = new Map<string, string>();
  reads = 0;

  constructor(initial: Record<string, string> = {}) {
    for (const [account, secret] of Object.entries(initial)) this.entries.set(account, secret);
  }

  async get(account: string): Promise<string | undefined> {
    this.reads += 1;
    return this.entries.get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    this.entries.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.entries.delete(account);
  }
}

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
  context(answers?: Answer[], options?: { passcode?: string; mfaDevice?: string; onSpinner?: (abort: () => void) => void }): {
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
      const prompter = new ScriptedPrompter(answers, onSpinner && (() => onSpinner(abort)));
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
