/**
 * osKeyring (src/state/secret-store.ts) against a real GNOME Keyring, and against the three ways a
 * keyring is unusable. Each check runs in a child process: libdbus reads the bus address from the
 * environment once, so every environment needs its own process.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { KEYRING_TIMEOUT_MS } from '../../src/state/secret-store.js';
import { requirePeer } from '../support/peers.js';
import { SECRET_TOOL, available, startBusWithoutKeyring, startGnomeKeyring, startWithoutBus, type GnomeKeyring, type KeyringEnv } from './keyring.js';

const SECRET_STORE = fileURLToPath(new URL('../../src/state/secret-store.ts', import.meta.url));
const SERVICE = 'awsl';
/**
 * What a failing keyring may cost a command, per operation: never more than awsl's own keyring
 * timeout, with room for a loaded machine (that the failure is the keyring's own, not the timeout,
 * the messages tell).
 */
const FAILURE_BUDGET_MS = KEYRING_TIMEOUT_MS + 2000;

type Operation = ['get', string] | ['set', string, string] | ['delete', string];
type Outcome =
  | { ok: true; value: string | boolean | null; ms: number }
  | { ok: false; name: string; exitCode: number | undefined; message: string; ms: number };

// Runs the operations in order in a fresh node process and reports each outcome; the process must exit on its own.
const RUNNER = `
const { osKeyring } = await import(process.env.AWSL_SECRET_STORE);
const store = osKeyring(${JSON.stringify(SERVICE)});
const outcomes = [];
for (const [operation, account, secret] of JSON.parse(process.env.AWSL_OPERATIONS)) {
  const started = performance.now();
  try {
    const value = operation === 'set' ? await store.set(account, secret) : await store[operation](account);
    outcomes.push({ ok: true, value: value ?? null, ms: performance.now() - started });
  } catch (error) {
    outcomes.push({ ok: false, name: error.constructor.name, exitCode: error.exitCode, message: error.message, ms: performance.now() - started });
  }
}
process.stdout.write(JSON.stringify(outcomes));
`;

async function runSecretStore(env: NodeJS.ProcessEnv, operations: Operation[]): Promise<{ outcomes: Outcome[]; wallMs: number }> {
  const started = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', RUNNER], {
    env: { ...env, AWSL_SECRET_STORE: SECRET_STORE, AWSL_OPERATIONS: JSON.stringify(operations) },
    // A child that hangs is a failure in itself: kill it rather than the suite's timeout.
    timeout: 15_000,
  });
  return { outcomes: JSON.parse(stdout) as Outcome[], wallMs: performance.now() - started };
}

async function secretTool(env: NodeJS.ProcessEnv, args: string[], input?: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(SECRET_TOOL, args, { env, timeout: 5000 }, (error, stdout) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout });
    });
    child.stdin?.end(input ?? '');
  });
}

function expectKeyringErrors(outcomes: Outcome[], count: number): void {
  expect(outcomes).to.have.length(count);
  for (const outcome of outcomes) {
    expect(outcome, JSON.stringify(outcome)).to.include({ ok: false, name: 'KeyringError', exitCode: 13 });
    expect(outcome.ms, `${JSON.stringify(outcome)} within ${FAILURE_BUDGET_MS} ms`).to.be.below(FAILURE_BUDGET_MS);
  }
}

describe('peer: GNOME Keyring through osKeyring', function () {
  before(function () {
    requirePeer(this, available(), 'GNOME Keyring (Debian gnome-keyring dbus libsecret-tools)');
  });

  describe('unlocked keyring', function () {
    let keyring: GnomeKeyring;

    before(async function () {
      keyring = await startGnomeKeyring();
    });

    after(async function () {
      await keyring?.stop();
    });

    it('stores, reads, and deletes a secret', async function () {
      const { outcomes } = await runSecretStore(keyring.env, [
        ['get', 'alice'],
        ['set', 'alice', 'p@ss wörd "quoted"'],
        ['get', 'alice'],
        ['set', 'alice', 'second'],
        ['get', 'alice'],
        ['delete', 'alice'],
        ['get', 'alice'],
        ['delete', 'alice'],
      ]);
      expect(outcomes.map((outcome) => (outcome.ok ? outcome.value : outcome.message))).to.deep.equal([
        null, null, 'p@ss wörd "quoted"', null, 'second', true, null, false,
      ]);
    });

    it('writes to the Secret Service, where secret-tool finds it (attributes service and username)', async function () {
      const { outcomes } = await runSecretStore(keyring.env, [['set', 'bob', 'bob-secret']]);
      expect(outcomes[0]).to.include({ ok: true });
      const lookup = await secretTool(keyring.env, ['lookup', 'service', SERVICE, 'username', 'bob']);
      expect(lookup).to.deep.equal({ code: 0, stdout: 'bob-secret' });
    });

    it('reads a secret another Secret Service client stored under the same attributes', async function () {
      const store = await secretTool(keyring.env, ['store', '--label=awsl test', 'service', SERVICE, 'username', 'carol'], 'carol-secret');
      expect(store.code).to.equal(0);
      const { outcomes } = await runSecretStore(keyring.env, [['get', 'carol']]);
      expect(outcomes[0]).to.include({ ok: true, value: 'carol-secret' });
    });
  });

  describe('unusable keyrings fail with KeyringError quickly, and the process still exits', function () {
    const failing: [string, () => Promise<KeyringEnv>][] = [
      ['no session bus (address of a missing socket)', startWithoutBus],
      ['no session bus address at all', async () => {
        const noBus = await startWithoutBus();
        delete noBus.env.DBUS_SESSION_BUS_ADDRESS;
        return noBus;
      }],
      ['a session bus with no keyring daemon', startBusWithoutKeyring],
    ];
    for (const [what, start] of failing) {
      it(what, async function () {
        const peer = await start();
        try {
          const { outcomes, wallMs } = await runSecretStore(peer.env, [['get', 'alice'], ['set', 'alice', 'x'], ['delete', 'alice']]);
          expectKeyringErrors(outcomes, 3);
          expect(wallMs).to.be.below(10_000);
        } finally {
          await peer.stop();
        }
      });
    }

    it('a locked keyring: an existing secret is an error, not "no secret stored"', async function () {
      const keyring = await startGnomeKeyring();
      try {
        const before = await runSecretStore(keyring.env, [['set', 'alice', 'alice-secret']]);
        expect(before.outcomes[0]).to.include({ ok: true });
        await keyring.lock();
        const { outcomes, wallMs } = await runSecretStore(keyring.env, [['get', 'alice'], ['set', 'alice', 'x'], ['delete', 'alice']]);
        expectKeyringErrors(outcomes, 3);
        expect(wallMs).to.be.below(10_000);
      } finally {
        await keyring.stop();
      }
    });
  });
});
