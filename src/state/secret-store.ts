/**
 * Secrets (IdP password, OneLogin client secret) live only in the OS keyring. The binding is loaded
 * and the keyring opened only when a command needs a secret, and every call has a timeout, so a
 * missing D-Bus, a missing daemon or a locked keyring turns into a KeyringError within seconds.
 */
import { KeyringError } from '../errors.js';

export interface SecretStore {
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** true when something was deleted. */
  delete(account: string): Promise<boolean>;
}

export const KEYRING_SERVICE = 'awsl';
export const KEYRING_TIMEOUT_MS = 1500;

type KeyringModule = typeof import('@napi-rs/keyring');
let keyringModule: Promise<KeyringModule> | undefined;

/** The OS keyring; on Linux pinned to the Secret Service so it never silently falls back to the kernel keyring. */
export function osKeyring(service = KEYRING_SERVICE, timeoutMs = KEYRING_TIMEOUT_MS): SecretStore {
  const entry = async (account: string) => {
    keyringModule ??= import('@napi-rs/keyring');
    const { AsyncEntry } = await keyringModule;
    return new AsyncEntry(service, account, { linux: { store: 'secret-service' } });
  };
  const withTimeout = async <T>(what: string, operation: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new KeyringError(`The OS keyring did not answer within ${timeoutMs} ms (${what}).`, keyringHint));
      }, timeoutMs);
    });
    try {
      return await Promise.race([operation(controller.signal), timeout]);
    } catch (error) {
      if (error instanceof KeyringError) throw error;
      throw new KeyringError(`The OS keyring is unavailable (${what}): ${(error as Error).message}`, keyringHint, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    get: (account) => withTimeout('read', async (signal) => (await (await entry(account)).getPassword(signal)) ?? undefined),
    set: (account, secret) => withTimeout('write', async (signal) => (await entry(account)).setPassword(secret, signal)),
    delete: (account) => withTimeout('delete', async (signal) => (await entry(account)).deleteCredential(signal)),
  };
}

const keyringHint = 'On Linux awsl uses the Secret Service (GNOME Keyring, KWallet): check that a D-Bus session and an unlocked keyring are running. awsl will ask for the secret instead.';
