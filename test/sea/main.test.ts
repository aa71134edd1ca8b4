/**
 * The single awsl binary (npm run build:binary), built from this Node, run with no Node on PATH
 * (PATH points nowhere): --version, configure, a full login against the real SimpleSAMLphp and
 * the STS stand-in, the real GNOME keyring, and the AWS CLI running the credential_process line
 * that names the binary.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { AWS_CLI, available as awsCliAvailable } from '../peers/aws-cli.js';
import { available as keyringAvailable, SECRET_TOOL, startGnomeKeyring, type GnomeKeyring } from '../peers/keyring.js';
import { ALICE_ADMIN, startEcpWorld, USERS, type EcpWorld, type Machine } from '../commands/ecp-world.js';
import { runProcess, type RunResult } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';

const { version: VERSION } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

const BINARY = resolve('release', 'awsl');
const NO_PATH = '/nonexistent';

describe('the single awsl binary (Node SEA), with no Node on PATH', function () {
  this.timeout(120_000);
  let world: EcpWorld;
  let keyring: GnomeKeyring;

  before(async function () {
    this.timeout(600_000);
    requirePeer(this, awsCliAvailable(), 'AWS CLI v2 at /usr/bin/aws (Debian awscli)');
    requirePeer(this, keyringAvailable(), 'GNOME Keyring (Debian gnome-keyring dbus libsecret-tools)');
    world = await startEcpWorld(this);
    keyring = await startGnomeKeyring();
    execFileSync(process.execPath, ['scripts/build-binary.mjs'], { stdio: ['ignore', 'pipe', 'pipe'] });
  });

  after(async function () {
    await keyring?.stop();
    await world?.stop();
  });

  const machineWithoutNode = (): { machine: Machine; run: (args: string[], input?: string) => Promise<RunResult> } => {
    const machine = world.machine({ PATH: NO_PATH, DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS });
    return { machine, run: (args, input) => runProcess(BINARY, args, { env: machine.sandbox.env, input }) };
  };

  it('is one executable that answers --version with the Node built into it', async function () {
    expect(statSync(BINARY).mode & 0o111).to.not.equal(0);
    const { run } = machineWithoutNode();
    const result = await run(['--version']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal(`awsl/${VERSION} ${process.platform}-${process.arch} node-${process.version}\n`);
    expect(result.stderr).to.equal('');
  });

  it('configures, logs in, keeps the password in the keyring, and the AWS CLI runs the line that names the binary', async function () {
    const { machine, run } = machineWithoutNode();
    const configured = await run(['login', 'configure', '--profile', 'demo', '--provider', 'ecp', '--ecp-endpoint-url', world.idp.url,
      '--username', 'alice', '--role-arn', ALICE_ADMIN, '--enable-keyring', '--credential-process', '--no-prompt']);
    expect(configured.code, configured.stderr).to.equal(0);
    const line = `${BINARY} credential-process --profile demo`;
    expect(machine.sandbox.env.AWS_CONFIG_FILE && (await awsGet(machine, 'credential_process'))).to.equal(line);

    const login = await run(['--profile', 'demo', 'login', '--password-stdin'], `${USERS.alice.password}\n`);
    expect(login.code, login.stderr).to.equal(0);
    expect(login.stdout).to.include('Logged in as Admin in account 111111111111.');
    const account = `alice@${new URL(world.idp.url).host}`;
    expect(await secretLookup(account)).to.equal(USERS.alice.password);

    // No IdP session and no stdin: the password comes from the keyring, through the binary's helper.
    machine.expireIdpSessions();
    const again = await run(['--profile', 'demo', 'login']);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.include('Logged in as Admin in account 111111111111.');

    const printed = await run(['credential-process', '--profile', 'demo']);
    expect(printed.code, printed.stderr).to.equal(0);
    expect(JSON.parse(printed.stdout)).to.include({ Version: 1, AccountId: '111111111111' }).and.to.have.all.keys('Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration', 'AccountId');

    const identity = await runProcess(AWS_CLI, ['sts', 'get-caller-identity', '--profile', 'demo', '--endpoint-url', world.sts.url, '--region', 'us-east-1', '--output', 'text', '--query', 'Arn'],
      { env: { ...machine.sandbox.env, AWS_PAGER: '' } });
    expect(identity.code, identity.stderr).to.equal(0);
    expect(identity.stdout.trim()).to.equal('arn:aws:sts::111111111111:assumed-role/Admin/alice@example.org');
  });

  it('unpacks itself once per build, privately, and under the temporary folder when HOME is not writable', async function () {
    const { machine, run } = machineWithoutNode();
    expect((await run(['--version'])).code).to.equal(0);
    const unpacked = join(machine.sandbox.home, '.cache', 'awsl', 'sea');
    const [build, ...others] = readdirSync(unpacked);
    expect(others).to.deep.equal([]);
    expect(statSync(join(unpacked, build!)).mode & 0o077).to.equal(0);
    expect(statSync(join(unpacked, build!, 'bin', 'run.js')).mode & 0o777).to.equal(0o700);

    // A HOME that is a file: no folder can be made under it, even by root.
    const notAFolder = join(machine.sandbox.home, 'not-a-folder');
    writeFileSync(notAFolder, '');
    const fallback = join(tmpdir(), `awsl-sea-${process.getuid?.()}`);
    const existed = existsSync(fallback);
    try {
      const homeless = await runProcess(BINARY, ['--version'], { env: { ...machine.sandbox.env, HOME: notAFolder, XDG_CACHE_HOME: '' } });
      expect(homeless.code, homeless.stderr).to.equal(0);
      expect(existsSync(join(fallback, build!, '.complete'))).to.equal(true);
      expect(statSync(fallback).mode & 0o777).to.equal(0o700);
    } finally {
      if (!existed) rmSync(fallback, { recursive: true, force: true });
    }
  });

  function awsGet(machine: Machine, key: string): Promise<string> {
    return machine.aws(['configure', 'get', key, '--profile', 'demo']).then((result) => result.stdout.trim());
  }

  function secretLookup(account: string): Promise<string | undefined> {
    return new Promise((resolvePromise) => {
      execFile(SECRET_TOOL, ['lookup', 'service', 'awsl', 'username', account], { env: keyring.env, timeout: 5000 }, (error, stdout) => {
        resolvePromise(error ? undefined : stdout);
      });
    });
  }
});
