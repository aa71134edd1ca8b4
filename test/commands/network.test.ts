/**
 * awsl on a hostile or awkward network, end to end: a size limit on every reply (IdP, OneLogin,
 * STS) against servers whose body never ends; a timeout per phase (connect, waiting for an
 * answer, a body that stalls) against loopback servers that never accept, never answer or stall;
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY (upper and lower case) through a recording proxy; a custom
 * CA through a proxy; and the per-profile TLS opt-out, which warns on every use.
 *
 * AWSL_HTTP_CONNECT_TIMEOUT_MS and AWSL_HTTP_READ_TIMEOUT_MS (src/http.ts) shorten the timeouts,
 * whose defaults (10 s to connect, 180 s to answer, long enough for a Duo push) no test can wait for.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_READ_TIMEOUT_MS } from '../../src/http.js';
import { STS_READ_TIMEOUT_MS } from '../../src/aws/sts.js';
import { startMisbehavingHttp, startUnacceptingListener, type Misbehaving } from '../peers/misbehaving.js';
import { startForwardProxy, type ForwardProxy } from '../peers/proxy.js';
import { throwawayKeyPair } from '../peers/saml-fixtures.js';
import { SIMPLESAMLPHP_USERS } from '../peers/simplesamlphp/index.js';
import { AWSL_BIN, createSandbox, runAwsl, type RunResult, type Sandbox } from '../support/cli.js';
import { startDuoWorld, type DuoWorld } from './duo-world.js';
import { startSamlWorld, type SamlUser, type SamlWorld } from './saml-world.js';

const alice = SIMPLESAMLPHP_USERS.alice;
const ADMIN = alice.roles[0]!.roleArn;
const MIB = 1024 * 1024;

/** Resolves once `server` has sent nothing for a while: its client hung up. */
async function settled(server: Misbehaving): Promise<number> {
  for (;;) {
    const before = server.bytesSent();
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (server.bytesSent() === before) return before;
  }
}

describe('awsl and the network', function () {
  this.timeout(90_000);
  let world: SamlWorld;

  before(async function () {
    world = await startSamlWorld(this);
  });

  after(async function () {
    await world?.stop();
  });

  /** alice's profile p on SimpleSAMLphp (or `endpoint`), role Admin. */
  async function aliceUser(env: NodeJS.ProcessEnv = {}, configure: string[] = []): Promise<SamlUser> {
    const user = world.user('alice', env);
    await user.configure('p', ['--role-arn', ADMIN, ...configure]);
    return user;
  }

  const login = (user: SamlUser, env: NodeJS.ProcessEnv = {}, args: string[] = []) =>
    user.run(['login', '--profile', 'p', '--password-stdin', ...args], { input: `${alice.password}\n`, env });

  it('has a short connect timeout and a read timeout long enough for a Duo push', function () {
    expect(DEFAULT_CONNECT_TIMEOUT_MS).to.be.at.most(10_000);
    expect(DEFAULT_READ_TIMEOUT_MS).to.be.at.least(120_000);
    expect(STS_READ_TIMEOUT_MS).to.be.at.most(60_000);
    expect(DEFAULT_MAX_RESPONSE_BYTES).to.equal(MIB);
  });

  describe('a size limit on every reply: awsl stops reading a body that never ends', function () {
    let endless: Misbehaving;

    beforeEach(async function () {
      endless = await startMisbehavingHttp('endless-body');
    });

    afterEach(async function () {
      await endless?.stop();
    });

    async function expectStopped(result: RunResult, started: number): Promise<void> {
      expect(result.code, result.stderr).to.equal(11);
      expect(result.stderr).to.include(`larger than ${MIB} bytes; awsl stopped reading it`);
      expect(Date.now() - started).to.be.below(20_000);
      // The client hung up: the server could not push more than its socket buffers hold.
      expect(await settled(endless)).to.be.below(64 * MIB);
    }

    it('from the IdP (ECP)', async function () {
      const user = world.user('alice');
      const result = await user.run(['login', 'configure', '--profile', 'p', '--provider', 'ecp', '--ecp-endpoint-url', `${endless.url}/ecp`, '--username', 'alice', '--no-prompt']);
      expect(result.code, result.stderr).to.equal(0);
      const started = Date.now();
      await expectStopped(await login(user), started);
    });

    it('from the OneLogin API', async function () {
      const sandbox = createSandbox({ AWSL_ONELOGIN_CLIENT_SECRET: 'client-secret' });
      try {
        const configured = await runAwsl(['login', 'configure', '--profile', 'ol', '--provider', 'onelogin', '--onelogin-subdomain', 'acme', '--onelogin-app-id', '123456',
          '--onelogin-client-id', 'client-id', '--onelogin-api-url', endless.url, '--username', 'alice', '--no-prompt'], { env: sandbox.env });
        expect(configured.code, configured.stderr).to.equal(0);
        const started = Date.now();
        await expectStopped(await runAwsl(['login', '--profile', 'ol', '--password-stdin'], { env: sandbox.env, input: 'pw\n' }), started);
      } finally {
        sandbox.remove();
      }
    });

    it('from STS (the AWS SDK goes through awsl\'s HTTP client)', async function () {
      const user = await aliceUser({ AWS_ENDPOINT_URL_STS: endless.url });
      const started = Date.now();
      await expectStopped(await login(user), started);
      expect(user.credentials('p')).to.equal(undefined);
    });
  });

  describe('a timeout per phase', function () {
    let server: Misbehaving | undefined;

    afterEach(async function () {
      await server?.stop();
      server = undefined;
    });

    async function timedLogin(user: SamlUser, env: NodeJS.ProcessEnv): Promise<{ result: RunResult; ms: number }> {
      const started = Date.now();
      const result = await login(user, env);
      return { result, ms: Date.now() - started };
    }

    it('connect: a server that never accepts (full backlog, SYNs dropped) fails within the connect timeout', async function () {
      server = await startUnacceptingListener();
      const user = world.user('alice');
      await user.run(['login', 'configure', '--profile', 'p', '--provider', 'ecp', '--ecp-endpoint-url', `${server.url}/ecp`, '--username', 'alice', '--no-prompt']);
      const { result, ms } = await timedLogin(user, { AWSL_HTTP_CONNECT_TIMEOUT_MS: '1000' });
      expect(result.code, result.stderr).to.equal(11);
      expect(result.stderr).to.include(`Timed out connecting to 127.0.0.1:${server.port}`).and.to.include('HTTPS_PROXY');
      expect(ms).to.be.below(10_000);
    });

    it('answer: an IdP that accepts and never answers fails within the read timeout', async function () {
      server = await startMisbehavingHttp('silent');
      const user = world.user('alice');
      await user.run(['login', 'configure', '--profile', 'p', '--provider', 'ecp', '--ecp-endpoint-url', `${server.url}/ecp`, '--username', 'alice', '--no-prompt']);
      const { result, ms } = await timedLogin(user, { AWSL_HTTP_READ_TIMEOUT_MS: '1000' });
      expect(result.code, result.stderr).to.equal(11);
      expect(result.stderr).to.include(`127.0.0.1:${server.port} did not answer in time`);
      expect(ms).to.be.below(10_000);
      expect(server.connections()).to.equal(1);
    });

    it('body: an IdP that stalls in the middle of its reply fails within the read timeout', async function () {
      server = await startMisbehavingHttp('stall-body');
      const user = world.user('alice');
      await user.run(['login', 'configure', '--profile', 'p', '--provider', 'ecp', '--ecp-endpoint-url', `${server.url}/ecp`, '--username', 'alice', '--no-prompt']);
      const { result, ms } = await timedLogin(user, { AWSL_HTTP_READ_TIMEOUT_MS: '1000' });
      expect(result.code, result.stderr).to.equal(11);
      expect(result.stderr).to.include('did not answer in time');
      expect(ms).to.be.below(10_000);
    });

    it('STS: a silent STS fails within the read timeout, and no credentials are written', async function () {
      server = await startMisbehavingHttp('silent');
      const user = await aliceUser({ AWS_ENDPOINT_URL_STS: server.url });
      const { result, ms } = await timedLogin(user, { AWSL_HTTP_READ_TIMEOUT_MS: '3000' });
      expect(result.code, result.stderr).to.equal(11);
      expect(result.stderr).to.include('did not answer in time');
      expect(ms).to.be.below(20_000);
      expect(user.credentials('p')).to.equal(undefined);
    });
  });

  it('Ctrl-C (SIGINT) while STS keeps awsl waiting exits 130 promptly, not as a network error', async function () {
    const silent = await startMisbehavingHttp('silent');
    try {
      const user = await aliceUser({ AWS_ENDPOINT_URL_STS: silent.url });
      const child = spawn(process.execPath, [AWSL_BIN, 'login', '--profile', 'p', '--password-stdin'], { env: user.sandbox.env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      child.stdin.end(`${alice.password}\n`);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      // Wait until the request to STS is open, then interrupt.
      while (silent.connections() === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      const interrupted = Date.now();
      child.kill('SIGINT');
      const code = await exited;
      expect(code, stderr).to.equal(130);
      expect(stderr).to.include('Cancelled');
      expect(Date.now() - interrupted).to.be.below(5000);
      expect(user.credentials('p')).to.equal(undefined);
    } finally {
      await silent.stop();
    }
  });

  describe('proxies from the environment', function () {
    let proxy: ForwardProxy;

    beforeEach(async function () {
      proxy = await startForwardProxy();
    });

    afterEach(async function () {
      await proxy?.stop();
    });

    const idpHost = () => new URL(world.idp.url).host;
    const stsHost = () => new URL(world.sts.url).host;

    for (const variable of ['HTTP_PROXY', 'http_proxy']) {
      it(`${variable}: the IdP and STS requests both go through the proxy`, async function () {
        const user = await aliceUser();
        const result = await login(user, { [variable]: proxy.url });
        expect(result.code, result.stderr).to.equal(0);
        expect(proxy.targets()).to.include(idpHost()).and.to.include(stsHost());
        expect(proxy.log.every((entry) => entry.proxyAuthorization === undefined)).to.equal(true);
      });
    }

    for (const variable of ['NO_PROXY', 'no_proxy']) {
      it(`${variable}=127.0.0.1 bypasses the proxy`, async function () {
        const user = await aliceUser();
        const result = await login(user, { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, [variable]: '127.0.0.1' });
        expect(result.code, result.stderr).to.equal(0);
        expect(proxy.log).to.deep.equal([]);
      });
    }
  });

  describe('TLS through a proxy (Shibboleth-style IdP over https with a throwaway CA)', function () {
    let tls: DuoWorld;
    let proxy: ForwardProxy;
    let caFile: string;
    let holder: Sandbox;

    before(async function () {
      const keyPair = throwawayKeyPair('idp-tls-proxy');
      tls = await startDuoWorld({ https: keyPair });
      tls.idp.duo.pushDelayMs = 20;
      proxy = await startForwardProxy();
      holder = createSandbox();
      caFile = join(holder.home, 'ca.pem');
      writeFileSync(caFile, keyPair.cert);
    });

    after(async function () {
      await proxy?.stop();
      await tls?.stop();
      holder?.remove();
    });

    const idpHost = () => new URL(tls.idp.url).host;

    it('HTTPS_PROXY and AWS_CA_BUNDLE: a CONNECT tunnel to the IdP, verified against the CA', async function () {
      const before = proxy.log.length;
      const user = await tls.user({ factor: 'push', env: { HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: caFile } });
      const result = await user.login();
      expect(result.code, result.stderr).to.equal(0);
      expect(proxy.log.slice(before).map((entry) => `${entry.kind} ${entry.target}`)).to.include(`connect ${idpHost()}`);
      tls.expectLoggedIn(user);
    });

    it('https_proxy and the profile\'s awsl_ca_bundle', async function () {
      const before = proxy.log.length;
      const user = await tls.user({ factor: 'push', env: { https_proxy: proxy.url }, configure: ['--ca-bundle', caFile] });
      const result = await user.login();
      expect(result.code, result.stderr).to.equal(0);
      expect(proxy.targets().slice(before)).to.include(idpHost());
    });

    it('through the proxy, an untrusted IdP certificate is still refused (exit 11)', async function () {
      const user = await tls.user({ factor: 'push', env: { HTTPS_PROXY: proxy.url } });
      const result = await user.login();
      expect(result.code, result.stderr).to.equal(11);
      expect(result.stderr).to.include('TLS verification failed');
    });

    it('the per-profile opt-out (--no-verify-tls) works through the proxy and warns on every use', async function () {
      const user = await tls.user({ factor: 'push', env: { HTTPS_PROXY: proxy.url }, configure: ['--no-verify-tls'] });
      const first = await user.login();
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stderr).to.include('TLS certificate verification is OFF for profile duo');
      await user.run(['logout']);
      const second = await user.run(['login']);
      expect(second.code, second.stderr).to.equal(0);
      expect(second.stderr).to.include('TLS certificate verification is OFF for profile duo');
    });
  });
});
