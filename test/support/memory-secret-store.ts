/** A keyring in memory, for tests that need one but not the OS's (test/peers/keyring.ts has that). */
import type { SecretStore } from '../../src/state/secret-store.js';

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
