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
      reject(unavailable('its binding cannot be loaded', `${what}: ${(error as Error).message}`, error));
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
      reject(unavailable(`it did not answer within ${timeoutMs} ms`, `${what}: timed out`));
    }), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.stdin.on('error', () => undefined);
    child.once('error', (error) => settle(() => reject(unavailable('its helper process could not start', `${what}: ${error.message}`, error))));
    child.once('close', (code) => settle(() => {
      let reply: { ok: boolean; value?: unknown; message?: string } | undefined;
      try {
        reply = JSON.parse(stdout) as typeof reply;
      } catch {
        reply = undefined;
      }
      if (reply?.ok) resolve(reply.value);
      else {
        const detail = reply?.message ?? (stderr.trim().split('\n').at(-1) || `exit ${code}`);
        reject(unavailable(reasonOf(detail), `${what}: ${detail}`));
      }
    }));
    child.stdin.end(JSON.stringify({ service, account, operation, secret }));
  });
  return {
    get: async (account) => ((await run('get', 'read', account)) as string | null) ?? undefined,
    set: async (account, secret) => { await run('set', 'write', account, secret); },
    delete: async (account) => (await run('delete', 'delete', account)) === true,
  };
}

const keyringHint = 'On Linux awsl uses the Secret Service (GNOME Keyring, KWallet): it needs a D-Bus session and an unlocked keyring.';

/** The platform's message in a few words a person can act on. */
function reasonOf(detail: string): string {
  if (/Failed to connect to socket|No such file or directory|DBUS_SESSION_BUS_ADDRESS|Unable to autolaunch|Connection refused/i.test(detail)) return 'no D-Bus session bus';
  if (/ServiceUnknown|org\.freedesktop\.secrets|was not provided by any \.service files/i.test(detail)) return 'no keyring service (such as GNOME Keyring) on the D-Bus session';
  if (/locked|dismissed|prompt/i.test(detail)) return 'the keyring is locked';
  return 'the platform refused the request';
}

function unavailable(reason: string, detail: string, cause?: unknown): KeyringError {
  const error = new KeyringError(`The OS keyring is unavailable (${reason})`, keyringHint, cause === undefined ? undefined : { cause });
  error.detail = detail;
  return error;
}
