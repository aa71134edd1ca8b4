/**
 * `awsl login` (onelogin) with awsl_enable_keyring against a real GNOME Keyring on a private D-Bus:
 * a password OneLogin refuses never reaches the keyring; the one it accepts does.
 */
import { execFile } from 'node:child_process';
import { expect } from 'chai';
import { available as keyringAvailable, SECRET_TOOL, startGnomeKeyring, type GnomeKeyring } from '../peers/keyring.js';
import { createSandbox, type Sandbox } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';
import { ONELOGIN, startOneLoginWorld, type OneLoginWorld } from './onelogin-world.js';

/** The keyring account awsl keeps the OneLogin password under: username@<subdomain>.onelogin.com. */
const ACCOUNT = `${ONELOGIN.username}@acme.onelogin.com`;

function lookup(keyring: GnomeKeyring): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(SECRET_TOOL, ['lookup', 'service', 'awsl', 'username', ACCOUNT], { env: keyring.env, timeout: 10_000 }, (error, stdout) => {
      resolve(error ? undefined : stdout);
    });
  });
}

describe('awsl login (onelogin) with the OS keyring', function () {
  let world: OneLoginWorld;
  let keyring: GnomeKeyring;
  let sandbox: Sandbox;
  let bus: NodeJS.ProcessEnv;

  before(async function () {
    requirePeer(this, keyringAvailable(), 'GNOME Keyring (Debian gnome-keyring dbus libsecret-tools)');
    keyring = await startGnomeKeyring();
    world = await startOneLoginWorld();
    sandbox = createSandbox();
    bus = { DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS };
    await world.configure(sandbox, 'ol', bus, ['--enable-keyring']);
  });

  after(async function () {
    sandbox?.remove();
    await world?.stop();
    await keyring?.stop();
  });

  it('stores the password only once OneLogin accepted it', async function () {
    const wrong = await world.login(sandbox, 'ol', [], bus, 'not-olivia-password');
    // OneLogin refused it; with no terminal to ask again on, the login stops.
    expect(wrong.code, wrong.stderr).to.be.oneOf([6, 7]);
    expect(wrong.stderr).to.include('OneLogin rejected the username or password');
    expect(await lookup(keyring), 'after a rejected password').to.equal(undefined);

    const right = await world.login(sandbox, 'ol', [], bus);
    expect(right.code, right.stderr).to.equal(0);
    expect(await lookup(keyring), 'after a successful login').to.equal(ONELOGIN.password);
  });
});
