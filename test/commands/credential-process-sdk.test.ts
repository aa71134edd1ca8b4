/**
 * credential_process as botocore uses it: one long-lived Python process (real boto3) over
 * credentials that the STS stand-in issues short-lived, so that botocore's refresh windows (advisory
 * from 15 minutes before expiry, mandatory from 10) come round within seconds. awsl refreshes from
 * the same 15 minutes, so botocore starts it once per refresh, not on every call.
 */
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { consumerArgs, pythonWithBoto3, type ConsumerReport } from '../peers/botocore/index.js';
import { requirePeer } from '../support/peers.js';
import { addRegion, startCredentialsWorld, type CredentialsWorld } from './credentials-world.js';

/** Fresh for awsl and botocore alike during the first FRESH_SECONDS, then within both 15-minute windows. */
const FRESH_SECONDS = 10;
const RUN_SECONDS = 25;

describe('credential_process under botocore (real boto3, SimpleSAMLphp, short-lived STS stand-in credentials)', function () {
  this.timeout(120_000);
  let world: CredentialsWorld;
  let python: string;

  before(async function () {
    const found = pythonWithBoto3();
    requirePeer(this, found !== undefined, 'python3 with boto3 (this image\'s pyenv Python 3.11)');
    python = found!;
    world = await startCredentialsWorld(this, { credentialLifetimeSeconds: 15 * 60 + FRESH_SECONDS });
  });

  after(async function () {
    await world?.stop();
  });

  it('one boto3 session calling STS for 25 s starts awsl once per refresh (3, not once per call), with AccountId', async function () {
    const home = world.home();
    const configured = await home.configure('p', ['--credential-process']);
    expect(configured.code, configured.stderr).to.equal(0);
    addRegion(home.sandbox.configFile, 'p');
    await home.login('p');
    const loginsBefore = world.assumeRoleCount();

    const report = await new Promise<ConsumerReport>((resolve, reject) => {
      const child = spawn(python, consumerArgs({ endpoint: world.sts.url, seconds: RUN_SECONDS, interval: 0.2, profile: 'p' }), { env: home.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout) as ConsumerReport) : reject(new Error(`boto3 consumer exited ${code}:\n${stderr}`))));
    });

    expect(report.method).to.equal('custom-process');
    expect(report.calls.length, 'STS calls made').to.be.greaterThan(40);
    for (const call of report.calls) {
      expect(call.arn).to.equal('arn:aws:sts::111111111111:assumed-role/Admin/alice@example.org');
      expect(call.accountId, 'AccountId from credential_process').to.equal('111111111111');
    }
    // The first run is the warm path over login's cache; every later one is botocore's advisory
    // refresh, each answered with a new login through the IdP session. With a 5-minute margin awsl
    // would hand back the same credentials and be started again on each of the ~80 calls after the
    // first 10 s.
    const keys = [...new Set(report.calls.map((call) => call.accessKeyId))];
    const refreshes = Math.ceil(RUN_SECONDS / FRESH_SECONDS);
    expect(report.spawns, `awsl runs over ${report.calls.length} calls`).to.be.within(2, refreshes + 1);
    expect(keys, 'one new set of credentials per run after the first').to.have.length(report.spawns);
    expect(world.assumeRoleCount() - loginsBefore, 'a login per refresh').to.equal(report.spawns - 1);
  });
});
