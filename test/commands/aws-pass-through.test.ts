/**
 * Commands awsl does not own go to the real AWS CLI (/usr/bin/aws through AWSL_AWS_CLI) with
 * fresh credentials for the profile; the AWS CLI signs with them against the STS stand-in.
 */
import { writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { AWS_CLI, available as awsCliAvailable } from '../peers/aws-cli.js';
import { requirePeer } from '../support/peers.js';
import { addRegion, startCredentialsWorld, type CredentialsWorld, type Home } from './credentials-world.js';

const ASSUMED_ADMIN = 'arn:aws:sts::111111111111:assumed-role/Admin/alice@example.org';

describe('AWS CLI pass-through (built CLI, SimpleSAMLphp, STS stand-in, /usr/bin/aws)', function () {
  let world: CredentialsWorld;
  let home: Home;

  before(async function () {
    requirePeer(this, awsCliAvailable(), 'AWS CLI v2 at /usr/bin/aws (Debian awscli)');
    world = await startCredentialsWorld(this);
    home = world.home({ AWSL_AWS_CLI: AWS_CLI, AWS_PAGER: '' });
    expect((await home.configure('p')).code).to.equal(0);
    addRegion(home.sandbox.configFile, 'p');
    await home.login('p');
  });

  after(async function () {
    await world?.stop();
  });

  const callerIdentity = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    home.run([...args, '--endpoint-url', world.sts.url, '--output', 'json'], { env });

  it('awsl --profile p sts get-caller-identity runs the AWS CLI with the assumed role', async function () {
    const before = world.assumeRoleCount();
    const result = await callerIdentity(['--profile', 'p', 'sts', 'get-caller-identity']);
    expect(result.code, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.deep.include({ Account: '111111111111', Arn: ASSUMED_ADMIN });
    expect(world.assumeRoleCount(), 'fresh credentials: no login').to.equal(before);
    const explicit = await callerIdentity(['aws', 'sts', 'get-caller-identity', '--profile', 'p']);
    expect(JSON.parse(explicit.stdout).Arn, explicit.stderr).to.equal(ASSUMED_ADMIN);
  });

  it('takes the profile from AWS_PROFILE and ignores credentials in the environment that would override it', async function () {
    const result = await callerIdentity(['sts', 'get-caller-identity'], {
      AWS_PROFILE: 'p', AWS_ACCESS_KEY_ID: 'AKIASTALESTALESTALE1', AWS_SECRET_ACCESS_KEY: 'stale', AWS_SESSION_TOKEN: 'stale',
    });
    expect(result.code, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout).Arn).to.equal(ASSUMED_ADMIN);
  });

  it('logs in first when the credentials are near expiry (through the saved IdP session)', async function () {
    writeFileSync(home.sandbox.credentialsFile, home.readCredentials().replace(/awsl_expiration = .*/, `awsl_expiration = ${new Date(Date.now() + 60_000).toISOString()}`));
    const before = world.assumeRoleCount();
    const result = await callerIdentity(['--profile', 'p', 'sts', 'get-caller-identity']);
    expect(result.code, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout).Arn).to.equal(ASSUMED_ADMIN);
    expect(world.assumeRoleCount()).to.equal(before + 1);
  });

  it('passes the AWS CLI\'s exit code through, and its arguments unchanged (colons included)', async function () {
    const failing = await home.run(['--profile', 'p', 'sts', 'no-such-operation']);
    expect(failing.code).to.equal(252);
    expect(failing.stderr).to.include('Invalid choice');
    const refused = await home.run(['--profile', 'p', 'sts', 'get-caller-identity', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(refused.code, 'connection refused: the AWS CLI\'s own 255').to.equal(255);
    const colons = await home.run(['--profile', 'p', 's3', 'ls', 's3://bucket:with:colons/key', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(colons.code).to.not.equal(0);
    expect(colons.stderr).to.include('Invalid bucket name "bucket:with:colons"');
  });

  it('a missing AWS CLI is a clear error (exit 2), before any login', async function () {
    const before = world.assumeRoleCount();
    const missing = await home.run(['--profile', 'p', 's3', 'ls'], { env: { AWSL_AWS_CLI: '', PATH: '/nonexistent' } });
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('The AWS CLI ("aws") is not installed or not on PATH');
    const wrong = await home.run(['--profile', 'p', 's3', 'ls'], { env: { AWSL_AWS_CLI: '/nonexistent/aws' } });
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.include('AWSL_AWS_CLI is /nonexistent/aws');
    expect(world.assumeRoleCount()).to.equal(before);
  });

  it('a flag where the command should be is an error (exit 2), not an AWS CLI call', async function () {
    const before = world.assumeRoleCount();
    const result = await home.run(['--profile', 'p', '--frobnicate']);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('--frobnicate is not a flag awsl knows here.\nRun awsl --help.');
    expect(world.assumeRoleCount()).to.equal(before);
  });

  it('a profile not set up for awsl is refused with the command that sets it up (exit 4)', async function () {
    const result = await home.run(['--profile', 'nobody', 's3', 'ls']);
    expect(result.code).to.equal(4);
    expect(result.stderr).to.include('awsl login configure --profile nobody');
  });
});
