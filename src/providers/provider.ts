/**
 * An identity provider knows one kind of IdP and nothing about AWS: given the profile's settings,
 * a prompter, the password source, an HTTP client and an abort signal, it returns a SAML Response.
 * Adding an IdP means one folder under src/providers/ and one line in registry.ts.
 */
import type { HttpClient } from '../http.js';
import type { ProfileSettings } from '../settings.js';
import type { Logger } from '../ui/logger.js';
import type { Prompter } from '../ui/prompter.js';
import type { SecretStore } from '../state/secret-store.js';
import type { PasswordSource } from '../pipeline/password.js';

/** What the user gave on this run's command line (never the password). */
export interface LoginOptions {
  /** Duo factor for this run (ECP). */
  duoFactor?: string;
  /** First one-time code: Duo passcode (ECP) or OTP (OneLogin). */
  passcode?: string;
  /** OneLogin MFA device, id or type. */
  mfaDevice?: string;
}

export interface ProviderContext {
  settings: ProfileSettings;
  prompter: Prompter;
  password: PasswordSource;
  /** The OS keyring, opened lazily, for secrets other than the password (OneLogin client secret). */
  secrets: SecretStore;
  /** Per-profile HTTP client (TLS settings applied); cookies are the provider's business. */
  http: HttpClient;
  /** ~/.aws/awsl: the provider's caches and cookie jars live here. */
  stateDirectory: string;
  logger: Logger;
  signal: AbortSignal;
  options: LoginOptions;
  /** Where the assertion must be addressed: the partition's AWS sign-in SAML endpoint. */
  acsUrl: string;
}

export interface AuthenticationResult {
  /** base64 of the samlp:Response element, as STS wants it. */
  samlResponse: string;
  /** The request ID the Response must answer (ECP); undefined when the IdP initiated it (OneLogin). */
  inResponseTo?: string;
  /** True when no password or second factor was asked (saved IdP session). */
  usedSavedSession: boolean;
}

/**
 * The IdP session a login with some settings belongs to. Parallel logins of one session (several
 * profiles, one IdP and user) authenticate once: the others wait, then reuse what it left —
 * 'idp-session': the session the IdP keeps (a cookie jar the provider saves and tries first);
 * 'assertion': the IdP keeps none, so the assertion itself is reused while it is valid.
 */
export interface SharedSession {
  /** Names the IdP and the user, never a secret. */
  key: string;
  reuse: 'idp-session' | 'assertion';
}

export interface Provider {
  readonly name: string;
  authenticate(context: ProviderContext): Promise<AuthenticationResult>;
  /** The session these settings log in to; undefined when they do not say who logs in where (awsl will ask). */
  sharedSession?(settings: ProfileSettings): SharedSession | undefined;
  /** Whether an IdP session is saved for this profile (for status). */
  hasSavedSession(context: Pick<ProviderContext, 'settings' | 'stateDirectory'>): Promise<boolean>;
  /**
   * Forgets the IdP session (cookies, cached tokens) and the stored password for this profile;
   * the password's keyring account is keyringAccount(username, host) with the same host that
   * authenticate() gives to password.get().
   */
  forgetSession(context: Pick<ProviderContext, 'settings' | 'stateDirectory' | 'secrets'>): Promise<void>;
}
