/**
 * The provider contract. A provider knows one kind of IdP and nothing about AWS: given the
 * profile's settings, a prompter, the password source, an HTTP client and an abort signal, it
 * returns a SAML Response. Each provider folder exports a light ProviderDescriptor (what the rest
 * of awsl needs to configure, flag, scrub and report on it) whose load() brings in the heavy part.
 * Adding an IdP means one folder under src/providers/ and one line in registry.ts.
 */
import type { Interfaces } from '@oclif/core';
import type { HttpClient } from '../http.js';
import type { ProfileSettings, SettingDefinition } from '../settings.js';
import type { Logger } from '../ui/logger.js';
import type { Prompter } from '../ui/prompter.js';
import type { SecretStore } from '../state/secret-store.js';

/** What the user gave on this run's command line (never the password), by flag name. */
export interface LoginOptions {
  /** First one-time code for the second factor. */
  readonly passcode?: string;
  /** The provider's own login flags (ProviderDescriptor.loginFlags), by flag name. */
  readonly flags: Readonly<Record<string, string | undefined>>;
}

/** Where a login's password comes from; implemented by the core (keyring, prompt, stdin). */
export interface PasswordSource {
  /** The password for `username` at `host`. */
  get(username: string, host: string): Promise<string>;
  /** The IdP accepted the last password: keep it in the keyring if that is enabled. */
  accepted(): Promise<void>;
  /** The IdP rejected the last password: forget it everywhere, so the next get() asks. */
  rejected(): Promise<void>;
  /**
   * The IdP refused the login without saying whether the password was the cause: keep a stored
   * password while a person is at the terminal (else remove it, against lockouts); one typed at the
   * prompt may be typed again, as after rejected().
   */
  doubted(): Promise<void>;
  /** After rejected() or doubted(): whether the provider may ask for the password again (typed, first rejection). */
  mayAskAgain(): boolean;
}

/** The keyring account of a password: the same for every provider, so forgetSession finds it. */
export function keyringAccount(username: string, host: string): string {
  return `${username}@${host}`;
}

export interface ProviderContext<S extends object = object> {
  settings: ProfileSettings<S>;
  prompter: Prompter;
  password: PasswordSource;
  /** The OS keyring, opened lazily, for the provider's own secrets (ProviderDescriptor.secrets). */
  secrets: SecretStore;
  /** Per-profile HTTP client (TLS settings applied); cookies are the provider's business. */
  http: HttpClient;
  /** ~/.aws/awsl: the provider's caches and cookie jars live here. */
  stateDirectory: string;
  logger: Logger;
  signal: AbortSignal;
  options: LoginOptions;
  /** The ACS to ask for: awsl_acs_url, or the partition's global AWS sign-in SAML endpoint. */
  acsUrl: string;
  /** The environment awsl runs in, for secrets a provider reads from variables. */
  env: NodeJS.ProcessEnv;
}

export interface AuthenticationResult {
  /** base64 of the samlp:Response element, as STS wants it. */
  samlResponse: string;
  /** The request ID the Response must answer; undefined when the IdP initiated it. */
  inResponseTo?: string;
  /** True when no password or second factor was asked (saved IdP session). */
  usedSavedSession: boolean;
}

export interface Provider<S extends object = object> {
  authenticate(context: ProviderContext<S>): Promise<AuthenticationResult>;
  /**
   * Forgets the IdP session (cookies, cached tokens) and the stored password for this profile;
   * the password's keyring account is keyringAccount(username, host) with the same host that
   * authenticate() gives to password.get().
   */
  forgetSession(context: Pick<ProviderContext<S>, 'settings' | 'stateDirectory' | 'secrets'>): Promise<void>;
}

/** A secret the provider keeps in the OS keyring (never in a file), asked by `login configure`. */
export interface SecretSpec {
  /** How messages name it: "the OneLogin client secret". */
  readonly what: string;
  /** The hidden prompt of `login configure`, without the "(hidden…)" configure adds. */
  readonly prompt: string;
  /** Automation gives it in this environment variable; never handed to a child process. */
  readonly variable: string;
  /** Asked right after this setting key. */
  readonly askedAfter: string;
  /** Its keyring account, from the profile's values being saved. */
  account(values: Readonly<Record<string, string | undefined>>): string;
}

/**
 * The IdP session a login with some settings belongs to. Parallel logins of one session (several
 * profiles, one IdP and user) authenticate once: the others wait, then reuse what it left —
 * 'idp-session': the session the IdP keeps (a cookie jar the provider saves and tries first);
 * 'assertion': the IdP keeps none, so the assertion itself is reused while it is valid.
 */
export interface SharedSession {
  /** Names the IdP and the user, never a secret. */
  readonly key: string;
  readonly reuse: 'idp-session' | 'assertion';
}

export interface ProviderDescriptor<S extends object = object> {
  /** The value of awsl_provider. */
  readonly name: string;
  /** How a person names it in messages and help. */
  readonly title: string;
  /** Words that name this provider or its products: a test keeps them inside its folder. */
  readonly terms: readonly string[];
  /** Its own settings, in the order configure asks them; the shared ones are in settings.ts. */
  readonly settings: readonly SettingDefinition[];
  /** Shared settings that mean nothing to this provider: configure neither asks nor accepts them. */
  readonly unusedSharedSettings?: readonly string[];
  /** Types its own settings; `value` gives a key's validated value (undefined when unset). */
  read(value: (key: string) => string | undefined): S;
  readonly secrets?: readonly SecretSpec[];
  /** Flags of every command that authenticates (login, roles), read back from LoginOptions.flags. */
  readonly loginFlags?: Readonly<Record<string, Interfaces.OptionFlag<string | undefined>>>;
  /** `login configure` arguments of a typical profile, for help and hints. */
  readonly configureExample: string;
  /** Whether the next login needs no password or second factor (status); light: no login code. */
  hasSavedSession(settings: ProfileSettings<S>, stateDirectory: string): Promise<boolean>;
  /** The session these settings log in to; undefined when they do not say who logs in where (awsl will ask). */
  sharedSession?(settings: ProfileSettings<S>): SharedSession | undefined;
  /** The heavy part, imported only when a profile of this provider logs in or logs out. */
  load(): Promise<Provider<S>>;
  /** Another tool's per-profile settings as this provider's, by tool name (`awsl import TOOL`). */
  readonly imports?: Readonly<Record<string, SettingsImport>>;
}

/** How one tool's keys become awsl settings; values then pass the settings' own validation. */
export interface SettingsImport {
  /** The tool's key → the awsl_ setting it becomes. */
  readonly keys: Readonly<Record<string, string>>;
  /** Keys never copied into a file, with the reason the person is told. */
  readonly withheld?: Readonly<Record<string, string>>;
  /** A value that means "not set" to the tool, by key. */
  readonly unsetValues?: Readonly<Record<string, string>>;
}

/**
 * The registry holds descriptors of different S side by side. S is produced by read() and
 * consumed only by the same descriptor's functions, so erasing it here cannot mix two providers'
 * settings.
 */
export function defineProvider<S extends object>(descriptor: ProviderDescriptor<S>): ProviderDescriptor {
  return descriptor as unknown as ProviderDescriptor;
}
