/**
 * `awsl login` with awsl_enable_keyring against a real GNOME Keyring on a private D-Bus: the
 * password is stored only after the IdP accepted it and removed when the IdP rejects it; an
 * unusable keyring costs little time, says why, and --password-stdin still works.
 */
import { execFile } from 'node:child_process';
import { expect } from 'chai';
import { available as keyringAvailable, SECRET_TOOL, startBusWithoutKeyring, startGnomeKeyring, startWithoutBus, type KeyringEnv } from '../peers/keyring.js';
import { KEYRING_TIMEOUT_MS } from '../../src/state/secret-store.js';
import { requirePeer } from '../support/peers.js';
import { ALICE_ADMIN, USERS, startEcpWorld, type EcpWorld, type Machine } from './ecp-world.js';


async function timedRun(machine: Machine): Promise<{ result: Awaited<ReturnType<Machine['run']>>; ms: number }> {
  const started = performance.now();
  const result = await machine.run(['login', '--profile', 'work']);
  return { result, ms: performance.now() - started };
}

function secretTool(keyring: KeyringEnv, args: string[], input = ''): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(SECRET_TOOL, args, { env: keyring.env, timeout: 5000 }, (error, stdout) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout });
    });
    // A secret-tool that exits before reading (lookup, clear) closes its stdin: its exit code tells.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

describe('awsl login (ecp) with the OS keyring', function () {
  let world: EcpWorld;
  /** alice's keyring account at the world's IdP: username@host:port. */
  let account: string;

  before(async function () {
    requirePeer(this, keyringAvailable(), 'GNOME Keyring (Debian gnome-keyring dbus libsecret-tools)');
    world = await startEcpWorld(this);
    account = `alice@${new URL(world.idp.url).host}`;
  });

  after(async function () {
    await world?.stop();
  });

  /** A machine on `keyring`'s bus with profile work (alice, Admin) and the keyring enabled. */
  async function machineWithKeyring(keyring: KeyringEnv): Promise<Machine> {
    const machine = world.machine({ DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS });
    await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN, '--enable-keyring']);
    return machine;
  }

  describe('an unlocked GNOME keyring', function () {
    let keyring: KeyringEnv;
    const stored = async () => {
      const lookup = await secretTool(keyring, ['lookup', 'service', 'awsl', 'username', account]);
      return lookup.code === 0 ? lookup.stdout : undefined;
    };

    before(async function () {
      keyring = await startGnomeKeyring();
    });

    after(async function () {
      await keyring?.stop();
    });

    beforeEach(async function () {
      await secretTool(keyring, ['clear', 'service', 'awsl', 'username', account]);
    });

    it('stores the password only once the IdP accepted it', async function () {
      const machine = await machineWithKeyring(keyring);

      const wrong = await machine.login('work', [], 'not-alice-password');
      expect(wrong.code, wrong.stderr).to.equal(7);
      expect(await stored(), 'after a rejected password').to.equal(undefined);

      const right = await machine.login('work');
      expect(right.code, right.stderr).to.equal(0);
      expect(await stored(), 'after a successful login').to.equal(USERS.alice.password);
    });

    it('logs in with the stored password when the IdP session has expired, with no stdin and no terminal', async function () {
      const machine = await machineWithKeyring(keyring);
      expect((await machine.login('work')).code).to.equal(0);
      machine.expireIdpSessions();

      const result = await machine.run(['login', '--profile', 'work']);

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.include('Logged in as Admin in account 111111111111.').and.not.to.include('saved IdP session');
      expect(world.issuedFor(machine.credentials('work')).arn).to.equal('arn:aws:sts::111111111111:assumed-role/Admin/alice@example.org');
    });

    it('exits 7 on a wrong stored password, and removes it from the keyring', async function () {
      const machine = await machineWithKeyring(keyring);
      expect((await secretTool(keyring, ['store', '--label', 'awsl test', 'service', 'awsl', 'username', account], 'stale-password')).code).to.equal(0);
      expect(await stored()).to.equal('stale-password');

      const result = await machine.run(['login', '--profile', 'work']);

      expect(result.code, result.stderr).to.equal(7);
      expect(result.stderr).to.include('The IdP rejected the username or password').and.to.include(`Removed the rejected password for ${account} from the keyring`);
      expect(await stored()).to.equal(undefined);
      expect(machine.credentials('work')).to.equal(undefined);
    });

    it('logout --forget removes the stored password', async function () {
      const machine = await machineWithKeyring(keyring);
      expect((await machine.login('work')).code).to.equal(0);
      expect(await stored()).to.equal(USERS.alice.password);

      const result = await machine.run(['logout', '--profile', 'work', '--forget']);

      expect(result.code, result.stderr).to.equal(0);
      expect(await stored()).to.equal(undefined);
    });
  });

  /** Each with what libsecret's error says about it, which awsl passes on. */
  const brokenKeyrings: Array<[string, RegExp, () => Promise<KeyringEnv>]> = [
    ['no D-Bus session bus', /Failed to connect to socket/, startWithoutBus],
    ['a bus with no keyring daemon', /org\.freedesktop\.secrets was not provided/, startBusWithoutKeyring],
    // With the password stored: a locked keyring holding nothing for alice is simply "no password stored".
    ['a locked keyring holding the password', /unlock prompt was dismissed/, async () => {
      const keyring = await startGnomeKeyring();
      expect((await secretTool(keyring, ['store', '--label', 'awsl test', 'service', 'awsl', 'username', account], USERS.alice.password)).code).to.equal(0);
      await keyring.lock();
      return keyring;
    }],
  ];
  for (const [what, why, start] of brokenKeyrings) {
    describe(what, function () {
      let keyring: KeyringEnv;

      before(async function () {
        keyring = await start();
      });

      after(async function () {
        await keyring?.stop();
      });

      it('with no terminal, exits 6 at once (no keyring timeout) saying why the keyring was unusable', async function () {
        // The same login without the keyring, in the same run, is the baseline: the keyring may
        // add its own failure, but not a wait as long as its timeout, however loaded the machine.
        const withoutKeyring = world.machine({ DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS });
        await withoutKeyring.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);
        const baseline = await timedRun(withoutKeyring);
        expect(baseline.result.code, baseline.result.stderr).to.equal(6);
        const machine = await machineWithKeyring(keyring);

        const { result, ms } = await timedRun(machine);

        expect(result.code, result.stderr).to.equal(6);
        expect(result.stderr).to.match(/warning: The OS keyring is unavailable \(read\)/).and.to.match(why).and.to.include('Password for alice');
        expect(ms - baseline.ms, `${ms} ms with the keyring, ${baseline.ms} ms without`).to.be.below(KEYRING_TIMEOUT_MS);
      });

      it('logs in with --password-stdin despite it', async function () {
        const machine = await machineWithKeyring(keyring);

        const result = await machine.login('work');

        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout).to.include('Logged in as Admin in account 111111111111.');
        expect(result.stderr).to.match(/warning: The OS keyring is unavailable/).and.to.match(why);
      });
    });
  }
});
