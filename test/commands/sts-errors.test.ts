/**
 * STS problems are described as STS's: an unreachable STS endpoint names STS and where its address
 * came from; an HTML page or a non-XML reply (a proxy, a captive portal) says so, without the AWS
 * SDK's internals; a refusal gives AWS's code, its message and a fix. The real SimpleSAMLphp signs
 * the assertion; the STS side is a closed port, a web server, or the STS stand-in.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { ALICE_ADMIN, startEcpWorld, type EcpWorld } from './ecp-world.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('awsl login: STS problems', function () {
  let world: EcpWorld;
  let web: Server;
  let webUrl: string;
  let reply = { status: 200, type: 'text/html', body: '<!DOCTYPE html><html><head><title>Sign in - Example Corp</title></head><body><form></form></body></html>' };

  before(async function () {
    world = await startEcpWorld(this);
    web = createServer((_request, response) => {
      response.writeHead(reply.status, { 'content-type': reply.type });
      response.end(reply.body);
    });
    webUrl = await listen(web);
  });

  after(async function () {
    web?.close();
    await world?.stop();
  });

  const loginWith = async (stsUrl: string) => {
    const machine = world.machine({ AWS_ENDPOINT_URL_STS: stsUrl });
    await machine.configure('p', 'alice', ['--role-arn', ALICE_ADMIN]);
    return machine.login('p');
  };

  it('an unreachable STS endpoint is named as STS, with the variable that set it', async function () {
    const closed = createServer();
    const url = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const result = await loginWith(url);
    expect(result.code, result.stderr).to.equal(11);
    expect(result.stderr).to.include(`AWS STS (from AWS_ENDPOINT_URL_STS): Connection refused by ${new URL(url).host}.`);
    expect(result.stderr).to.include('Check the STS endpoint set in AWS_ENDPOINT_URL_STS');
  });

  it('an HTML page from the STS endpoint says so, with its title and no SDK internals', async function () {
    reply = { ...reply, status: 200, type: 'text/html' };
    const result = await loginWith(webUrl);
    expect(result.code, result.stderr).to.equal(12);
    expect(result.stderr).to.include(`AWS STS at ${new URL(webUrl).host} (from AWS_ENDPOINT_URL_STS) answered an HTML page (HTTP 200, "Sign in - Example Corp"), not an STS reply.`);
    expect(result.stderr).to.include('proxy or captive portal');
    expect(result.stderr).not.to.match(/\$response|Deserialization|@aws-sdk|refused/);
  });

  it('a plain-text 502 from the STS endpoint says it is not XML', async function () {
    reply = { status: 502, type: 'text/plain', body: 'Bad gateway' };
    const result = await loginWith(webUrl);
    expect(result.code, result.stderr).to.equal(12);
    expect(result.stderr).to.include('answered a reply that is not XML (HTTP 502), not an STS reply.');
    expect(result.stderr).not.to.match(/\$response|Deserialization|@aws-sdk/);
  });

  it('a refusal gives AWS\'s code, its message and a fix', async function () {
    const sts = await world.startSts({ trustedProviders: {} });
    const result = await loginWith(sts.url);
    expect(result.code, result.stderr).to.equal(12);
    expect(result.stderr).to.match(/^STS refused AssumeRoleWithSAML \(\w+\): \S.*\n.+\S/m);
    expect(result.stderr).not.to.include('AWSL_LOG');
  });
});
