/**
 * A real, headless GNOME Keyring (Secret Service) on a private D-Bus session bus, plus the three ways
 * a keyring can be unusable. Everything lives in a temp HOME; the environment returned is what child
 * processes need, because libdbus reads the bus address from the environment of the process.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { makeTempDir, startProcess, type PeerProcess } from './process.js';

const DBUS_DAEMON = '/usr/bin/dbus-daemon';
const DBUS_SEND = '/usr/bin/dbus-send';
const GNOME_KEYRING_DAEMON = '/usr/bin/gnome-keyring-daemon';
export const SECRET_TOOL = '/usr/bin/secret-tool';

const SECRETS = 'org.freedesktop.secrets';
const LOGIN_COLLECTION = '/org/freedesktop/secrets/collection/login';

export interface KeyringEnv {
  /** HOME, XDG_* and DBUS_SESSION_BUS_ADDRESS for child processes (the rest of process.env included). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export interface GnomeKeyring extends KeyringEnv {
  /** Locks the login collection through org.freedesktop.Secret.Service.Lock; it stays locked (no prompter to unlock it). */
  lock(): Promise<void>;
}

export function available(): boolean {
  return [DBUS_DAEMON, DBUS_SEND, GNOME_KEYRING_DAEMON, SECRET_TOOL].every((tool) => existsSync(tool));
}

/** A temp HOME with XDG dirs, so neither D-Bus activation nor the keyring touches the real HOME. */
async function privateHome(prefix: string) {
  const temp = await makeTempDir(prefix);
  const home = join(temp.path, 'home');
  const runtime = join(temp.path, 'run');
  await mkdir(runtime, { recursive: true });
  await chmod(runtime, 0o700);
  const xdg = { XDG_DATA_HOME: '.local/share', XDG_CONFIG_HOME: '.config', XDG_CACHE_HOME: '.cache', XDG_STATE_HOME: '.local/state' };
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_RUNTIME_DIR: runtime };
  for (const [name, relative] of Object.entries(xdg)) {
    env[name] = join(home, relative);
    await mkdir(join(home, relative), { recursive: true });
  }
  // No X11 or Wayland session: nothing may fall back to a desktop's bus or prompter.
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.DBUS_SESSION_BUS_ADDRESS;
  return { temp, env, runtime };
}

/** An env whose DBUS_SESSION_BUS_ADDRESS points to a socket that does not exist. */
export async function startWithoutBus(): Promise<KeyringEnv> {
  const { temp, env, runtime } = await privateHome('nobus');
  env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(runtime, 'no-such-bus')}`;
  return { env, stop: temp.remove };
}

/**
 * A private session bus with no service files: nothing is D-Bus-activated, so with no keyring
 * daemon started the Secret Service name simply has no owner.
 */
export async function startBusWithoutKeyring(): Promise<KeyringEnv & { bus: PeerProcess }> {
  const { temp, env, runtime } = await privateHome('dbus');
  const config = join(temp.path, 'session.conf');
  await writeFile(config, `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${join(runtime, 'bus')}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`);
  const bus = startProcess(DBUS_DAEMON, [`--config-file=${config}`, '--nofork', '--print-address=1'], { env });
  try {
    const [, address] = await bus.waitForOutput(/^(unix:path=\S+)$/m, 5000);
    env.DBUS_SESSION_BUS_ADDRESS = address;
  } catch (error) {
    await bus.stop();
    await temp.remove();
    throw error;
  }
  const stop = async () => {
    await bus.stop();
    await temp.remove();
  };
  return { env, bus, stop };
}

/** gnome-keyring-daemon (secrets component) on a private bus, its login keyring created and unlocked. */
export async function startGnomeKeyring(): Promise<GnomeKeyring> {
  const bus = await startBusWithoutKeyring();
  // --unlock reads the password from stdin and creates the login keyring with it; --foreground keeps it in our process group.
  const daemon = startProcess(GNOME_KEYRING_DAEMON, ['--foreground', '--unlock', '--components=secrets'], {
    env: bus.env,
    stdin: randomBytes(12).toString('hex'),
  });
  const stop = async () => {
    await daemon.stop();
    await bus.stop();
  };
  try {
    await waitForLoginCollection(bus.env, daemon, 5000);
  } catch (error) {
    await stop();
    throw error;
  }
  const lock = async () => {
    await dbusSend(bus.env, SECRETS, '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', `array:objpath:${LOGIN_COLLECTION}`);
    const locked = await dbusSend(bus.env, SECRETS, LOGIN_COLLECTION, 'org.freedesktop.DBus.Properties.Get', 'string:org.freedesktop.Secret.Collection', 'string:Locked');
    if (!/boolean true/.test(locked)) throw new Error(`The login keyring did not lock: ${locked}`);
  };
  return { env: bus.env, lock, stop };
}

async function dbusSend(env: NodeJS.ProcessEnv, destination: string, path: string, method: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(DBUS_SEND, ['--session', '--print-reply', `--dest=${destination}`, path, method, ...args], { env, timeout: 5000 });
  return stdout;
}

/** Ready once the daemon owns the Secret Service name and its "default" alias points at the login keyring. */
async function waitForLoginCollection(env: NodeJS.ProcessEnv, daemon: PeerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void daemon.exited.then(() => { exited = true; });
  let last = '';
  while (Date.now() < deadline && !exited) {
    try {
      last = await dbusSend(env, SECRETS, '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.ReadAlias', 'string:default');
      if (last.includes(LOGIN_COLLECTION)) return;
    } catch (error) {
      last = String(error);
    }
    await sleep(20);
  }
  throw new Error(`gnome-keyring-daemon did not serve an unlocked login keyring within ${timeoutMs} ms: ${last}\n${daemon.output()}`);
}
