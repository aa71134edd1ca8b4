import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { SIMPLESAMLPHP_USERS } from '../peers/simplesamlphp/index.js';
import { startSamlWorld, type SamlUser, type SamlWorld } from './saml-world.js';

const alice = SIMPLESAMLPHP_USERS.alice;
const gus = SIMPLESAMLPHP_USERS.gus;

/** The one line of stdout, parsed as the sign-in URL. */
function signinUrl(stdout: string): URL {
  const lines = stdout.trimEnd().split('\n');
  expect(lines, stdout).to.have.length(1);
  return new URL(lines[0] ?? '');
}

describe('awsl console', function () {
  let world: SamlWorld;
  let user: SamlUser;

  before(async function () {
    world = await startSamlWorld(this);
    user = world.user('alice');
    await user.configure('prod', ['--role-arn', alice.roles[0]!.roleArn]);
    await user.login('prod');
  });

  after(async function () {
    await world?.stop();
  });

  const lastTokenRequest = () => world.federation.requests.filter((request) => request.action === 'getSigninToken').at(-1);

  it('--print: the login URL of the aws partition, with a token issued for the profile\'s credentials', async function () {
    const result = await user.run(['console', '--profile', 'prod', '--print']);
    expect(result.code, result.stderr).to.equal(0);
    const url = signinUrl(result.stdout);
    expect(`${url.origin}${url.pathname}`).to.equal('https://signin.aws.amazon.com/federation');
    expect([...url.searchParams.keys()]).to.deep.equal(['Action', 'Issuer', 'Destination', 'SigninToken']);
    expect(url.searchParams.get('Action')).to.equal('login');
    expect(url.searchParams.get('Issuer')).to.equal('awsl');
    expect(url.searchParams.get('Destination')).to.equal('https://console.aws.amazon.com/');

    const accessKey = user.credentials('prod')?.aws_access_key_id;
    const token = url.searchParams.get('SigninToken') ?? '';
    expect(world.federation.tokens.get(token)).to.equal(accessKey);
    expect(lastTokenRequest()).to.deep.include({ sessionId: accessKey, sessionKeys: ['sessionId', 'sessionKey', 'sessionToken'], sessionDuration: null, accepted: true, status: 200 });
    expect(result.stderr).to.not.include(token);

    // The same query, redeemed at the stand-in's login action, lands on the destination.
    const redeemed = await fetch(`${world.federation.url}${url.search}`, { redirect: 'manual' });
    expect(redeemed.status).to.equal(302);
    expect(redeemed.headers.get('location')).to.equal('https://console.aws.amazon.com/');
  });

  it('--region and --service open the service in the regional console', async function () {
    const result = await user.run(['console', '--profile', 'prod', '--print', '--region', 'eu-west-1', '--service', 's3']);
    expect(result.code, result.stderr).to.equal(0);
    expect(signinUrl(result.stdout).searchParams.get('Destination')).to.equal('https://eu-west-1.console.aws.amazon.com/s3/home?region=eu-west-1');
  });

  it('--path keeps its fragment, and --duration becomes SessionDuration', async function () {
    const result = await user.run(['console', '--profile', 'prod', '--print', '--region', 'us-west-2', '--path', '/ec2/home#Instances', '--duration', '7200']);
    expect(result.code, result.stderr).to.equal(0);
    expect(signinUrl(result.stdout).searchParams.get('Destination')).to.equal('https://us-west-2.console.aws.amazon.com/ec2/home?region=us-west-2#Instances');
    expect(lastTokenRequest()).to.deep.include({ sessionDuration: '7200', accepted: true });
  });

  it('takes the region from AWS_REGION when it is in the credentials\' partition', async function () {
    const result = await user.run(['console', '--profile', 'prod', '--print'], { env: { AWS_REGION: 'ap-southeast-2' } });
    expect(result.code, result.stderr).to.equal(0);
    expect(signinUrl(result.stdout).searchParams.get('Destination')).to.equal('https://ap-southeast-2.console.aws.amazon.com/?region=ap-southeast-2');
  });

  it('aws-us-gov: signs in at signin.amazonaws-us-gov.com and lands on console.amazonaws-us-gov.com', async function () {
    const govUser = world.user('gus', { AWS_REGION: 'us-east-1' });
    await govUser.configure('gov', ['--role-arn', gus.roles[0]!.roleArn]);
    await govUser.login('gov');
    const home = await govUser.run(['console', '--profile', 'gov', '--print']);
    expect(home.code, home.stderr).to.equal(0);
    const url = signinUrl(home.stdout);
    expect(`${url.origin}${url.pathname}`).to.equal('https://signin.amazonaws-us-gov.com/federation');
    // AWS_REGION=us-east-1 is of another partition: ignored, not an error.
    expect(url.searchParams.get('Destination')).to.equal('https://console.amazonaws-us-gov.com/');
    expect(lastTokenRequest()?.sessionId).to.equal(govUser.credentials('gov')?.aws_access_key_id);

    const regional = await govUser.run(['console', '--profile', 'gov', '--print', '--region', 'us-gov-west-1', '--service', 'cloudtrail']);
    expect(regional.code, regional.stderr).to.equal(0);
    expect(signinUrl(regional.stdout).searchParams.get('Destination')).to.equal('https://console.amazonaws-us-gov.com/cloudtrail/home?region=us-gov-west-1');

    const wrong = await govUser.run(['console', '--profile', 'gov', '--print', '--region', 'eu-west-1']);
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.include('Region eu-west-1 is not in the aws-us-gov partition');
  });

  it('opens the browser from BROWSER, printing nothing on stdout and never the URL on stderr', async function () {
    const opened = join(user.sandbox.home, 'opened-url');
    const browser = join(user.sandbox.home, 'fake-browser');
    writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(browser, 0o700);
    const result = await user.run(['console', '--profile', 'prod', '--service', 'iam'], { env: { BROWSER: browser } });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal('');
    const url = new URL(readFileSync(opened, 'utf8'));
    expect(url.searchParams.get('Destination')).to.equal('https://console.aws.amazon.com/iam/home');
    expect(world.federation.tokens.has(url.searchParams.get('SigninToken') ?? '')).to.equal(true);
    expect(result.stderr).to.include('Opened the AWS console for profile prod at https://console.aws.amazon.com/iam/home');
    expect(result.stderr).to.not.include('SigninToken');
  });

  it('prints the URL and says so when no browser can be opened', async function () {
    const noDisplay = await user.run(['console', '--profile', 'prod'], { env: { BROWSER: '', DISPLAY: '', WAYLAND_DISPLAY: '' } });
    expect(noDisplay.code, noDisplay.stderr).to.equal(0);
    expect(signinUrl(noDisplay.stdout).searchParams.get('Action')).to.equal('login');
    expect(noDisplay.stderr).to.include('No browser could be opened: there is no graphical display');

    const missing = await user.run(['console', '--profile', 'prod'], { env: { BROWSER: '/nonexistent/browser' } });
    expect(missing.code, missing.stderr).to.equal(0);
    expect(signinUrl(missing.stdout).searchParams.get('Action')).to.equal('login');
    expect(missing.stderr).to.include('/nonexistent/browser is not installed');
  });

  it('--json: typed result, with the URL only when printed', async function () {
    const printed = await user.run(['console', '--profile', 'prod', '--print', '--json', '--region', 'eu-central-1']);
    expect(printed.code, printed.stderr).to.equal(0);
    const result = JSON.parse(printed.stdout) as Record<string, unknown>;
    expect(result).to.include({
      profile: 'prod', partition: 'aws', roleArn: alice.roles[0]!.roleArn, region: 'eu-central-1',
      destination: 'https://eu-central-1.console.aws.amazon.com/?region=eu-central-1', opened: false,
    });
    expect(new URL(String(result.url)).searchParams.get('Action')).to.equal('login');
    expect(Date.parse(String(result.credentialsExpiration))).to.be.greaterThan(Date.now());

    const browser = join(user.sandbox.home, 'true-browser');
    writeFileSync(browser, '#!/bin/sh\nexit 0\n');
    chmodSync(browser, 0o700);
    const opened = await user.run(['console', '--profile', 'prod', '--json'], { env: { BROWSER: browser } });
    expect(opened.code, opened.stderr).to.equal(0);
    const openedResult = JSON.parse(opened.stdout) as Record<string, unknown>;
    expect(openedResult).to.include({ opened: true });
    expect(openedResult).to.not.have.property('url');
  });

  it('--verbose logs neither the secret key, the session token nor the sign-in token', async function () {
    const result = await user.run(['console', '--profile', 'prod', '--print', '--verbose']);
    expect(result.code, result.stderr).to.equal(0);
    const credentials = user.credentials('prod') ?? {};
    expect(result.stderr).to.include('getSigninToken');
    expect(result.stderr).to.not.include(credentials.aws_secret_access_key ?? 'missing');
    expect(result.stderr).to.not.include(credentials.aws_session_token ?? 'missing');
    expect(result.stderr).to.not.include(signinUrl(result.stdout).searchParams.get('SigninToken') ?? 'missing');
  });

  it('rejects --service with --path, and a bad service, before any request', async function () {
    const before = world.federation.requests.length;
    const both = await user.run(['console', '--profile', 'prod', '--print', '--service', 's3', '--path', '/ec2/home']);
    expect(both.code).to.equal(2);
    const badService = await user.run(['console', '--profile', 'prod', '--print', '--service', 'S3 buckets']);
    expect(badService.code).to.equal(2);
    expect(badService.stderr).to.include('is not a console service name');
    const badDuration = await user.run(['console', '--profile', 'prod', '--print', '--duration', '60']);
    expect(badDuration.code).to.equal(2);
    expect(world.federation.requests.length).to.equal(before);
  });

  it('exits 12 naming AWS sign-in when the endpoint refuses the credentials', async function () {
    const other = world.user('alice');
    await other.configure('prod', ['--role-arn', alice.roles[0]!.roleArn]);
    await other.login('prod');
    other.setCredential('prod', 'aws_secret_access_key', 'not-the-secret');
    const result = await other.run(['console', '--profile', 'prod', '--print']);
    expect(result.code, result.stderr).to.equal(12);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.include('refused the console sign-in token request: HTTP 400');
    expect(lastTokenRequest()).to.deep.include({ accepted: false, status: 400 });
  });

  it('logs in first through the saved IdP session when the credentials are gone', async function () {
    const other = world.user('alice');
    await other.configure('prod', ['--role-arn', alice.roles[1]!.roleArn]);
    await other.login('prod');
    const loggedOut = await other.run(['logout', '--profile', 'prod']);
    expect(loggedOut.code, loggedOut.stderr).to.equal(0);
    const stsBefore = world.sts.requests.length;
    const result = await other.run(['console', '--profile', 'prod', '--print']);
    expect(result.code, result.stderr).to.equal(0);
    expect(world.sts.requests.length).to.equal(stsBefore + 1);
    const accessKey = other.credentials('prod')?.aws_access_key_id;
    expect(world.federation.tokens.get(signinUrl(result.stdout).searchParams.get('SigninToken') ?? '')).to.equal(accessKey);
  });

  it('with no credentials, no IdP session and no terminal, exits 6 and asks AWS nothing', async function () {
    const other = world.user('alice');
    await other.configure('fresh', ['--role-arn', alice.roles[0]!.roleArn]);
    const before = world.federation.requests.length;
    const result = await other.run(['console', '--profile', 'fresh', '--print']);
    expect(result.code, result.stderr).to.equal(6);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.include('--password-stdin');
    expect(world.federation.requests.length).to.equal(before);
  });
});
