/**
 * Where a login's password comes from: --password-stdin, then the keyring (when enabled), then a
 * prompt. It goes into the keyring only after the IdP accepted it, and out when the IdP rejects it.
 * When the IdP refuses the login without saying whether the password or the second factor failed,
 * a stored password stays while a person is at the terminal, who saw whether the factor asked; with no one
 * there it goes too, or every credential_process call would send a maybe-wrong password again
 * until the directory locks the account.
 * The same rules for every provider: an empty password is never sent; a rejected password typed at
 * the prompt may be asked for once more, never more (directories lock accounts after a few tries);
 * one from --password-stdin or the keyring is not replaced by a prompt.
 */
import { KeyringError } from '../errors.js';
import { keyringUnavailable } from '../state/keyring-notice.js';
import { keyringAccount, type PasswordSource } from '../providers/provider.js';
import type { SecretStore } from '../state/secret-store.js';
import type { Logger } from '../ui/logger.js';
import type { Prompter } from '../ui/prompter.js';

/** Re-asks after a rejected typed password: one, as the lockout policies of directories expect. */
const TYPED_RETRIES = 1;

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
  let last: { account: string; password: string; source: 'stdin' | 'keyring' | 'prompt' } | undefined;
  let keyringUsable = options.enableKeyring;
  let typedRejections = 0;
  let lastRejectedWasTyped = false;

  const keyringCall = async <T>(operation: () => Promise<T>, instead: string): Promise<T | undefined> => {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof KeyringError)) throw error;
      keyringUsable = false;
      keyringUnavailable(options.logger, error, instead);
      return undefined;
    }
  };

  return {
    async get(username, host) {
      const account = keyringAccount(username, host);
      if (stdinPassword !== undefined) {
        last = { account, password: stdinPassword, source: 'stdin' };
        stdinPassword = undefined;
        return last.password;
      }
      if (keyringUsable && last?.account !== account) {
        const stored = await keyringCall(() => options.secrets.get(account), 'awsl asks for the password instead.');
        if (stored) {
          last = { account, password: stored, source: 'keyring' };
          return stored;
        }
      }
      for (;;) {
        const password = await options.prompter.ask(`Password for ${username}`, { secret: true, unattendedHint: options.unattendedHint });
        if (password !== '') {
          last = { account, password, source: 'prompt' };
          return password;
        }
        // Sending it would cost a round trip and, at many IdPs, one of the attempts before lockout.
        options.prompter.say('The password is empty: type it, or press Ctrl-C to cancel.');
      }
    },
    async accepted() {
      if (!last || last.source === 'keyring' || !keyringUsable) return;
      const { account, password } = last;
      await keyringCall(() => options.secrets.set(account, password), 'the password was not stored in it.');
    },
    async rejected() {
      if (!last) return;
      const { account, source } = last;
      lastRejectedWasTyped = source === 'prompt';
      if (lastRejectedWasTyped) typedRejections += 1;
      if (source === 'keyring' && keyringUsable) {
        const removed = await keyringCall(() => options.secrets.delete(account), `the rejected password of ${account} could not be removed from it.`);
        if (removed !== undefined) options.logger.info(`Removed the rejected password for ${account} from the keyring.`);
      }
      // Keep the account so a retry prompts rather than re-reading the keyring.
      last = { account, password: '', source: 'prompt' };
    },
    async doubted() {
      lastRejectedWasTyped = last?.source === 'prompt';
      if (lastRejectedWasTyped) typedRejections += 1;
      if (last?.source !== 'keyring' || !keyringUsable || options.prompter.interactive) return;
      const { account } = last;
      const removed = await keyringCall(() => options.secrets.delete(account), `the password of ${account} could not be removed from it.`);
      if (removed !== undefined) options.logger.info(`Removed the stored password for ${account} from the keyring: with no one at a terminal to see whether the second factor asked, awsl does not send it again. A login at a terminal stores it again.`);
      last = { account, password: '', source: 'prompt' };
    },
    mayAskAgain() {
      return lastRejectedWasTyped && typedRejections <= TYPED_RETRIES && options.prompter.interactive;
    },
  };
}
