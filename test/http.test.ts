/**
 * The HTTP client on its own, against a real loopback server: what the debug log shows (and never
 * shows), redirects not followed, cookies through a jar, the size limit and the read timeout.
 */
import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieJar } from 'tough-cookie';
import { NetworkError } from '../src/errors.js';
import { createHttpClient, redactUrl } from '../src/http.js';
import { createLogger } from '../src/ui/logger.js';
import { startForwardProxy } from './peers/proxy.js';

describe('http client', function () {
  let server: Server;
  let base: string;
  let seen: IncomingMessage[];
  let handle: (request: IncomingMessage, response: ServerResponse) => void;

  before(async function () {
    server = createServer((request, response) => {
      seen.push(request);
      handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async function () {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(function () {
    seen = [];
    handle = (_request, response) => response.end('ok');
  });

  const debugLog = () => {
    const lines: string[] = [];
    return { lines, logger: createLogger('debug', (text) => { lines.push(text); }) };
  };

  it('takes its proxy from the run\'s environment, not from process.env', async function () {
    const proxy = await startForwardProxy();
    const saved = process.env.HTTP_PROXY;
    try {
      const proxied = await createHttpClient({ env: { HTTP_PROXY: proxy.url } }).send({ method: 'GET', url: `${base}/through-the-proxy` });
      expect(proxied.status).to.equal(200);
      expect(proxy.targets()).to.deep.equal([new URL(base).host]);

      process.env.HTTP_PROXY = proxy.url;
      const direct = await createHttpClient({ env: {} }).send({ method: 'GET', url: `${base}/direct` });
      expect(direct.status).to.equal(200);
      expect(proxy.targets(), 'process.env\'s proxy is not used').to.have.length(1);
      expect(seen.map((request) => request.url)).to.deep.equal(['/through-the-proxy', '/direct']);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
      await proxy.stop();
    }
  });

  it('keeps credentials, cookies and the headers a request names as secret out of the debug log', async function () {
    handle = (_request, response) => {
      response.setHeader('set-cookie', 'session=server-cookie-secret; Path=/');
      response.end('ok');
    };
    const { lines, logger } = debugLog();
    const jar = new CookieJar();
    await jar.setCookie('idp=jar-cookie-secret; Path=/', base);
    const reply = await createHttpClient({ logger }).send({
      method: 'POST', url: `${base}/ecp?SAMLRequest=saml-secret&plain=visible`, body: 'x', cookieJar: jar,
      headers: { authorization: 'Basic cGFzc3dvcmQtc2VjcmV0', 'X-Passcode': '424242', 'X-Visible': 'shown' },
      secretHeaders: ['x-passcode'],
    });
    expect(reply).to.include({ status: 200, body: 'ok' });
    expect(seen[0]!.headers['x-passcode'], 'the header still reaches the server').to.equal('424242');
    const log = lines.join('');
    for (const secret of ['cGFzc3dvcmQtc2VjcmV0', '424242', 'jar-cookie-secret', 'server-cookie-secret', 'saml-secret']) expect(log).not.to.include(secret);
    expect(log).to.include('X-Visible: shown').and.include('plain=visible').and.include('X-Passcode: [redacted]');
    expect((await jar.getCookies(base)).map((cookie) => cookie.key).sort()).to.deep.equal(['idp', 'session']);
  });

  it('redacts secret-looking query parameters and user info in URLs', function () {
    expect(redactUrl('https://me:pw@host/path?Session=abc&token=t&x=1')).to.equal('https://host/path?Session=[redacted]&token=[redacted]&x=1');
    expect(redactUrl('not a url')).to.equal('[unparsable URL]');
  });

  it('never follows a redirect: the caller sees it', async function () {
    handle = (_request, response) => {
      response.writeHead(302, { location: `${base}/login-form` });
      response.end();
    };
    const reply = await createHttpClient().send({ method: 'GET', url: `${base}/ecp` });
    expect(reply.status).to.equal(302);
    expect(reply.headers.location).to.equal(`${base}/login-form`);
    expect(seen.map((request) => request.url)).to.deep.equal(['/ecp']);
  });

  it('refuses a reply larger than the limit with a typed network error', async function () {
    handle = (_request, response) => response.end('x'.repeat(4096));
    const error = await createHttpClient({ maxResponseBytes: 1024 }).send({ method: 'GET', url: `${base}/big` }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(NetworkError);
  });

  it('gives up on a server that does not answer within the read timeout, naming the host', async function () {
    handle = () => undefined;
    const started = Date.now();
    const error = await createHttpClient({ readTimeoutMs: 300 }).send({ method: 'GET', url: `${base}/slow` }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(NetworkError);
    expect((error as NetworkError).message).to.equal(`${new URL(base).host} did not answer in time.`);
    expect(Date.now() - started).to.be.lessThan(10_000);
  });

  it('names a refused connection as such', async function () {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await createHttpClient().send({ method: 'GET', url: `http://127.0.0.1:${port}/` }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(NetworkError);
    expect((error as NetworkError).message).to.equal(`Connection refused by 127.0.0.1:${port}.`);
    expect((error as NetworkError).hint).to.equal('Check the URL and port, and that the service is running.');
    // A URL of awsl's own (console --print's sign-in service): the hint does not blame a URL nobody typed.
    const ownUrl = await createHttpClient({ builtInUrls: true }).send({ method: 'GET', url: `http://127.0.0.1:${port}/` }).catch((caught: unknown) => caught);
    expect((ownUrl as NetworkError).hint).to.equal('Check your network and any proxy settings (HTTPS_PROXY, NO_PROXY).');
  });

  it('a host name that does not resolve: the hint names DNS, and the URL only when the person gave it', async function () {
    const url = 'https://awsl-test.invalid/';
    const given = await createHttpClient().send({ method: 'GET', url }).catch((caught: unknown) => caught);
    expect(given).to.be.instanceOf(NetworkError);
    expect((given as NetworkError).describe()).to.equal('Cannot resolve the host name awsl-test.invalid.\nCheck the URL and your DNS or VPN.');
    const builtIn = await createHttpClient({ builtInUrls: true }).send({ method: 'GET', url }).catch((caught: unknown) => caught);
    expect((builtIn as NetworkError).describe()).to.equal('Cannot resolve the host name awsl-test.invalid.\nCheck your DNS or VPN.');
  });
});
