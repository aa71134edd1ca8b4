import { request } from 'node:http';
import { expect } from 'chai';
import { NeedsTerminalError } from '../../src/errors.js';
import { isLoopbackAddress, startCredentialsServer, type CredentialsServer } from '../../src/aws/credentials-server.js';
import type { AwsCredentials } from '../../src/aws/credential-store.js';
import { createLogger } from '../../src/ui/logger.js';

interface Reply {
  status: number;
  body: Record<string, string>;
}

/** One GET, with the headers given (Host included: fetch would not let a test set it). */
function get(url: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, string> }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('aws/credentials-server (exec --server)', function () {
  let server: CredentialsServer;
  let served: number;
  let next: () => Promise<AwsCredentials>;
  const warnings: string[] = [];

  beforeEach(async function () {
    served = 0;
    next = async () => {
      served += 1;
      return { accessKeyId: `ASIA${served}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date('2030-01-02T03:04:05.678Z'), roleArn: 'arn:aws:iam::123456789012:role/Admin' };
    };
    server = await startCredentialsServer(() => next(), createLogger('normal', (text) => warnings.push(text)));
  });
  afterEach(async function () {
    await server.close();
  });

  const host = () => new URL(server.url).host;

  it('answers every request with fresh()\'s credentials in the container endpoint\'s JSON, on 127.0.0.1 only', async function () {
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    expect(server.token).to.match(/^[\w-]{43}$/);
    const first = await get(server.url, { authorization: server.token });
    const second = await get(server.url, { authorization: server.token });
    expect(first).to.deep.equal({ status: 200, body: {
      AccessKeyId: 'ASIA1', SecretAccessKey: 's', Token: 't', Expiration: '2030-01-02T03:04:05Z', RoleArn: 'arn:aws:iam::123456789012:role/Admin', AccountId: '123456789012',
    } });
    expect(second.body.AccessKeyId, 'asked again, not remembered').to.equal('ASIA2');
  });

  it('refuses a missing or wrong token (401), another Host name (403), other paths and methods (404) — without asking for credentials', async function () {
    expect(await get(server.url, {})).to.deep.include({ status: 401 });
    expect(await get(server.url, { authorization: `${server.token}x` })).to.deep.include({ status: 401 });
    expect(await get(server.url, { authorization: server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A') })).to.deep.include({ status: 401 });
    expect(await get(server.url, { authorization: server.token, host: 'attacker.example' })).to.deep.include({ status: 403 });
    expect(await get(server.url, { authorization: server.token, host: `localhost:${new URL(server.url).port}` })).to.deep.include({ status: 403 });
    expect(await get(server.url.replace('/credentials', '/'), { authorization: server.token, host: host() })).to.deep.include({ status: 404 });
    const unauthorized = await get(server.url, { authorization: 'Bearer nope' });
    expect(unauthorized.body.Message).to.include('AWS_CONTAINER_AUTHORIZATION_TOKEN');
    expect(served).to.equal(0);
  });

  it('takes only loopback peers: 127.0.0.0/8 and ::1, mapped ones included', function () {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(address), address).to.equal(true);
    for (const address of [undefined, '', '10.0.0.5', '192.168.1.20', '::ffff:10.0.0.5', 'fe80::1', '::', '0.0.0.0', '128.0.0.1', '127.0.0.1.evil']) {
      expect(isLoopbackAddress(address), String(address)).to.equal(false);
    }
  });

  it('answers 500 with the reason when no credentials can be had, and says so on stderr', async function () {
    next = async () => { throw new NeedsTerminalError('awsl needs to ask "Password for alice" but there is no terminal.', 'Run awsl login.'); };
    const reply = await get(server.url, { authorization: server.token });
    expect(reply).to.deep.equal({ status: 500, body: { Code: 'NeedsTerminalError', Message: 'awsl needs to ask "Password for alice" but there is no terminal.' } });
    expect(warnings.at(-1)).to.equal('warning: could not give the command fresh credentials: awsl needs to ask "Password for alice" but there is no terminal.\n');
  });
});
