/**
 * Secrets (IdP password, a provider's API client secret) live only in the OS keyring. The binding
 * is loaded and the keyring opened only when a command needs a secret, in a child process with a timeout, so
 * a missing D-Bus, a missing daemon, a locked keyring or one that never answers turns into a
 * KeyringError within seconds.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { isSea } from 'node:sea';
import { KeyringError } from '../errors.js';

export interface SecretStore {
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** true when something was deleted. */
  delete(account: string): Promise<boolean>;
}

export const KEYRING_SERVICE = 'awsl';
export const KEYRING_TIMEOUT_MS = 1500;

/**
 * Each keyring operation runs in a short-lived node process of its own. The native binding opens
 * its D-Bus connection synchronously, on the calling thread: a bus or keyring daemon that accepts
 * the connection and never answers would block awsl itself, where no timeout can fire. A child
 * process can always be killed. The secret travels on the child's stdin and stdout, never in its
 * arguments or environment.
 */
export const KEYRING_HELPER = `
const { AsyncEntry } = require(process.argv[1]);
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', async () => {
  let reply;
  try {
    const { service, account, operation, secret } = JSON.parse(input);
    const entry = new AsyncEntry(service, account, { linux: { store: 'secret-service' } });
    const value = operation === 'get' ? await entry.getPassword() : operation === 'set' ? await entry.setPassword(secret) : await entry.deleteCredential();
    reply = { ok: true, value: value === undefined ? null : value };
  } catch (error) {
    reply = { ok: false, message: String((error && error.message) || error) };
  }
  process.stdout.write(JSON.stringify(reply), () => process.exit(0));
});`;

/** The single binary takes no node options: it runs the helper when given this word first (src/sea/main.ts). */
export const SEA_KEYRING_HELPER = '__awsl-keyring-helper';

/** How the child is started: node evaluates the helper; the single binary runs its own copy of it. */
export function keyringHelperArguments(binding: string, singleBinary: boolean): string[] {
  return singleBinary ? [SEA_KEYRING_HELPER, binding] : ['-e', KEYRING_HELPER, binding];
}

type Operation = 'get' | 'set' | 'delete';

/** The OS keyring; on Linux pinned to the Secret Service so it never silently falls back to the kernel keyring. */
export function osKeyring(service = KEYRING_SERVICE, timeoutMs = KEYRING_TIMEOUT_MS): SecretStore {
  const run = (operation: Operation, what: string, account: string, secret?: string) => new Promise<unknown>((resolve, reject) => {
    let binding: string;
    try {
      binding = createRequire(import.meta.url).resolve('@napi-rs/keyring');
    } catch (error) {
      reject(new KeyringError(`The OS keyring is unavailable (${what}): its binding cannot be loaded (${(error as Error).message}).`, keyringHint, { cause: error }));
      return;
    }
    const child = spawn(process.execPath, keyringHelperArguments(binding, isSea()), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => settle(() => {
      child.kill('SIGKILL');
      reject(new KeyringError(`The OS keyring did not answer within ${timeoutMs} ms (${what}).`, keyringHint));
    }), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.stdin.on('error', () => undefined);
    child.once('error', (error) => settle(() => reject(new KeyringError(`The OS keyring is unavailable (${what}): ${error.message}`, keyringHint, { cause: error }))));
    child.once('close', (code) => settle(() => {
      let reply: { ok: boolean; value?: unknown; message?: string } | undefined;
      try {
        reply = JSON.parse(stdout) as typeof reply;
      } catch {
        reply = undefined;
      }
      if (reply?.ok) resolve(reply.value);
      else reject(new KeyringError(`The OS keyring is unavailable (${what}): ${reply?.message ?? (stderr.trim().split('\n').at(-1) || `exit ${code}`)}`, keyringHint));
    }));
    child.stdin.end(JSON.stringify({ service, account, operation, secret }));
  });
  return {
    get: async (account) => ((await run('get', 'read', account)) as string | null) ?? undefined,
    set: async (account, secret) => { await run('set', 'write', account, secret); },
    delete: async (account) => (await run('delete', 'delete', account)) === true,
  };
}

const keyringHint = 'On Linux awsl uses the Secret Service (GNOME Keyring, KWallet): check that a D-Bus session and an unlocked keyring are running. awsl will ask for the secret instead.';
