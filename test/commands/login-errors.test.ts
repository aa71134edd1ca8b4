import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { freePort } from '../peers/process.js';
import { throwawayKeyPair } from '../peers/saml-fixtures.js';
import { ECP_PATH, LOGIN_FORM_PATH } from '../peers/shibboleth-duo/index.js';
import { DUO_USER, startDuoWorld, type AwslUser, type DuoWorld } from './duo-world.js';

describe('awsl login: IdP and network errors (Shibboleth-style IdP)', function () {
  let world: DuoWorld;

  before(async function () {
    world = await startDuoWorld();
    // Duo is not what these tests are about: approve quickly.
    world.idp.duo.pushDelayMs = 20;
  });

  after(async function () {
    await world?.stop();
  });

  /** Runs a password login whose one request gets `reply`; checks it was the only request. */
  async function loginAgainstCanned(reply: Parameters<DuoWorld['idp']['respondWith']>[0], user?: AwslUser) {
    const awslUser = user ?? await world.user({ factor: 'push' });
    const before = world.idp.requests.length;
    world.idp.respondWith(reply);
    const result = await awslUser.login();
    const requests = world.idp.requests.slice(before);
    expect(awslUser.credentials()).to.equal(undefined);
    return { result, requests };
  }

  it('a wrong password where the IdP checks it: exit 7 naming the password and Duo, one request, Duo never run', async function () {
    const user = await world.user({ factor: 'push' });
    const attemptsBefore = world.idp.duo.attempts.length;
    const requestsBefore = world.idp.requests.length;
    const result = await user.login([], 'not-the-password');
    expect(result.code, result.stderr).to.equal(7);
    expect(result.stderr).to.include('The IdP refused the login (Requester / AuthnFailed / An error occurred): the password or the Duo second factor (factor push) was not accepted')
      .and.to.include('If no Duo request reached your device, the password is wrong');
    expect(world.idp.requests.slice(requestsBefore).map((request) => request.outcome)).to.deep.equal(['unauthorized']);
    expect(world.idp.duo.attempts).to.have.length(attemptsBefore);
    expect(user.credentials()).to.equal(undefined);
  });

  it('a wrong password with the factor none: exit 7, the username or password rejected', async function () {
    const user = await world.user({ username: 'plain-user', factor: 'none' });
    const result = await user.login([], 'not-the-password');
    expect(result.code, result.stderr).to.equal(7);
    expect(result.stderr).to.match(/^The IdP rejected the username or password \(.*AuthnFailed \/ An error occurred\)\./);
  });

  describe('where the web server checks the password', function () {
    let fronted: DuoWorld;

    before(async function () {
      fronted = await startDuoWorld({ passwordCheck: 'web-server' });
    });

    after(async function () {
      await fronted?.stop();
    });

    it('exits 7 when it answers HTTP 401 to a wrong password, without trying Duo', async function () {
      const user = await fronted.user({ factor: 'push' });
      const result = await user.login([], 'not-the-password');
      expect(result.code, result.stderr).to.equal(7);
      expect(result.stderr).to.include('The IdP rejected the username or password (HTTP 401');
      expect(fronted.idp.requests.at(-1)).to.include({ outcome: 'unauthorized', user: DUO_USER, status: 401 });
      expect(fronted.idp.duo.attempts).to.have.length(0);
      expect(user.credentials()).to.equal(undefined);
    });
  });

  it('exits 9 on an HTML login page instead of SOAP', async function () {
    const { result } = await loginAgainstCanned('html-login-page');
    expect(result.code, result.stderr).to.equal(9);
    expect(result.stderr).to.include('The IdP returned an HTML page (HTTP 200, "Web Login Service")');
  });

  it('blames an HTTP 500 HTML page on the IdP, not on the profile', async function () {
    const { result } = await loginAgainstCanned({ status: 500, headers: { 'Content-Type': 'text/html' }, body: '<html><head><title>Internal Server Error</title></head></html>' });
    expect(result.code, result.stderr).to.equal(9);
    expect(result.stderr).to.include('The IdP had an internal error (HTTP 500): try again later').and.not.include('Check that awsl_ecp_endpoint_url');
  });

  it('says that a flag of the other provider is ignored', async function () {
    const user = await world.user({ factor: 'push' });
    const result = await user.login(['--mfa-device', 'sms']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.include('warning: --mfa-device applies to onelogin profiles; ignored for duo (ecp).');
  });

  it('exits 9 on a redirect, and never follows it', async function () {
    const { result, requests } = await loginAgainstCanned('redirect');
    expect(result.code, result.stderr).to.equal(9);
    expect(result.stderr).to.include('redirect (HTTP 302)').and.to.include(LOGIN_FORM_PATH);
    expect(requests.map((r) => r.path)).to.deep.equal([ECP_PATH]);
  });

  it('exits 9 on a reply that is not XML', async function () {
    const { result } = await loginAgainstCanned('garbage');
    expect(result.code, result.stderr).to.equal(9);
    expect(result.stderr).to.include('is not well-formed XML');
  });

  it('stops reading a reply over the size limit and says so', async function () {
    const { result } = await loginAgainstCanned('huge');
    expect(result.code, result.stderr).to.be.oneOf([9, 11]);
    expect(result.stderr).to.include('larger than 1048576 bytes');
  });

  it('exits 9 on a SOAP fault from an IdP without Duo, quoting the fault', async function () {
    const user = await world.user({ username: 'plain-user' });
    const fault = '<?xml version="1.0"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault>'
      + '<faultcode>S:Server</faultcode><faultstring>Authentication source unavailable</faultstring></S:Fault></S:Body></S:Envelope>';
    const { result } = await loginAgainstCanned({ status: 500, headers: { 'Content-Type': 'text/xml' }, body: fault }, user);
    expect(result.code, result.stderr).to.equal(9);
    expect(result.stderr).to.include('SOAP fault: Authentication source unavailable');
  });

  it('exits 11 when the connection is refused', async function () {
    const closedPort = await freePort();
    const user = await world.user({ factor: 'push', endpointUrl: `http://127.0.0.1:${closedPort}${ECP_PATH}` });
    const result = await user.login();
    expect(result.code, result.stderr).to.equal(11);
    expect(result.stderr).to.include(`Connection refused by 127.0.0.1:${closedPort}`);
  });

  describe('the IdP session', function () {
    it('after logout, logs in again with no password and no Duo header', async function () {
      const user = await world.user({ factor: 'push' });
      expect((await user.login()).code).to.equal(0);
      const logout = await user.run(['logout']);
      expect(logout.code, logout.stderr).to.equal(0);
      const requestsBefore = world.idp.requests.length;
      const attemptsBefore = world.idp.duo.attempts.length;

      const again = await user.run(['login']);
      expect(again.code, again.stderr).to.equal(0);
      expect(again.stdout).to.include(', through the saved IdP session.');
      const requests = world.idp.requests.slice(requestsBefore);
      expect(requests).to.have.length(1);
      expect(requests[0]).to.include({ usedSession: true, outcome: 'success' });
      expect(requests[0]?.headers).to.not.have.any.keys('authorization', 'x-shibboleth-duo-factor', 'x-shibboleth-duo-passcode');
      expect(world.idp.duo.attempts).to.have.length(attemptsBefore);
      world.expectLoggedIn(user);
    });

    it('when the IdP ended the session, exits 6 naming --password-stdin with no stdin and no terminal', async function () {
      const user = await world.user({ factor: 'push' });
      expect((await user.login()).code).to.equal(0);
      world.idp.expireSessions();
      const requestsBefore = world.idp.requests.length;
      const result = await user.run(['login']);
      expect(result.code, result.stderr).to.equal(6);
      expect(result.stderr).to.include('there is no terminal').and.to.include('--password-stdin');
      // The stale session was offered once and refused; nothing else was sent.
      expect(world.idp.requests.slice(requestsBefore).map((r) => r.outcome)).to.deep.equal(['unauthorized']);
    });
  });

  describe('TLS', function () {
    let tls: DuoWorld;
    let caFile: string;

    before(async function () {
      const keyPair = throwawayKeyPair('idp-tls');
      tls = await startDuoWorld({ https: keyPair });
      tls.idp.duo.pushDelayMs = 20;
      const holder = await tls.user();
      caFile = join(holder.sandbox.home, 'idp-ca.pem');
      writeFileSync(caFile, keyPair.cert);
    });

    after(async function () {
      await tls?.stop();
    });

    it('exits 11 when the IdP certificate is not trusted', async function () {
      const user = await tls.user({ factor: 'push' });
      const requestsBefore = tls.idp.requests.length;
      const result = await user.login();
      expect(result.code, result.stderr).to.equal(11);
      expect(result.stderr).to.include('TLS verification failed for 127.0.0.1:').and.to.include('AWS_CA_BUNDLE');
      expect(tls.idp.requests).to.have.length(requestsBefore);
    });

    it('logs in with the certificate in the profile\'s --ca-bundle', async function () {
      const user = await tls.user({ factor: 'push', configure: ['--ca-bundle', caFile] });
      const result = await user.login();
      expect(result.code, result.stderr).to.equal(0);
      tls.expectLoggedIn(user);
    });

    it('names a configured CA bundle that does not hold the IdP\'s CA; refuses one that is not PEM or missing (exit 5) before any request', async function () {
      const other = join(tls.idp.url.startsWith('https') ? caFile.replace(/idp-ca\.pem$/, 'other-ca.pem') : caFile);
      writeFileSync(other, throwawayKeyPair('someone-else').cert);
      const wrong = await (await tls.user({ factor: 'push', configure: ['--ca-bundle', other] })).login();
      expect(wrong.code, wrong.stderr).to.equal(11);
      expect(wrong.stderr).to.include(`The CA bundle ${other} does not hold the CA that signed`);
      const notPem = caFile.replace(/idp-ca\.pem$/, 'not-pem.txt');
      writeFileSync(notPem, 'hello\n');
      const requestsBefore = tls.idp.requests.length;
      for (const bundle of [notPem, `${caFile}.missing`]) {
        const result = await tls.user({ factor: 'push', env: { AWS_CA_BUNDLE: bundle } }).then((user) => user.login());
        expect(result.code, result.stderr).to.equal(5);
        expect(result.stderr).to.include(bundle);
      }
      expect(tls.idp.requests).to.have.length(requestsBefore);
    });

    it('logs in with the certificate in AWS_CA_BUNDLE', async function () {
      const user = await tls.user({ factor: 'push', env: { AWS_CA_BUNDLE: caFile } });
      const result = await user.login();
      expect(result.code, result.stderr).to.equal(0);
      tls.expectLoggedIn(user);
    });

    it('logs in with --no-verify-tls, warning that verification is off', async function () {
      const user = await tls.user({ factor: 'push', configure: ['--no-verify-tls'] });
      const result = await user.login();
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr).to.include('TLS certificate verification is OFF for profile duo');
      tls.expectLoggedIn(user);
    });
  });
});
