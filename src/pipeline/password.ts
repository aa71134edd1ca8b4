/**
 * Where a login's password comes from: --password-stdin, then the keyring (when enabled), then a
 * prompt. It goes into the keyring only after the IdP accepted it, and out when the IdP rejects it.
 */
import { KeyringError } from '../errors.js';
import { keyringAccount, type PasswordSource } from '../providers/provider.js';
import type { SecretStore } from '../state/secret-store.js';
import type { Logger } from '../ui/logger.js';
import type { Prompter } from '../ui/prompter.js';

export interface PasswordSourceOptions {
  enableKeyring: boolean;
  secrets: SecretStore;
  prompter: Prompter;
  logger: Logger;
  /** Read from standard input by --password-stdin. */
  stdinPassword?: string;
  /** The command to name when a prompt is needed but there is no terminal. */
  unattendedHint: string;
}

export function createPasswordSource(options: PasswordSourceOptions): PasswordSource {
  let stdinPassword = options.stdinPassword;
  let last: { account: string; password: string; fromKeyring: boolean } | undefined;
  let keyringUsable = options.enableKeyring;

  const keyringCall = async <T>(operation: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof KeyringError)) throw error;
      keyringUsable = false;
      options.logger.warn(`${error.message}\n${error.hint ?? ''}`.trim());
      return undefined;
    }
  };

  return {
    async get(username, host) {
      const account = keyringAccount(username, host);
      if (stdinPassword !== undefined) {
        last = { account, password: stdinPassword, fromKeyring: false };
        stdinPassword = undefined;
        return last.password;
      }
      if (keyringUsable && last?.account !== account) {
        const stored = await keyringCall(() => options.secrets.get(account));
        if (stored) {
          last = { account, password: stored, fromKeyring: true };
          return stored;
        }
      }
      const password = await options.prompter.ask(`Password for ${username}`, { secret: true, unattendedHint: options.unattendedHint });
      last = { account, password, fromKeyring: false };
      return password;
    },
    async accepted() {
      if (!last || last.fromKeyring || !keyringUsable) return;
      const { account, password } = last;
      await keyringCall(() => options.secrets.set(account, password));
    },
    async rejected() {
      if (!last) return;
      const { account, fromKeyring } = last;
      if (fromKeyring && keyringUsable) {
        await keyringCall(() => options.secrets.delete(account));
        options.logger.info(`Removed the rejected password for ${account} from the keyring.`);
      }
      // Keep the account so a retry prompts rather than re-reading the keyring.
      last = { account, password: '', fromKeyring: false };
    },
  };
}
