/**
 * Only regular files are ever changed, and a login checks the files it will write before it asks
 * for anything: AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE or AWSL_STATE_DIR pointing at the wrong
 * kind of thing is refused with exit 5, no chmod, no prompt and no request. The profile's IdP is a
 * closed port and no password is given: any request would end in exit 11, any prompt in exit 6.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { createSandbox, runAwsl, type Sandbox } from '../support/cli.js';

const CONFIG = '[profile p]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = http://127.0.0.1:9/idp/profile/SAML2/SOAP/ECP\nawsl_username = alice\n';

describe('files checked before a login', function () {
  let sandbox: Sandbox;

  beforeEach(function () {
    sandbox = createSandbox();
    writeFileSync(sandbox.configFile, CONFIG, { mode: 0o600 });
  });

  afterEach(function () {
    sandbox.remove();
  });

  const login = (env: NodeJS.ProcessEnv) => runAwsl(['login', '--profile', 'p'], { env: { ...sandbox.env, ...env }, timeoutMs: 20_000 });

  it('refuses a folder as the credentials file, keeping its mode (sticky bit included) and creating nothing next to it', async function () {
    const folder = join(sandbox.home, 'shared-tmp');
    mkdirSync(folder);
    chmodSync(folder, 0o1777);
    const result = await login({ AWS_SHARED_CREDENTIALS_FILE: folder });
    expect(result.code, result.stderr).to.equal(5);
    expect(result.stderr).to.include(`${folder}: is a folder, not a file (from AWS_SHARED_CREDENTIALS_FILE)`);
    expect(result.stderr).to.include('Point AWS_SHARED_CREDENTIALS_FILE at a file, or unset it; awsl changed nothing.');
    expect(result.stderr).not.to.match(/warning|set it to/);
    expect(statSync(folder).mode & 0o7777).to.equal(0o1777);
    expect(readdirSync(folder)).to.deep.equal([]);
    expect(readdirSync(sandbox.home).filter((name) => name.startsWith('shared-tmp'))).to.deep.equal(['shared-tmp']);
  });

  it('refuses a FIFO as the credentials file at once, without waiting for a writer', async function () {
    const fifo = join(sandbox.home, 'pipe');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const result = await login({ AWS_SHARED_CREDENTIALS_FILE: fifo });
    expect(result.code, result.stderr).to.equal(5);
    expect(result.stderr).to.include(`${fifo}: is a FIFO (named pipe), not a file`);
    expect(statSync(fifo).isFIFO()).to.equal(true);
  });

  it('refuses a device as the credentials file and leaves the device node in place', async function () {
    const device = join(sandbox.home, 'null-device');
    execFileSync('mknod', ['-m', '666', device, 'c', '1', '3']);
    const result = await login({ AWS_SHARED_CREDENTIALS_FILE: device });
    expect(result.code, result.stderr).to.equal(5);
    expect(result.stderr).to.include(`${device}: is a device, not a file`);
    expect(statSync(device).isCharacterDevice()).to.equal(true);
    expect(statSync(device).mode & 0o777).to.equal(0o666);
  });

  it('refuses a folder or FIFO as the config file, for login and status alike', async function () {
    const fifo = join(sandbox.home, 'config-pipe');
    execFileSync('mkfifo', [fifo]);
    for (const args of [['login', '--profile', 'p'], ['status', '--profile', 'p']]) {
      for (const path of [sandbox.home, fifo]) {
        const result = await runAwsl(args, { env: { ...sandbox.env, AWS_CONFIG_FILE: path }, timeoutMs: 20_000 });
        expect(result.code, `${args[0]} ${path}: ${result.stderr}`).to.equal(5);
        expect(result.stderr).to.match(/: is (a folder|a FIFO \(named pipe\)), not a file \(from AWS_CONFIG_FILE\)/);
      }
    }
  });

  it('refuses an AWSL_STATE_DIR that is a FIFO or a file', async function () {
    const fifo = join(sandbox.home, 'state-pipe');
    execFileSync('mkfifo', [fifo]);
    const file = join(sandbox.home, 'state-file');
    writeFileSync(file, 'x');
    for (const path of [fifo, file]) {
      const result = await login({ AWSL_STATE_DIR: path });
      expect(result.code, result.stderr).to.equal(5);
      expect(result.stderr).to.match(/is (a FIFO \(named pipe\)|a file), not a folder \(from AWSL_STATE_DIR\)/);
    }
  });

  it('refuses a credentials file that does not parse, naming the line, before asking for the password', async function () {
    writeFileSync(sandbox.credentialsFile, 'stray line\n[other]\naws_access_key_id = AKIA\n', { mode: 0o600 });
    const result = await login({});
    expect(result.code, result.stderr).to.equal(5);
    expect(result.stderr).to.include(`${sandbox.credentialsFile}:1:`);
    expect(result.stderr).not.to.include('Password');
  });
});
