/**
 * The files awsl writes, end to end: after logins (ECP and OneLogin, under umask 022 and 000) every
 * file awsl owns is 0600 and every folder it creates 0700; a looser existing credentials file is
 * tightened with a warning; symlinked credentials and config files are edited through the link.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { SIMPLESAMLPHP_USERS } from '../peers/simplesamlphp/index.js';
import { AWSL_BIN, createSandbox, runProcess, type RunResult, type Sandbox } from '../support/cli.js';
import { startOneLoginWorld, type OneLoginWorld } from './onelogin-world.js';
import { startSamlWorld, type SamlWorld } from './saml-world.js';

const alice = SIMPLESAMLPHP_USERS.alice;
const ADMIN = alice.roles[0]!.roleArn;

/** awsl under a given umask, as a user's shell would start it. */
function awslWithUmask(umask: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<RunResult> {
  return runProcess('/bin/sh', ['-c', `umask ${umask} && exec "$@"`, 'sh', process.execPath, AWSL_BIN, ...args], { env, input });
}

/** Every file and folder under `root`, with its permission bits. */
function modes(root: string): { path: string; mode: number; directory: boolean }[] {
  const found: { path: string; mode: number; directory: boolean }[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    found.push({ path, mode: stat.mode & 0o777, directory: stat.isDirectory() });
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  if (existsSync(root)) walk(root);
  return found;
}

function expectPrivate(entries: { path: string; mode: number; directory: boolean }[]): void {
  for (const entry of entries) {
    expect(entry.mode.toString(8), `${entry.path}`).to.equal(entry.directory ? '700' : '600');
  }
}

describe('files awsl writes', function () {
  let world: SamlWorld;
  let onelogin: OneLoginWorld;

  before(async function () {
    world = await startSamlWorld(this);
    onelogin = await startOneLoginWorld();
  });

  after(async function () {
    await onelogin?.stop();
    await world?.stop();
  });

  for (const umask of ['022', '000']) {
    it(`after ECP and OneLogin logins under umask ${umask}: credentials, config, cookies and caches 0600, folders 0700`, async function () {
      const sandbox: Sandbox = createSandbox({ AWS_ENDPOINT_URL_STS: world.sts.url });
      try {
        // No ~/.aws yet: awsl creates it.
        rmSync(join(sandbox.home, '.aws'), { recursive: true, force: true });
        const configure = await awslWithUmask(umask, ['login', 'configure', '--profile', 'ecp', '--provider', 'ecp', '--ecp-endpoint-url', world.idp.url,
          '--username', 'alice', '--role-arn', ADMIN, '--idp-metadata-url', `${world.idp.baseUrl}/saml2/idp/metadata.php`, '--no-prompt'], sandbox.env);
        expect(configure.code, configure.stderr).to.equal(0);
        const login = await awslWithUmask(umask, ['login', '--profile', 'ecp', '--password-stdin'], sandbox.env, `${alice.password}\n`);
        expect(login.code, login.stderr).to.equal(0);
        // Private from the first login on: a later login repairing a mode would hide a file created 0644.
        expectPrivate(modes(join(sandbox.home, '.aws')));
        expect(login.stderr).to.not.include('readable by others');
        await onelogin.configure(sandbox, 'ol');
        const olLogin = await onelogin.login(sandbox, 'ol');
        expect(olLogin.code, olLogin.stderr).to.equal(0);

        const aws = modes(join(sandbox.home, '.aws'));
        expectPrivate(aws);
        const names = aws.map((entry) => entry.path.slice(sandbox.home.length + 1));
        // What was checked: the AWS files, the IdP cookie jar, the metadata cache, the OneLogin token cache.
        expect(names).to.include.members(['.aws', '.aws/config', '.aws/credentials', '.aws/awsl', '.aws/awsl/cookies', '.aws/awsl/idp-metadata', '.aws/awsl/onelogin']);
        expect(names.filter((name) => name.startsWith('.aws/awsl/cookies/'))).to.have.length(1);
        expect(names.filter((name) => name.startsWith('.aws/awsl/onelogin/token-'))).to.have.length(1);
        // No lock or temporary file is left behind.
        expect(names.filter((name) => /\.lock$|\.tmp$/.test(name))).to.deep.equal([]);
      } finally {
        sandbox.remove();
      }
    });
  }

  it('tightens a credentials file readable by others (0644) to 0600, with a warning, keeping its content', async function () {
    const user = world.user('alice');
    await user.configure('p', ['--role-arn', ADMIN]);
    const existing = '# my keys\n[static]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = example\n';
    writeFileSync(user.sandbox.credentialsFile, existing);
    chmodSync(user.sandbox.credentialsFile, 0o644);
    const result = await user.login('p');
    expect(statSync(user.sandbox.credentialsFile).mode & 0o777).to.equal(0o600);
    expect(result.stderr).to.match(/warning: .*credentials was readable by others \(mode 644\); awsl set it to 600\./);
    expect(readFileSync(user.sandbox.credentialsFile, 'utf8').startsWith(existing)).to.equal(true);
  });

  it('edits a symlinked credentials file through the link: the link stays, the target gets the credentials', async function () {
    const user = world.user('alice');
    await user.configure('p', ['--role-arn', ADMIN]);
    const dotfiles = join(user.sandbox.home, 'dotfiles');
    mkdirSync(dotfiles, { mode: 0o700 });
    const target = join(dotfiles, 'aws-credentials');
    writeFileSync(target, '[static]\naws_access_key_id = AKIAEXAMPLE\n', { mode: 0o600 });
    symlinkSync('../dotfiles/aws-credentials', user.sandbox.credentialsFile);
    await user.login('p');
    expect(lstatSync(user.sandbox.credentialsFile).isSymbolicLink()).to.equal(true);
    const text = readFileSync(target, 'utf8');
    expect(text).to.match(/^\[static\]\naws_access_key_id = AKIAEXAMPLE\n/);
    expect(text).to.include('[p]').and.to.include('aws_session_token = ');
    expect(statSync(target).mode & 0o777).to.equal(0o600);
    // The lock lived next to the real file, and is gone.
    expect(readdirSync(dotfiles)).to.deep.equal(['aws-credentials']);
    const logout = await user.run(['logout', '--profile', 'p']);
    expect(logout.code, logout.stderr).to.equal(0);
    expect(lstatSync(user.sandbox.credentialsFile).isSymbolicLink()).to.equal(true);
    expect(readFileSync(target, 'utf8')).to.equal('[static]\naws_access_key_id = AKIAEXAMPLE\n');
  });

  it('edits a symlinked config file through the link (login configure)', async function () {
    const sandbox = createSandbox();
    try {
      const target = join(sandbox.home, 'aws-config');
      writeFileSync(target, '[default]\nregion = eu-west-1\n', { mode: 0o644 });
      symlinkSync(target, sandbox.configFile);
      const result = await runProcess(process.execPath, [AWSL_BIN, 'login', 'configure', '--profile', 'p', '--provider', 'ecp', '--ecp-endpoint-url', world.idp.url, '--username', 'alice', '--no-prompt'], { env: sandbox.env });
      expect(result.code, result.stderr).to.equal(0);
      expect(lstatSync(sandbox.configFile).isSymbolicLink()).to.equal(true);
      expect(readFileSync(target, 'utf8')).to.match(/^\[default\]\nregion = eu-west-1\n\n\[profile p\]\nawsl_provider = ecp\n/);
      // The config file holds no secret: it keeps the mode its owner chose.
      expect(statSync(target).mode & 0o777).to.equal(0o644);
    } finally {
      sandbox.remove();
    }
  });
});
