/**
 * The browser provider against Debian's real Chromium and SimpleSAMLphp's real web login
 * (IdP-initiated SSO to the AWS SP, its exampleauth:UserPass form). The test acts as the person
 * through the DevTools port its browser wrapper opens; a recording proxy sees every request the
 * browser makes to anything but loopback.
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { DOMParser } from '@xmldom/xmldom';
import { expect } from 'chai';
import { CancelledError, NeedsTerminalError } from '../../../src/errors.js';
import { createHttpClient } from '../../../src/http.js';
import { browserProvider } from '../../../src/providers/browser/index.js';
import { BrowserLoginTimeoutError } from '../../../src/providers/browser/errors.js';
import { browserProfileDirectory } from '../../../src/providers/browser/profile.js';
import type { AuthenticationResult } from '../../../src/providers/provider.js';
import { readProfileSettings } from '../../../src/providers/registry.js';
import { browserDescriptor, type BrowserContext } from '../../../src/providers/browser/descriptor.js';
import { createLogger } from '../../../src/ui/logger.js';
import type { BrowserWrapper } from '../../peers/chromium.js';
import { makeTempDir } from '../../peers/process.js';
import type { ForwardProxy } from '../../peers/proxy.js';
import { AWS_ACS_URLS, available as simpleSamlPhpAvailable, SIMPLESAMLPHP_USERS, startSimpleSamlPhp, type SimpleSamlPhp } from '../../peers/simplesamlphp/index.js';
import { scriptedPrompter, type ScriptedPrompter } from '../../support/scripted-prompter.js';
import { requirePeer } from '../../support/peers.js';
import { startBrowserAtHand, type BrowserAtHand, type Person } from './person.js';

const ALICE = SIMPLESAMLPHP_USERS.alice;
/**
 * The other ACS URL forms AWS documents (regional, /static/saml, /saml/acs/<IdP-ID>, per
 * partition), registered for the AWS SP too: IdP-initiated SSO picks one with its ConsumerURL.
 */
const AWS_OTHER_ACS_URLS = [
  'https://us-east-2.signin.aws.amazon.com/saml',
  'https://signin.aws.amazon.com/static/saml',
  'https://eu-west-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46',
  'https://cn-north-1.signin.amazonaws.cn/saml',
  'https://us-gov-west-1.signin.amazonaws-us-gov.com/saml',
];
const SAML_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
/**
 * Chromium's own component updater and Google-account check, which run with no page open and
 * which no switch turns off; the proxy refuses them. Nothing the login does may join them.
 */
const BROWSER_OWN_SERVICES = new Set(['update.googleapis.com', 'accounts.google.com']);

describe('browser provider (Debian chromium, SimpleSAMLphp web login)', function () {
  this.timeout(90_000);
  let idp: SimpleSamlPhp;
  let atHand: BrowserAtHand | undefined;
  let proxy: ForwardProxy;
  let browser: BrowserWrapper;
  let person: Person;

  before(async function () {
    atHand = await startBrowserAtHand(this);
    ({ proxy, browser, person } = atHand);
    requirePeer(this, simpleSamlPhpAvailable(), 'SimpleSAMLphp (Debian simplesamlphp, php-cli)');
    idp = await startSimpleSamlPhp({ acsUrls: [...AWS_ACS_URLS, ...AWS_OTHER_ACS_URLS] });
  });

  after(async function () {
    await atHand?.stop();
    await idp?.stop();
  });

  afterEach(async function () {
    // Whatever a test did, no browser process outlives the login that started it.
    const left = await Promise.all((await browser.processes()).map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => `${pid} (gone)`)));
    expect(left, 'browser processes left behind').to.deep.equal([]);
    const leftHosts = proxy.log.filter((entry) => !BROWSER_OWN_SERVICES.has(entry.kind === 'connect' ? entry.target.replace(/:\d+$/, '') : new URL(entry.target).hostname))
      .map((entry) => `${entry.method} ${entry.target}`);
    proxy.log.length = 0;
    expect(leftHosts, 'requests that left loopback').to.deep.equal([]);
    await state.remove();
  });

  interface Login {
    prompter: ScriptedPrompter;
    log: string[];
    result: Promise<AuthenticationResult>;
    controller: AbortController;
    /** Browsers started before this login. */
    launchedBefore: number;
  }

  let state: { path: string; remove(): Promise<void> };
  beforeEach(async function () {
    state = await makeTempDir('browser-state');
  });

  async function login(options: { ssoUrl?: string; timeoutSeconds?: number; interactive?: boolean } = {}): Promise<Login> {
    const launchedBefore = (await browser.launches()).length;
    const section = {
      awsl_provider: 'browser', awsl_sso_url: options.ssoUrl ?? idp.webLoginUrl(), awsl_browser_path: browser.path,
      ...(options.timeoutSeconds ? { awsl_browser_timeout: String(options.timeoutSeconds) } : {}),
    };
    const settings = readProfileSettings('p', section)!;
    const prompter = scriptedPrompter([], options.interactive ?? true);
    const log: string[] = [];
    const controller = new AbortController();
    const context: BrowserContext = {
      settings: settings as BrowserContext['settings'], prompter, logger: createLogger('debug', (text) => log.push(text)), signal: controller.signal,
      options: { flags: {} }, acsUrl: AWS_ACS_URLS[0], stateDirectory: state.path, env: process.env, http: createHttpClient(),
      // The person types the password into the IdP's page; awsl never asks for one or keeps one.
      password: { get: () => Promise.reject(new Error('the browser provider asked for a password')), accepted: async () => undefined, rejected: async () => undefined, doubted: async () => undefined, mayAskAgain: () => false },
      secrets: { get: () => Promise.reject(new Error('the browser provider read the keyring')), set: () => Promise.reject(new Error('the browser provider wrote the keyring')), delete: async () => false },
    };
    return { prompter, log, controller, launchedBefore, result: browserProvider.authenticate(context) };
  }

  function destinationOf(result: AuthenticationResult): string | null {
    const xml = new DOMParser().parseFromString(Buffer.from(result.samlResponse, 'base64').toString('utf8'), 'text/xml');
    return xml.getElementsByTagNameNS(SAML_PROTOCOL, 'Response')[0]!.getAttribute('Destination');
  }

  /** Waits for the window: the second browser of this login, after the headless one. */
  async function windowOf(run: Login): Promise<void> {
    await browser.waitForLaunches(run.launchedBefore + 2);
    await person.waitForForm();
  }

  /** A first login: the form in the window, filled by the person. */
  async function firstLogin(options: Parameters<typeof login>[0] = {}): Promise<{ run: Login; result: AuthenticationResult }> {
    const run = await login(options);
    await windowOf(run);
    await person.logIn(ALICE.username, ALICE.password);
    return { run, result: await run.result };
  }

  it('first login: tries headless, then opens a window at the IdP, says so, and captures what the IdP posts to AWS', async function () {
    const { run, result } = await firstLogin();
    expect(result.usedSavedSession).to.equal(false);
    expect(destinationOf(result)).to.equal(AWS_ACS_URLS[0]);
    expect(Buffer.from(result.samlResponse, 'base64').toString('utf8')).to.include(ALICE.roles[0]!.roleArn);
    const launches = (await browser.launches()).slice(run.launchedBefore);
    expect(launches).to.have.length(2);
    expect(launches[0]).to.include('--headless');
    expect(launches[1]).to.not.include('--headless');
    expect(run.prompter.said.join('\n')).to.match(/Log in to 127\.0\.0\.1:\d+ in the browser window awsl opened/);
    expect(run.log.join('')).to.match(/Captured the SAMLResponse POST to https:\/\/signin\.aws\.amazon\.com\/saml; it was not sent/);
    const profile = browserProfileDirectory(state.path, 'p');
    expect(statSync(profile).mode & 0o777).to.equal(0o700);
    expect(statSync(`${profile}/awsl-cookies.json`).mode & 0o777).to.equal(0o600);
    expect(await browserDescriptor.hasSavedSession(readProfileSettings('p', { awsl_provider: 'browser' })!, state.path)).to.equal(true);
  });

  it('while the IdP session lasts, logs in headless with no window and no prompt; an ended IdP session brings the form back', async function () {
    await firstLogin();
    const before = (await browser.launches()).length;
    const silent = await login({ interactive: false });
    const result = await silent.result;
    expect(result.usedSavedSession).to.equal(true);
    expect(silent.prompter.said).to.deep.equal([]);
    const launches = (await browser.launches()).slice(before);
    expect(launches).to.have.length(1);
    expect(launches[0]).to.include('--headless');

    await idp.endSessions();
    const again = await firstLogin();
    expect(again.result.usedSavedSession).to.equal(false);
    expect((await browser.launches()).slice(before + 1)).to.have.length(2);
  });

  it('captures the POST to every AWS sign-in endpoint form: regional, /static/saml, /saml/acs/<id>, each partition', async function () {
    await firstLogin();
    for (const acsUrl of [...AWS_ACS_URLS, ...AWS_OTHER_ACS_URLS]) {
      const run = await login({ ssoUrl: idp.webLoginUrl(acsUrl), interactive: false });
      const result = await run.result;
      expect(destinationOf(result), acsUrl).to.equal(acsUrl);
      expect(run.log.join(''), acsUrl).to.include(`Captured the SAMLResponse POST to ${acsUrl}; it was not sent`);
    }
  });

  it('with a wrong password the form stays up until the time limit, then fails with a message saying what to do', async function () {
    const run = await login({ timeoutSeconds: 6 });
    await windowOf(run);
    await person.logIn(ALICE.username, 'not-the-password');
    const deadline = Date.now() + 10_000;
    let text = '';
    while (!/incorrect|wrong|username or password/i.test(text) && Date.now() < deadline) {
      await person.waitForForm();
      text = await person.pageText().catch(() => '');
    }
    expect(text, 'the IdP says the password is wrong').to.match(/incorrect|wrong|username or password/i);
    const error = await run.result.then(() => undefined, (caught: unknown) => caught);
    expect(error).to.be.instanceOf(BrowserLoginTimeoutError);
    expect((error as BrowserLoginTimeoutError).exitCode).to.equal(7);
    expect((error as BrowserLoginTimeoutError).describe()).to.match(/within 6 s[\s\S]*--browser-timeout SECONDS/);
  });

  it('a closed window ends the login as cancelled (exit 130)', async function () {
    const run = await login();
    await windowOf(run);
    await person.closeWindow();
    const error = await run.result.then(() => undefined, (caught: unknown) => caught);
    expect(error).to.be.instanceOf(CancelledError);
    expect((error as CancelledError).exitCode).to.equal(130);
    expect((error as Error).message).to.match(/window was closed/);
  });

  it('Ctrl-C (the abort signal) while the window waits closes the browser', async function () {
    const run = await login();
    await windowOf(run);
    expect(await browser.processes()).to.not.deep.equal([]);
    run.controller.abort(new CancelledError('Cancelled.'));
    const error = await run.result.then(() => undefined, (caught: unknown) => caught);
    expect(error).to.be.instanceOf(CancelledError);
  });

  it('with no terminal, a login that needs a person fails at once and opens no window', async function () {
    const run = await login({ interactive: false });
    const error = await run.result.then(() => undefined, (caught: unknown) => caught);
    expect(error).to.be.instanceOf(NeedsTerminalError);
    expect((error as NeedsTerminalError).describe()).to.include('awsl login --profile p');
    const launches = await browser.launches();
    expect(launches[launches.length - 1]).to.include('--headless');
  });

  it('the proxy would see a request that left loopback (control for the checks after each test)', async function () {
    const run = await login();
    await windowOf(run);
    const { default: CDP } = await import('chrome-remote-interface');
    const page = (await CDP.List({ host: '127.0.0.1', port: browser.devToolsPort })).find((target) => target.type === 'page')!;
    const client = await CDP({ host: '127.0.0.1', port: browser.devToolsPort, target: page.id, local: true });
    await client.Page.navigate({ url: 'http://example.invalid/' }).catch(() => undefined);
    await client.close();
    const deadline = Date.now() + 5000;
    while (!proxy.targets().some((target) => target.includes('example.invalid')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.targets().join(' ')).to.include('example.invalid');
    run.controller.abort(new CancelledError('Cancelled.'));
    await run.result.catch(() => undefined);
    // Only now that the browser is gone: the page may still ask example.invalid for its favicon.
    proxy.log.length = 0;
  });
});
