/**
 * What every use case gets from the command that runs it, built once per command by the base
 * command from the parsed flags: the environment and the paths it implies, the logger, the
 * prompter, Ctrl-C as an abort signal, the keyring (opened only on first use) and HTTP clients.
 * Tests build one with createRunContext and substitute any part.
 */
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../http.js';
import { configFilePath, credentialsFilePath, stateDirectory } from '../state/paths.js';
import { osKeyring, type SecretStore } from '../state/secret-store.js';
import type { Logger } from '../ui/logger.js';
import type { Prompter } from '../ui/prompter.js';

export interface RunContext {
  readonly env: NodeJS.ProcessEnv;
  readonly paths: {
    /** ~/.aws/config (AWS_CONFIG_FILE). */
    readonly config: string;
    /** ~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE). */
    readonly credentials: string;
    /** ~/.aws/awsl (AWSL_STATE_DIR): cookie jars, caches. */
    readonly state: string;
  };
  readonly logger: Logger;
  /** The terminal prompter, opened on first use (status and logout never open it). */
  prompter(): Prompter;
  readonly signal: AbortSignal;
  /** The OS keyring, opened on first use: most commands never touch it. */
  secrets(): SecretStore;
  /** An HTTP client that logs through this context's logger. */
  http(options?: Omit<HttpClientOptions, 'logger'>): HttpClient;
}

export interface RunContextParts {
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  prompter: Prompter | (() => Prompter);
  signal?: AbortSignal;
  secrets?: () => SecretStore;
}

export function createRunContext(parts: RunContextParts): RunContext {
  const env = parts.env ?? process.env;
  const given = parts.prompter;
  const openPrompter = typeof given === 'function' ? given : () => given;
  let keyring: SecretStore | undefined;
  let prompter: Prompter | undefined;
  return {
    env,
    paths: { config: configFilePath(env), credentials: credentialsFilePath(env), state: stateDirectory(env) },
    logger: parts.logger,
    prompter: () => (prompter ??= openPrompter()),
    signal: parts.signal ?? new AbortController().signal,
    secrets: () => (keyring ??= (parts.secrets ?? osKeyring)()),
    http: (options = {}) => createHttpClient({ env, ...options, logger: parts.logger }),
  };
}

/** The same context with another prompter (keep-alive renewals never ask a person). */
export function withPrompter(context: RunContext, prompter: Prompter): RunContext {
  return { ...context, prompter: () => prompter };
}
