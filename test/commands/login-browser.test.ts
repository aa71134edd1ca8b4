/**
 * The browser provider through the built CLI, as a person uses it: configure, a first login in
 * the window (the test acts as the person over DevTools), logout and a silent login again,
 * credential_process, logout --forget, Ctrl-C; against Debian's chromium, SimpleSAMLphp's web
 * login and the STS stand-in. And the DevTools client loads only for this provider.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import type { BrowserWrapper } from '../peers/chromium.js';
import { throwawayKeyPair } from '../peers/saml-fixtures.js';
import { AWSL_BIN, runAwslInTerminal, type RunResult } from '../support/cli.js';
import { commonJsLoads, traceArgs, traceEnv } from '../boot/module-trace.js';
import { startBrowserAtHand, type BrowserAtHand, type Person } from '../providers/browser/person.js';
import { ALICE_ADMIN, startEcpWorld, USERS, type EcpWorld, type Machine } from './ecp-world.js';

const DEVTOOLS_BUNDLE = 'dist/chrome-remote-interface.cjs';
/** The ARN of a session of alice's Admin role, as STS issues it. */
const ASSUMED_ADMIN = /^arn:aws:sts::111111111111:assumed-role\/Admin\//;

describe('awsl login with the browser provider (built CLI, chromium, SimpleSAMLphp web login, STS stand-in)', function () {
  this.timeout(120_000);
  let world: EcpWorld;
  let atHand: BrowserAtHand | undefined;
  let browser: BrowserWrapper;
  let person: Person;

  before(async function () {
    atHand = await startBrowserAtHand(this);
    ({ browser, person } = atHand);
    world = await startEcpWorld(this);
  });

  after(async function () {
    await atHand?.stop();
    await world?.stop();
  });

  afterEach(async function () {
    expect(await browser.processes(), 'browser processes left behind').to.deep.equal([]);
  });

  async function configured(extra: string[] = []): Promise<Machine> {
    const machine = world.machine();
    const result = await machine.run(['login', 'configure', '--profile', 'web', '--provider', 'browser', '--sso-url', world.idp.webLoginUrl(),
      '--browser-path', browser.path, '--role-arn', ALICE_ADMIN, ...extra, '--no-prompt']);
    expect(result.code, result.stderr).to.equal(0);
    return machine;
  }

  /** `awsl login --profile web` on a terminal, the person logging in when the window opens. */
  async function loginInWindow(machine: Machine): Promise<{ code: number; screen: string }> {
    const before = (await browser.launches()).length;
    const running = runAwslInTerminal(['login', '--profile', 'web'], { env: machine.sandbox.env, steps: [] });
    await browser.waitForLaunches(before + 2);
    await person.logIn(USERS.alice.username, USERS.alice.password);
    return running;
  }

  it('configure takes the start URL (https, or http on loopback only) and the browser path', async function () {
    const machine = await configured(['--browser-timeout', '120']);
    const config = readFileSync(machine.sandbox.configFile, 'utf8');
    expect(config).to.include(`awsl_sso_url = ${world.idp.webLoginUrl()}`);
    expect(config).to.include(`awsl_browser_path = ${browser.path}`);
    expect(config).to.include('awsl_browser_timeout = 120');
    const refused = await machine.run(['login', 'configure', '--profile', 'other', '--provider', 'browser', '--sso-url', 'http://idp.example.com/start', '--no-prompt']);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.include('must use https');
    // The IdP's own page asks for the username and password: configure neither asks nor takes them.
    expect(config).to.not.include('awsl_username').and.not.include('awsl_enable_keyring');
    const username = await machine.run(['login', 'configure', '--profile', 'web', '--username', 'alice', '--no-prompt']);
    expect(username.code).to.equal(2);
    expect(username.stderr).to.include('--username does not apply to the browser provider.');
  });

  it('first login in the window, then after logout a login with no window and no prompt; the IdP\'s signature checked', async function () {
    const certificate = join(mkdtempSync(join(tmpdir(), 'awsl-idp-cert-')), 'idp.pem');
    writeFileSync(certificate, world.idp.certificatePem);
    const machine = await configured(['--idp-certificate', certificate]);
    const first = await loginInWindow(machine);
    expect(first.code, first.screen).to.equal(0);
    expect(first.screen).to.match(/Log in to 127\.0\.0\.1:\d+ in the browser window awsl opened/);
    expect(world.issuedFor(machine.credentials('web')).arn).to.match(ASSUMED_ADMIN);
    const profileFolder = join(machine.sandbox.stateDirectory, 'browser', 'web');
    expect(statSync(profileFolder).mode & 0o777).to.equal(0o700);

    expect((await machine.run(['logout', '--profile', 'web'])).code).to.equal(0);
    expect(machine.credentials('web')).to.equal(undefined);
    const before = (await browser.launches()).length;
    const again = await machine.run(['login', '--profile', 'web']);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).to.not.include('Log in to');
    expect((await browser.launches()).slice(before)).to.have.length(1);
    expect(world.issuedFor(machine.credentials('web')).arn).to.match(ASSUMED_ADMIN);

    const status = await machine.run(['status', '--profile', 'web', '--json']);
    expect(status.stdout, status.stderr).to.match(/"idpSessionSaved":\s*true/);
    expect((await machine.run(['logout', '--profile', 'web', '--forget'])).code).to.equal(0);
    expect(existsSync(profileFolder), 'browser profile after logout --forget').to.equal(false);

    // The control: a certificate that did not sign the response is refused.
    writeFileSync(certificate, throwawayKeyPair('other').cert);
    const forged = await loginInWindow(machine);
    expect(forged.code, forged.screen).to.equal(9);
    rmSync(dirname(certificate), { recursive: true, force: true });
  });

  it('credential_process refreshes silently through the IdP session; with the session gone it fails at once without a terminal, and opens the window on one', async function () {
    const machine = await configured(['--credential-process']);
    expect((await loginInWindow(machine)).code).to.equal(0);
    expect((await machine.run(['logout', '--profile', 'web'])).code).to.equal(0);
    const refreshed = await machine.run(['credential-process', '--profile', 'web']);
    expect(refreshed.code, refreshed.stderr).to.equal(0);
    expect(JSON.parse(refreshed.stdout).AccessKeyId).to.be.a('string');

    await world.idp.endSessions();
    expect((await machine.run(['logout', '--profile', 'web'])).code).to.equal(0);
    const before = (await browser.launches()).length;
    const started = Date.now();
    const failed = await machine.run(['credential-process', '--profile', 'web']);
    expect(failed.code, failed.stderr).to.equal(6);
    expect(failed.stderr).to.include('needs you to log in in a browser window');
    expect(failed.stderr).to.include('awsl login --profile web');
    expect(failed.stdout).to.equal('');
    expect((await browser.launches()).slice(before), 'only the headless try').to.have.length(1);
    expect(Date.now() - started).to.be.below(30_000);

    // With a terminal, the window opens there and says so; stdout has only the credentials.
    const windowAt = (await browser.launches()).length;
    const onTerminal = runAwslInTerminal(['credential-process', '--profile', 'web'], { env: machine.sandbox.env, steps: [] });
    await browser.waitForLaunches(windowAt + 2);
    await person.logIn(USERS.alice.username, USERS.alice.password);
    const shown = await onTerminal;
    expect(shown.code, shown.screen).to.equal(0);
    expect(shown.screen).to.match(/Log in to 127\.0\.0\.1:\d+ in the browser window awsl opened/);
    expect(shown.screen).to.match(/"AccessKeyId":\s*"[^"]+"/);
  });

  it('Ctrl-C while the window waits exits 130 and closes the browser', async function () {
    const machine = await configured();
    const result = await runAwslInTerminal(['login', '--profile', 'web'], { env: machine.sandbox.env, steps: [{ expect: 'Log in to', send: '\x03' }] });
    expect(result.code, result.screen).to.equal(130);
    expect(machine.credentials('web')).to.equal(undefined);
  });

  describe('loads the DevTools client only for this provider', function () {
    let trace: string;
    before(function () {
      trace = mkdtempSync(join(tmpdir(), 'awsl-trace-'));
    });
    after(function () {
      rmSync(trace, { recursive: true, force: true });
    });

    function traced(machine: Machine, args: string[], input = ''): Promise<RunResult & { commonJs: string[] }> {
      const file = join(trace, String(Date.now()));
      writeFileSync(file, '');
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...traceArgs(), AWSL_BIN, ...args], { env: { ...machine.sandbox.env, ...traceEnv(file) }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
        child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, commonJs: commonJsLoads(stderr) }));
        child.stdin.end(input);
      });
    }

    it('an ECP login does not load it; a browser login does', async function () {
      const machine = world.machine();
      await machine.configure('ecp', 'alice', ['--role-arn', ALICE_ADMIN]);
      const ecp = await traced(machine, ['login', '--profile', 'ecp', '--password-stdin'], `${USERS.alice.password}\n`);
      expect(ecp.code, ecp.stderr.slice(-2000)).to.equal(0);
      expect(ecp.commonJs.some((line) => line.includes(DEVTOOLS_BUNDLE)), 'DevTools client in an ECP login').to.equal(false);

      const web = await configured();
      const first = await loginInWindow(web);
      expect(first.code, first.screen).to.equal(0);
      const silent = await traced(web, ['login', '--profile', 'web']);
      expect(silent.code, silent.stderr.slice(-2000)).to.equal(0);
      expect(silent.commonJs.some((line) => line.includes(DEVTOOLS_BUNDLE)), 'DevTools client in a browser login').to.equal(true);
    });
  });
});
