/**
 * credential_process mode against the real consumers: SimpleSAMLphp logs in, the STS stand-in
 * issues and checks the credentials, and /usr/bin/aws runs `awsl credential-process` itself.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { AWS_CLI, available as awsCliAvailable, awsCli } from '../peers/aws-cli.js';
import { findExecutable } from '../peers/process.js';
import { AWSL_BIN, runAwslInTerminal, runInTerminal, runProcess, type RunResult } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';
import { commonJsLoads, traceArgs, traceEnv, tracedModules } from '../boot/module-trace.js';
import { ADMIN_ROLE, ALICE, READ_ONLY_ROLE, addRegion, startCredentialsWorld, type CredentialsWorld, type Home } from './credentials-world.js';

const HEAVY = ['@oclif/core', '@aws-sdk', 'undici', 'tough-cookie', 'fast-xml-parser', '@xmldom', 'xml-crypto', '@smithy', 'chrome-remote-interface'];

describe('awsl credential-process (built CLI, SimpleSAMLphp, STS stand-in, /usr/bin/aws)', function () {
  let world: CredentialsWorld;

  before(async function () {
    requirePeer(this, awsCliAvailable(), 'AWS CLI v2 at /usr/bin/aws (Debian awscli)');
    world = await startCredentialsWorld(this);
  });

  after(async function () {
    await world?.stop();
  });

  /** A home with profile p in credential_process mode, logged in. */
  async function loggedIn(): Promise<Home> {
    const home = world.home();
    const configured = await home.configure('p', ['--credential-process']);
    expect(configured.code, configured.stderr).to.equal(0);
    addRegion(home.sandbox.configFile, 'p');
    await home.login('p');
    return home;
  }

  const aws = (home: Home, args: string[]) => awsCli(args, { ...home.env, AWS_PAGER: '' });
  const cacheFile = (home: Home, profile = 'p') => join(home.sandbox.stateDirectory, 'cache', `${profile}.json`);
  const readCache = (home: Home) => JSON.parse(readFileSync(cacheFile(home), 'utf8')) as Record<string, string>;

  it('configure --credential-process writes the absolute command into the profile; the AWS CLI reads it', async function () {
    const home = world.home();
    const result = await home.configure('p', ['--credential-process']);
    expect(result.code, result.stderr).to.equal(0);
    const expected = `${AWSL_BIN} credential-process --profile p`;
    expect(home.readConfig()).to.include(`credential_process = ${expected}\n`);
    const got = await aws(home, ['configure', 'get', 'credential_process', '--profile', 'p']);
    expect(got.stdout.trim(), got.stderr).to.equal(expected);

    const off = await home.run(['login', 'configure', '--profile', 'p', '--no-credential-process', '--no-prompt']);
    expect(off.code, off.stderr).to.equal(0);
    expect(home.readConfig()).not.to.include('credential_process');
  });

  it('login fills the private 0600 cache, not ~/.aws/credentials; aws export-credentials and sts get-caller-identity use it', async function () {
    const home = await loggedIn();
    expect(home.readCredentials()).not.to.include('[p]');
    expect(statSync(cacheFile(home)).mode & 0o777).to.equal(0o600);
    const cache = readCache(home);
    expect(world.sts.issued.has(cache.AccessKeyId!)).to.equal(true);

    const before = world.assumeRoleCount();
    const exported = await aws(home, ['configure', 'export-credentials', '--profile', 'p']);
    expect(exported.code, exported.stderr).to.equal(0);
    expect(JSON.parse(exported.stdout)).to.deep.include({ Version: 1, AccessKeyId: cache.AccessKeyId, SecretAccessKey: cache.SecretAccessKey, SessionToken: cache.SessionToken });

    const identity = await aws(home, ['sts', 'get-caller-identity', '--endpoint-url', world.sts.url, '--profile', 'p', '--output', 'json']);
    expect(identity.code, identity.stderr).to.equal(0);
    expect(JSON.parse(identity.stdout)).to.deep.include({ Account: '111111111111', Arn: 'arn:aws:sts::111111111111:assumed-role/Admin/alice@example.org' });
    expect(world.assumeRoleCount(), 'no login while the cache is fresh').to.equal(before);
  });

  it('the line keeps working after the Node that configured it is removed (a Node upgrade)', async function () {
    const home = world.home();
    const folder = mkdtempSync(join(tmpdir(), 'awsl-old-node-'));
    const oldNode = join(folder, 'node');
    copyFileSync(process.execPath, oldNode);
    chmodSync(oldNode, 0o755);
    try {
      const configured = await runProcess(oldNode, [AWSL_BIN, 'login', 'configure', '--profile', 'p', '--provider', 'ecp', '--ecp-endpoint-url', world.idp.url,
        '--username', 'alice', '--role-arn', ADMIN_ROLE, '--credential-process', '--no-prompt'], { env: home.env });
      expect(configured.code, configured.stderr).to.equal(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    expect(home.readConfig()).to.not.include(oldNode);
    addRegion(home.sandbox.configFile, 'p');
    await home.login('p');
    const exported = await aws(home, ['configure', 'export-credentials', '--profile', 'p']);
    expect(exported.code, exported.stderr).to.equal(0);
    expect(JSON.parse(exported.stdout)).to.deep.include({ AccessKeyId: readCache(home).AccessKeyId });
  });

  it('login configure repairs a line of an older awsl that names a Node binary since removed', async function () {
    const home = await loggedIn();
    const gone = join(tmpdir(), 'awsl-removed-node', 'v22.1.0', 'bin', 'node');
    const broken = home.readConfig().replace(/^credential_process = .*$/m, `credential_process = ${gone} ${AWSL_BIN} credential-process --profile p`);
    writeFileSync(home.sandbox.configFile, broken);
    const failing = await aws(home, ['configure', 'export-credentials', '--profile', 'p']);
    expect(failing.code).to.not.equal(0);
    expect(failing.stderr).to.include(gone);

    const repaired = await home.run(['login', 'configure', '--profile', 'p', '--no-prompt']);
    expect(repaired.code, repaired.stderr).to.equal(0);
    expect(repaired.stderr).to.include(`Rewrote the credential_process line of profile p (it was ${gone} ${AWSL_BIN} credential-process --profile p).`);
    expect(home.readConfig()).to.include(`credential_process = ${AWSL_BIN} credential-process --profile p\n`);
    const exported = await aws(home, ['configure', 'export-credentials', '--profile', 'p']);
    expect(exported.code, exported.stderr).to.equal(0);
    expect(JSON.parse(exported.stdout)).to.deep.include({ AccessKeyId: readCache(home).AccessKeyId });
  });

  it('after configure changes the role, the next call logs in for the new role at once, silently; an unchanged configure keeps the cache', async function () {
    const home = await loggedIn();
    const before = readCache(home).AccessKeyId!;
    const changed = await home.run(['login', 'configure', '--profile', 'p', '--role-arn', READ_ONLY_ROLE, '--no-prompt']);
    expect(changed.code, changed.stderr).to.equal(0);
    expect(changed.stderr).to.include('Dropped the cached credentials of profile p: the next AWS call logs in with the new settings.');
    const result = await home.run(['credential-process', '--profile', 'p']);
    expect(result.code, result.stderr).to.equal(0);
    const printed = JSON.parse(result.stdout) as { AccessKeyId: string };
    expect(printed.AccessKeyId).not.to.equal(before);
    expect(world.sts.issued.get(printed.AccessKeyId)?.arn).to.match(/:assumed-role\/ReadOnly\//);

    const unchanged = await home.run(['login', 'configure', '--profile', 'p', '--role-arn', READ_ONLY_ROLE, '--no-prompt']);
    expect(unchanged.code, unchanged.stderr).to.equal(0);
    expect(unchanged.stderr).not.to.include('Dropped');
    expect(readCache(home).AccessKeyId).to.equal(printed.AccessKeyId);
  });

  it('switching to credential_process while changing a setting says once what happened to the old credentials (ux-findings P11)', async function () {
    const home = world.home();
    expect((await home.configure('p')).code).to.equal(0);
    await home.login('p');
    const switched = await home.run(['login', 'configure', '--profile', 'p', '--credential-process', '--role-arn', READ_ONLY_ROLE, '--no-prompt']);
    expect(switched.code, switched.stderr).to.equal(0);
    expect(switched.stderr).to.match(/^Removed awsl's credentials of profile p from .*: keys there would shadow credential_process, and they were issued under the old settings\.$/m);
    expect(switched.stderr).not.to.include('Moved').and.not.to.include('Dropped');
    expect(home.readCredentials()).not.to.include('[p]');
    const result = await home.run(['credential-process', '--profile', 'p']);
    expect(result.code, result.stderr).to.equal(0);
    expect(world.sts.issued.get((JSON.parse(result.stdout) as { AccessKeyId: string }).AccessKeyId)?.arn).to.match(/:assumed-role\/ReadOnly\//);
  });

  it('prints exactly the credential_process JSON on stdout, from the cache', async function () {
    const home = await loggedIn();
    const result = await home.run(['credential-process', '--profile', 'p']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.equal('');
    const cache = readCache(home);
    expect(result.stdout).to.equal(`${JSON.stringify({ Version: 1, AccessKeyId: cache.AccessKeyId, SecretAccessKey: cache.SecretAccessKey, SessionToken: cache.SessionToken, Expiration: cache.Expiration, AccountId: '111111111111' })}\n`);
    for (const args of [['--profile', 'p', 'credential-process'], ['credential-process', '--profile=p'], ['credential-process', '-p', 'p']]) {
      const again = await home.run(args);
      expect(again.stdout, args.join(' ')).to.equal(result.stdout);
    }
    const fromEnv = await home.run(['credential-process'], { env: { AWS_PROFILE: 'p' } });
    expect(fromEnv.stdout).to.equal(result.stdout);
  });

  it('refreshes silently through the IdP session when the cache nears expiry: aws still works, STS saw a new login, no prompt', async function () {
    const home = await loggedIn();
    const old = readCache(home);
    writeFileSync(cacheFile(home), JSON.stringify({ ...old, Expiration: new Date(Date.now() + 60_000).toISOString() }));
    const before = world.assumeRoleCount();

    const identity = await aws(home, ['sts', 'get-caller-identity', '--endpoint-url', world.sts.url, '--profile', 'p', '--output', 'json']);
    expect(identity.code, identity.stderr).to.equal(0);
    expect(JSON.parse(identity.stdout).Arn).to.equal('arn:aws:sts::111111111111:assumed-role/Admin/alice@example.org');
    expect(world.assumeRoleCount()).to.equal(before + 1);
    const renewed = readCache(home);
    expect(renewed.AccessKeyId).not.to.equal(old.AccessKeyId);
    expect(Date.parse(renewed.Expiration!)).to.be.greaterThan(Date.now() + 30 * 60_000);
    expect(renewed.RoleArn).to.equal(ADMIN_ROLE);

    // Straight from awsl: stderr holds no question, stdout only the JSON.
    writeFileSync(cacheFile(home), JSON.stringify({ ...renewed, Expiration: new Date(Date.now() - 1000).toISOString() }));
    const direct = await home.run(['credential-process', '--profile', 'p']);
    expect(direct.code, direct.stderr).to.equal(0);
    expect(direct.stderr).not.to.match(/password|passcode|\?/i);
    expect(JSON.parse(direct.stdout)).to.have.keys(['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration', 'AccountId']).and.include({ AccountId: '111111111111' });
    expect(world.assumeRoleCount()).to.equal(before + 2);
  });

  it('within 15 minutes of expiry, with the IdP session gone and no terminal, hands out the cached credentials with a one-line note', async function () {
    const home = await loggedIn();
    const cached = readCache(home);
    writeFileSync(cacheFile(home), JSON.stringify({ ...cached, Expiration: new Date(Date.now() + 10 * 60_000).toISOString() }));
    rmSync(join(home.sandbox.stateDirectory, 'cookies'), { recursive: true, force: true });
    const before = world.assumeRoleCount();

    const result = await home.run(['credential-process', '--profile', 'p']);
    expect(result.code, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.include({ AccessKeyId: cached.AccessKeyId, AccountId: '111111111111' });
    expect(result.stderr).to.match(/^warning: could not refresh p without a person \(awsl login --profile p will\); its credentials still work until \S+Z\.\n$/);
    const identity = await aws(home, ['sts', 'get-caller-identity', '--endpoint-url', world.sts.url, '--profile', 'p', '--output', 'json']);
    expect(identity.code, identity.stderr).to.equal(0);
    expect(world.assumeRoleCount(), 'no login happened').to.equal(before);
  });

  it('with no IdP session and no terminal fails at once (exit 6), naming awsl login --profile P; the AWS CLI passes that on', async function () {
    const home = world.home();
    expect((await home.configure('p', ['--credential-process'])).code).to.equal(0);
    addRegion(home.sandbox.configFile, 'p');
    const started = Date.now();
    const result = await home.run(['credential-process', '--profile', 'p']);
    expect(result.code, result.stderr).to.equal(6);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.include('awsl login --profile p');
    expect(Date.now() - started).to.be.lessThan(10_000);

    const exported = await aws(home, ['configure', 'export-credentials', '--profile', 'p']);
    expect(exported.code).to.not.equal(0);
    expect(exported.stderr).to.include('awsl login --profile p');
  });

  it('when a person is needed and there is a terminal, asks there — though the AWS CLI holds awsl\'s stdout and stderr', async function () {
    requirePeer(this, findExecutable('script') !== undefined, 'script(1) from util-linux (bsdutils)');
    const home = world.home();
    expect((await home.configure('p', ['--credential-process'])).code).to.equal(0);
    addRegion(home.sandbox.configFile, 'p');
    const before = world.assumeRoleCount();
    const result = await runInTerminal(`${AWS_CLI} configure export-credentials --profile p --format env`, { env: { ...home.env, AWS_PAGER: '' },
      steps: [{ expect: 'Password for alice', send: `${ALICE.password}\r` }] });
    expect(result.code, result.screen).to.equal(0);
    expect(result.screen).to.match(/export AWS_ACCESS_KEY_ID=ASIA[A-Z2-7]{16}\n/);
    expect(world.assumeRoleCount()).to.equal(before + 1);
    expect(readCache(home).RoleArn).to.equal(ADMIN_ROLE);
  });

  it('configure moves awsl\'s own keys out of ~/.aws/credentials (still valid, so still usable) and leaves someone else\'s, warning', async function () {
    const home = world.home();
    expect((await home.configure('p')).code).to.equal(0);
    addRegion(home.sandbox.configFile, 'p');
    await home.login('p');
    writeFileSync(home.sandbox.credentialsFile, `${home.readCredentials()}\n[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = secret\n`);
    const accessKey = /aws_access_key_id = (\S+)/.exec(home.readCredentials())![1]!;

    const switched = await home.run(['login', 'configure', '--profile', 'p', '--credential-process', '--no-prompt']);
    expect(switched.code, switched.stderr).to.equal(0);
    expect(switched.stderr).to.include('Moved awsl\'s credentials of profile p');
    expect(home.readCredentials()).not.to.include('[p]');
    expect(home.readCredentials()).to.include('[other]\naws_access_key_id = AKIAOTHER');
    expect(readCache(home).AccessKeyId).to.equal(accessKey);
    const exported = await aws(home, ['configure', 'export-credentials', '--profile', 'p']);
    expect(JSON.parse(exported.stdout).AccessKeyId, exported.stderr).to.equal(accessKey);

    const foreign = await home.run(['login', 'configure', '--profile', 'other', '--provider', 'ecp', '--ecp-endpoint-url', world.idp.url, '--credential-process', '--no-prompt']);
    expect(foreign.code, foreign.stderr).to.equal(0);
    expect(foreign.stderr).to.match(/warning: \[other\] in .* has static keys .* that awsl did not write/);
    expect(home.readCredentials()).to.include('[other]\naws_access_key_id = AKIAOTHER');
  });

  it('configure asks "Use credential_process" after the duration on a terminal, and offers to remove someone else\'s keys', async function () {
    requirePeer(this, findExecutable('script') !== undefined, 'script(1) from util-linux (bsdutils)');
    const home = world.home();
    expect((await home.configure('p')).code).to.equal(0);
    writeFileSync(home.sandbox.credentialsFile, '[p]\naws_access_key_id = AKIAOLDKEY\naws_secret_access_key = old\n[q]\nregion = x\n');
    const enter = (expect: string) => ({ expect, send: '\r' });
    const result = await runAwslInTerminal(['login', 'configure', '--profile', 'p'], {
      env: home.env,
      steps: [enter('Provider'), enter('ECP endpoint URL'), enter('Username'), enter('Enable keyring'), enter('Duo factor'), enter('Role ARN'),
        enter('Session duration in seconds'), { expect: 'Use credential_process (true|false) [false]: ', send: 'yes\r' },
        { expect: 'Remove them? (yes|no) [no]: ', send: 'y\r' }],
    });
    expect(result.code, result.screen).to.equal(0);
    expect(result.screen.indexOf('Use credential_process')).to.be.greaterThan(result.screen.indexOf('Session duration in seconds'));
    expect(result.screen).to.include(`[p] in ${home.sandbox.credentialsFile} has static keys that awsl did not write`);
    expect(home.readConfig()).to.include(`credential_process = ${AWSL_BIN} credential-process --profile p\n`);
    expect(home.readCredentials()).to.equal('[q]\nregion = x\n');

    const again = await runAwslInTerminal(['login', 'configure', '--profile', 'p'], {
      env: home.env,
      steps: [enter('Provider'), enter('ECP endpoint URL'), enter('Username'), enter('Enable keyring'), enter('Duo factor'), enter('Role ARN'),
        enter('Session duration in seconds'), { expect: 'Use credential_process (true|false) [true]: ', send: '\r' }],
    });
    expect(again.code, again.screen).to.equal(0);
    expect(again.screen).to.include('Profile p is unchanged');
  });

  it('logout removes the cache; --no-credential-process moves still-valid credentials back to ~/.aws/credentials', async function () {
    const home = await loggedIn();
    const logout = await home.run(['logout', '--profile', 'p']);
    expect(logout.code, logout.stderr).to.equal(0);
    expect(() => statSync(cacheFile(home))).to.throw();

    await home.login('p');
    const accessKey = readCache(home).AccessKeyId;
    const off = await home.run(['login', 'configure', '--profile', 'p', '--no-credential-process', '--no-prompt']);
    expect(off.code, off.stderr).to.equal(0);
    expect(() => statSync(cacheFile(home))).to.throw();
    expect(home.readCredentials()).to.include(`aws_access_key_id = ${accessKey}`);
    const exported = await aws(home, ['configure', 'export-credentials', '--profile', 'p']);
    expect(JSON.parse(exported.stdout).AccessKeyId, exported.stderr).to.equal(accessKey);
  });

  describe('the warm path', function () {
    let trace: string;
    before(function () {
      trace = mkdtempSync(join(tmpdir(), 'awsl-trace-'));
    });
    after(function () {
      rmSync(trace, { recursive: true, force: true });
    });

    function traced(home: Home, name: string): Promise<RunResult & { modules: string[]; commonJs: string[] }> {
      const file = join(trace, name);
      writeFileSync(file, '');
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...traceArgs(), AWSL_BIN, 'credential-process', '--profile', 'p'], {
          env: { ...home.env, ...traceEnv(file) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
        child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, modules: tracedModules(file), commonJs: commonJsLoads(stderr) }));
      });
    }

    it('loads no oclif, AWS SDK, undici, tough-cookie or XML parser — only node: builtins and awsl\'s own small files', async function () {
      const home = await loggedIn();
      const warm = await traced(home, 'warm');
      expect(warm.code, warm.stderr).to.equal(0);
      expect(JSON.parse(warm.stdout).AccessKeyId).to.equal(readCache(home).AccessKeyId);
      expect(warm.modules).to.include.members([`file://${AWSL_BIN}`]);
      // Every module loaded, through the ESM loader or require(): node: builtins and awsl's own small files.
      const loaded = [
        ...warm.modules.filter((url) => !url.startsWith('node:')).map((url) => fileURLToPath(url)),
        ...warm.commonJs.map((line) => /load "([^"]+)"/.exec(line)![1]!),
      ];
      expect(loaded).to.include(AWSL_BIN);
      expect(loaded.every((file) => file === AWSL_BIN || file.includes('/dist/boot/start')), loaded.join('\n')).to.equal(true);
      // oclif and the libraries live in dist/awsl.cjs, which only the bundle loader runs: the warm
      // path stays off it and reads only a few KB of code.
      const bytes = [...new Set(loaded)].reduce((sum, file) => sum + statSync(file).size, 0);
      expect(bytes, loaded.join('\n')).to.be.below(32 * 1024);

      // The control: with the cache near expiry the same command goes through oclif (and is seen doing so).
      writeFileSync(cacheFile(home), JSON.stringify({ ...readCache(home), Expiration: new Date(Date.now() + 60_000).toISOString() }));
      const cold = await traced(home, 'cold');
      expect(cold.code, cold.stderr).to.equal(0);
      expect(cold.commonJs.some((line) => line.includes('/dist/boot/bundle-loader.cjs')), 'oclif loaded on the refresh path').to.equal(true);
      for (const name of HEAVY) expect(warm.modules.concat(warm.commonJs).some((line) => line.includes(name)), name).to.equal(false);
    });
  });
});
