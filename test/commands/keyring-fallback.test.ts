/**
 * An unusable OS keyring falls back to the password prompt on a terminal within 2 s, and the login
 * then works: no D-Bus, a bus without a keyring daemon, and a bus that accepts the connection and
 * never answers (which used to block awsl forever: the native binding connects synchronously).
 * The no-terminal cases (exit 6 quickly) are test/commands/keyring-login.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { available as keyringAvailable, startBusWithoutKeyring, startWithoutBus, type KeyringEnv } from '../peers/keyring.js';
import { SIMPLESAMLPHP_USERS } from '../peers/simplesamlphp/index.js';
import { runAwslInTerminal } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';
import { startSamlWorld, type SamlUser, type SamlWorld } from './saml-world.js';

const alice = SIMPLESAMLPHP_USERS.alice;
const ADMIN = alice.roles[0]!.roleArn;
/** What an unusable keyring may add to the time until the password prompt shows. */
const FALLBACK_BUDGET_MS = 2000;

/** A "session bus" that accepts connections and never says a word: a hung bus or keyring daemon. */
async function startHungBus(): Promise<KeyringEnv> {
  const folder = mkdtempSync(join(tmpdir(), 'awsl-hung-bus-'));
  const path = join(folder, 'bus');
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}` },
    stop: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => {
        rmSync(folder, { recursive: true, force: true });
        resolve();
      });
    }),
  };
}

describe('awsl login falls back to the password prompt when the keyring is unusable', function () {
  this.timeout(60_000);
  let world: SamlWorld;

  before(async function () {
    requirePeer(this, keyringAvailable(), 'GNOME Keyring tools (Debian gnome-keyring dbus libsecret-tools)');
    world = await startSamlWorld(this);
  });

  after(async function () {
    await world?.stop();
  });

  /** Runs a terminal login, typing the password when asked; returns how long the prompt took to show. */
  async function loginOnTerminal(user: SamlUser): Promise<{ code: number; screen: string; promptMs: number }> {
    const started = Date.now();
    let promptMs = -1;
    const result = await runAwslInTerminal(['login', '--profile', 'p'], {
      env: user.sandbox.env,
      steps: [{ expect: 'Password for alice', send: () => { promptMs = Date.now() - started; return `${alice.password}\r`; } }],
      timeoutMs: 30_000,
    });
    return { ...result, promptMs };
  }

  let baselineMs: number;

  before(async function () {
    // The same login without the keyring: what starting awsl and reaching the prompt costs here.
    const timings: number[] = [];
    for (let run = 0; run < 3; run++) {
      const user = world.user('alice');
      await user.configure('p', ['--role-arn', ADMIN]);
      const { code, screen, promptMs } = await loginOnTerminal(user);
      expect(code, screen).to.equal(0);
      timings.push(promptMs);
    }
    baselineMs = timings.reduce((sum, ms) => sum + ms, 0) / timings.length;
  });

  const keyrings: Array<[string, () => Promise<KeyringEnv>, RegExp]> = [
    ['no D-Bus session bus', startWithoutBus, /The OS keyring is unavailable \(no D-Bus session bus\)/],
    ['a bus with no keyring daemon', startBusWithoutKeyring, /The OS keyring is unavailable \(no keyring service/],
    ['a bus that accepts the connection and never answers', startHungBus, /The OS keyring is unavailable \(it did not answer within 1500 ms\)/],
  ];
  for (const [what, start, warning] of keyrings) {
    it(`${what}: the prompt shows within ${FALLBACK_BUDGET_MS} ms more than without a keyring, and the login works`, async function () {
      const keyring = await start();
      try {
        const user = world.user('alice', { DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS });
        await user.configure('p', ['--role-arn', ADMIN, '--enable-keyring']);
        const { code, screen, promptMs } = await loginOnTerminal(user);
        expect(code, screen).to.equal(0);
        expect(screen).to.match(warning);
        expect(promptMs - baselineMs, `prompt after ${promptMs} ms, ${baselineMs} ms without a keyring`).to.be.below(FALLBACK_BUDGET_MS);
        expect(user.credentials('p')?.awsl_role_arn).to.equal(ADMIN);
      } finally {
        await keyring.stop();
      }
    });
  }

  it('a hung keyring does not hang logout --forget either', async function () {
    const keyring = await startHungBus();
    try {
      const user = world.user('alice', { DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS });
      await user.configure('p', ['--role-arn', ADMIN, '--enable-keyring']);
      const started = Date.now();
      const result = await user.run(['logout', '--profile', 'p', '--forget']);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr).to.include('did not answer within 1500 ms');
      expect(Date.now() - started).to.be.below(baselineMs + FALLBACK_BUDGET_MS + 1000);
    } finally {
      await keyring.stop();
    }
  });
});
