/**
 * `awsl exec --server` with the real SDKs as the child: boto3 and the AWS SDK for JavaScript v3,
 * each in a program that runs longer than the credentials the STS stand-in issues (8 s here), and
 * keeps calling STS — which refuses expired tokens. Every request to awsl's endpoint is answered
 * with fresh credentials, refreshed through the saved SimpleSAMLphp session.
 */
import { spawn } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { expect } from 'chai';
import { consumerArgs, pythonWithBoto3, type ConsumerCall } from '../peers/botocore/index.js';
import { AWSL_BIN } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';
import { startCredentialsWorld, type CredentialsWorld, type Home } from './credentials-world.js';

const LIFETIME_SECONDS = 8;
const RUN_SECONDS = 20;
const JS_CONSUMER = resolve('test/peers/aws-sdk-js/consumer.mjs');
const ARN = 'arn:aws:sts::111111111111:assumed-role/Admin/alice@example.org';

/** The child's view of its environment and of awsl's endpoint: what it is given, and what is refused. */
const PROBE = `
const http = require('node:http');
const net = require('node:net');
const { networkInterfaces } = require('node:os');
const url = new URL(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI);
const token = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
const get = (headers) => new Promise((resolve, reject) => {
  http.get(url, { headers }, (response) => { response.resume(); resolve(response.statusCode); }).on('error', reject);
});
const connect = (host) => new Promise((resolve) => {
  const socket = net.connect(Number(url.port), host);
  socket.once('connect', () => { socket.destroy(); resolve('connected'); });
  socket.once('error', (error) => resolve(error.code));
});
(async () => {
  const outside = Object.values(networkInterfaces()).flat().find((entry) => entry && entry.family === 'IPv4' && !entry.internal);
  process.stdout.write(JSON.stringify({
    keys: Object.keys(process.env).filter((name) => name.startsWith('AWS_')).sort(),
    token,
    withToken: await get({ authorization: token }),
    withoutToken: await get({}),
    wrongToken: await get({ authorization: 'x'.repeat(token.length) }),
    otherHost: await get({ authorization: token, host: 'attacker.example:' + url.port }),
    fromOutside: outside ? await connect(outside.address) : 'no non-loopback interface',
  }));
})();
`;

describe('awsl exec --server (built CLI, SimpleSAMLphp, STS stand-in issuing 8-second credentials)', function () {
  this.timeout(120_000);
  let world: CredentialsWorld;

  before(async function () {
    world = await startCredentialsWorld(this, { credentialLifetimeSeconds: LIFETIME_SECONDS });
  });
  after(async function () {
    await world?.stop();
  });

  async function loggedIn(): Promise<Home> {
    const home = world.home();
    const configured = await home.configure('p');
    expect(configured.code, configured.stderr).to.equal(0);
    await home.login('p');
    return home;
  }

  /** `awsl exec --server --profile p -- COMMAND…`; resolves with the child's stdout. */
  function execServer(home: Home, command: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [AWSL_BIN, 'exec', '--server', '--profile', 'p', '--', ...command], { env: home.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      child.on('error', reject);
      child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    });
  }

  /** Every call worked with credentials STS issued; the program outlived the first ones, and got others. */
  function expectOutlivedFirstCredentials(calls: ConsumerCall[]): void {
    expect(calls.length).to.be.greaterThan(10);
    for (const call of calls) expect(call.arn).to.equal(ARN);
    const first = world.sts.issued.get(calls[0]!.accessKeyId);
    expect(first, 'issued by STS').to.not.equal(undefined);
    expect(calls.at(-1)!.at * 1000, 'the last call came after the first credentials expired').to.be.greaterThan(first!.expiration.getTime());
    const keys = new Set(calls.map((call) => call.accessKeyId));
    expect(keys.size, 'fresh credentials along the way').to.be.greaterThan(RUN_SECONDS / LIFETIME_SECONDS);
  }

  it('boto3 (container provider) keeps working past its first credentials\' expiry, with AccountId', async function () {
    const python = pythonWithBoto3();
    requirePeer(this, python !== undefined, 'python3 with boto3 (this image\'s pyenv Python 3.11)');
    const home = await loggedIn();
    const result = await execServer(home, [python!, ...consumerArgs({ endpoint: world.sts.url, seconds: RUN_SECONDS, interval: 0.5 })]);
    expect(result.code, result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout) as { method: string; spawns: number; calls: ConsumerCall[] };
    expect(report.method).to.equal('container-role');
    expect(report.spawns, 'no credential_process involved').to.equal(0);
    expectOutlivedFirstCredentials(report.calls);
    for (const call of report.calls) expect(call.accountId).to.equal('111111111111');
  });

  it('the AWS SDK for JavaScript v3 (default chain) keeps working past its first credentials\' expiry', async function () {
    const home = await loggedIn();
    const result = await execServer(home, [process.execPath, JS_CONSUMER, JSON.stringify({ endpoint: world.sts.url, seconds: RUN_SECONDS, interval: 0.5 })]);
    expect(result.code, result.stderr).to.equal(0);
    expectOutlivedFirstCredentials((JSON.parse(result.stdout) as { calls: ConsumerCall[] }).calls);
  });

  it('gives the child the endpoint and a random token instead of keys; refuses no token, a wrong one, another Host, other machines', async function () {
    const home = await loggedIn();
    const outside = Object.values(networkInterfaces()).flat().some((entry) => entry && entry.family === 'IPv4' && !entry.internal);
    const env = { AWS_ACCESS_KEY_ID: 'AKIAAMBIENT', AWS_PROFILE: 'other', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' };
    const runs = await Promise.all([0, 1].map(() => execServer({ ...home, env: { ...home.env, ...env } }, [process.execPath, '-e', PROBE])));
    const [probe, other] = runs.map((run) => {
      expect(run.code, run.stderr).to.equal(0);
      return JSON.parse(run.stdout) as Record<string, unknown>;
    });
    expect(probe!.keys).to.deep.equal(['AWS_ACCOUNT_ID', 'AWS_CONFIG_FILE', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_EC2_METADATA_DISABLED', 'AWS_ENDPOINT_URL_STS', 'AWS_SHARED_CREDENTIALS_FILE']);
    expect(probe!.token).to.match(/^[\w-]{43}$/).and.not.equal(other!.token);
    expect(probe).to.include({ withToken: 200, withoutToken: 401, wrongToken: 401, otherHost: 403 });
    // Listening on 127.0.0.1 only: another machine cannot even connect.
    if (outside) expect(probe!.fromOutside).to.equal('ECONNREFUSED');
    else expect(probe!.fromOutside).to.equal('no non-loopback interface');
  });
});
