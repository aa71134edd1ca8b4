import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { SIMPLESAMLPHP_USERS } from '../peers/simplesamlphp/index.js';
import { startSamlWorld, type SamlUser, type SamlWorld } from './saml-world.js';

const [ADMIN, READ_ONLY] = SIMPLESAMLPHP_USERS.alice.roles.map((role) => role.roleArn) as [string, string];

interface StatusJson {
  profiles: Array<Record<string, unknown>>;
}

describe('awsl status', function () {
  let world: SamlWorld;
  let user: SamlUser;

  before(async function () {
    world = await startSamlWorld(this);
    user = world.user('alice');
    await user.configure('prod', ['--role-arn', ADMIN, '--account-names', '111111111111=Production']);
    await user.configure('sandbox', ['--role-arn', READ_ONLY]);
    await user.configure('dev');
    user.appendConfig('\n[default]\nawsl_account_names = 222222222222=Sandbox, 111111111111=Not used: prod names its own\n');
    await user.login('prod');
    await user.login('sandbox');
  });

  after(async function () {
    await world?.stop();
  });

  const status = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<StatusJson> => {
    const result = await user.run(['status', '--json', ...args], { env });
    expect(result.code, result.stderr).to.equal(0);
    return JSON.parse(result.stdout) as StatusJson;
  };

  it('shows a logged-in profile: role, account with its name, time left, saved IdP session, where the credentials are', async function () {
    const result = await user.run(['status', '--profile', 'prod']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.equal('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).to.equal('Profile      prod');
    expect(lines[1]).to.equal('Provider     ecp');
    expect(lines[2]).to.equal(`Role         Admin (${ADMIN})`);
    expect(lines[3]).to.equal('Account      Production (111111111111)');
    expect(lines[4]).to.match(/^Credentials {2}(59 min|1 h 00 min) left, until \d{4}-\d\d-\d\d \d\d:\d\d UTC(?:[+-]\d\d:\d\d)?$/);
    expect(lines[5]).to.equal('IdP session  saved (the next login needs no password while it lasts)');
    expect(lines[6]).to.equal(`Mode         credentials file (${user.sandbox.credentialsFile})`);
  });

  it('--json: the typed result, matching the credentials file', async function () {
    const stsRequests = world.sts.requests.length;
    const [prod] = (await status(['--profile', 'prod'])).profiles;
    expect(prod).to.deep.include({
      profile: 'prod', provider: 'ecp', roleArn: ADMIN, roleName: 'Admin', accountId: '111111111111', accountName: 'Production',
      configuredRoleArn: ADMIN, state: 'valid', expiration: user.credentials('prod')?.awsl_expiration, idpSessionSaved: true,
      mode: 'credentials-file', credentialsFile: user.sandbox.credentialsFile,
    });
    expect(prod?.secondsLeft).to.be.within(3000, 3600);
    expect(world.sts.requests.length, 'status asks STS nothing').to.equal(stsRequests);
  });

  it('whoami is status, and AWS_PROFILE selects the profile', async function () {
    const byAlias = await user.run(['whoami'], { env: { AWS_PROFILE: 'sandbox' } });
    expect(byAlias.code, byAlias.stderr).to.equal(0);
    expect(byAlias.stdout).to.include('Profile      sandbox').and.include('Account      Sandbox (222222222222)');
  });

  it('shows expired and nearly expired credentials after the expiry in the credentials file is edited', async function () {
    const other = world.user('alice');
    await other.configure('old', ['--role-arn', ADMIN]);
    await other.login('old');
    const anHourAgo = new Date(Date.now() - 3600_000);
    other.setCredential('old', 'awsl_expiration', anHourAgo.toISOString());
    // In a zone away from UTC, with a half-hour offset and no summer time: the time says its zone.
    const expired = await other.run(['status', '--profile', 'old'], { env: { TZ: 'Asia/Kolkata' } });
    expect(expired.code, expired.stderr).to.equal(0);
    const [hours, minutes] = [(anHourAgo.getUTCHours() * 60 + anHourAgo.getUTCMinutes() + 330) % 1440].map((total) => [Math.floor(total / 60), total % 60])[0]!;
    const local = `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
    expect(expired.stdout).to.match(new RegExp(`\\nCredentials {2}expired (59 min|1 h 00 min) ago, at \\d{4}-\\d\\d-\\d\\d ${local} UTC\\+05:30\\n`));
    expect(expired.stderr).to.equal('Log in: awsl login --profile old\n');
    const [asJson] = (JSON.parse((await other.run(['status', '--profile', 'old', '--json'])).stdout) as StatusJson).profiles;
    expect(asJson).to.deep.include({ state: 'expired', secondsLeft: 0, expiration: anHourAgo.toISOString() });

    other.setCredential('old', 'awsl_expiration', new Date(Date.now() + 120_000).toISOString());
    const [expiring] = (JSON.parse((await other.run(['status', '--profile', 'old', '--json'])).stdout) as StatusJson).profiles;
    expect(expiring).to.deep.include({ state: 'expiring' });
    expect(expiring?.secondsLeft).to.be.within(60, 120);
    expect((await other.run(['status', '--profile', 'old'])).stdout).to.match(/\nCredentials {2}[12] min left \(expiring\), until /);
  });

  it('shows a logged-out profile with its configured role, its IdP session still saved', async function () {
    const other = world.user('alice');
    await other.configure('gone', ['--role-arn', READ_ONLY]);
    await other.login('gone');
    expect((await other.run(['logout', '--profile', 'gone'])).code).to.equal(0);
    const result = await other.run(['status', '--profile', 'gone']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include('Credentials  logged out\n').and.include('IdP session  saved').and.include(`Role         ReadOnly (${READ_ONLY})`);
    const [gone] = (JSON.parse((await other.run(['status', '--profile', 'gone', '--json'])).stdout) as StatusJson).profiles;
    expect(gone).to.deep.include({ state: 'logged-out', expiration: null, secondsLeft: null, roleArn: READ_ONLY, idpSessionSaved: true });

    const forgotten = await other.run(['logout', '--profile', 'gone', '--forget']);
    expect(forgotten.code, forgotten.stderr).to.be.oneOf([0, 3]);
    const [afterForget] = (JSON.parse((await other.run(['status', '--profile', 'gone', '--json'])).stdout) as StatusJson).profiles;
    expect(afterForget).to.deep.include({ idpSessionSaved: false });
  });

  it('--all: one row per awsl profile, names from the profile over those in [default]', async function () {
    const result = await user.run(['status', '--all']);
    expect(result.code, result.stderr).to.equal(0);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    expect(header).to.match(/^PROFILE +PROVIDER +ROLE +ACCOUNT +CREDENTIALS +IDP SESSION +MODE$/);
    expect(rows.map((row) => row.split(/\s{2,}/))).to.deep.equal([
      ['dev', 'ecp', '-', '-', 'logged out', 'saved', 'file'],
      ['prod', 'ecp', 'Admin', 'Production (111111111111)', rows[1]?.split(/\s{2,}/)[4], 'saved', 'file'],
      ['sandbox', 'ecp', 'ReadOnly', 'Sandbox (222222222222)', rows[2]?.split(/\s{2,}/)[4], 'saved', 'file'],
    ]);
    expect(rows[1]).to.match(/(59 min|1 h 00 min) left/);
    const json = await status(['--all']);
    expect(json.profiles.map((profile) => [profile.profile, profile.state])).to.deep.equal([['dev', 'logged-out'], ['prod', 'valid'], ['sandbox', 'valid']]);
  });

  it('credential_process profiles: reads awsl\'s private cache, not ~/.aws/credentials', async function () {
    const other = world.user('alice');
    await other.configure('cp', ['--role-arn', ADMIN]);
    other.appendConfig('credential_process = /usr/local/bin/awsl credential-process --profile cp\nawsl_credential_process = true\n');
    const cache = join(other.sandbox.stateDirectory, 'cache', 'cp.json');
    const [before] = (JSON.parse((await other.run(['status', '--profile', 'cp', '--json'])).stdout) as StatusJson).profiles;
    expect(before).to.deep.include({ mode: 'credential-process', credentialsFile: cache, state: 'logged-out', idpSessionSaved: false });

    const expiration = new Date(Date.now() + 2 * 3600_000);
    mkdirSync(join(other.sandbox.stateDirectory, 'cache'), { recursive: true, mode: 0o700 });
    writeFileSync(cache, JSON.stringify({ Version: 1, AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 's', SessionToken: 't', Expiration: expiration.toISOString(), RoleArn: READ_ONLY }), { mode: 0o600 });
    const result = await other.run(['status', '--profile', 'cp']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include(`Role             ReadOnly (${READ_ONLY})`).and.include(`Configured role  ${ADMIN}`)
      .and.include(`Mode             credential_process (${cache})`).and.match(/Credentials +(1 h 59 min|2 h 00 min) left/);
  });

  it('a profile not set up for awsl: exit 4, as text and as JSON', async function () {
    const text = await user.run(['status', '--profile', 'nope']);
    expect(text.code).to.equal(4);
    expect(text.stderr).to.include('Profile nope is not set up for awsl').and.include('awsl login configure --profile nope');
    const json = await user.run(['status', '--profile', 'nope', '--json']);
    expect(json.code).to.equal(4);
    expect(JSON.parse(json.stdout)).to.deep.equal({ error: {
      name: 'ProfileNotConfiguredError', exitCode: 4,
      hint: 'Choose one with --profile NAME or AWS_PROFILE (see them all: awsl status --all), or set up nope: awsl login configure --profile nope',
      message: `Profile nope is not set up for awsl (no awsl_provider in ${user.sandbox.configFile}). Profiles set up for awsl: dev, prod, sandbox.`,
    } });
    // Nothing set up at all: only how to set it up.
    const fresh = await world.user('alice').run(['status', '--profile', 'nope', '--json']);
    expect(JSON.parse(fresh.stdout).error).to.deep.include({ hint: 'Run: awsl login configure --profile nope' });
  });

  it('a typo of a profile\'s name says which profile was meant (ux-findings P12)', async function () {
    const result = await user.run(['--profile', 'prdo', 'status']);
    expect(result.code).to.equal(4);
    expect(result.stderr).to.equal(`Profile prdo is not set up for awsl (no awsl_provider in ${user.sandbox.configFile}). Profiles set up for awsl: dev, prod, sandbox.\n`
      + 'Did you mean --profile prod? To set up prdo: awsl login configure --profile prdo\n');
  });

  it('no profile named and no default one: every awsl profile, as with --all, exit 0; a named one stays an error', async function () {
    const implicit = await user.run(['status']);
    expect(implicit.code, implicit.stderr).to.equal(0);
    expect(implicit.stdout).to.equal((await user.run(['status', '--all'])).stdout);
    expect(implicit.stderr).to.equal('Profile default is not set up for awsl; these are (--profile NAME shows one):\n');
    expect((await user.run(['status'], { env: { AWS_PROFILE: 'default' } })).code).to.equal(4);
    expect((await user.run(['status', '--profile', 'default'])).code).to.equal(4);
  });

  it('logged out or expired: the command that logs in again', async function () {
    const result = await user.run(['status', '--profile', 'dev']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.equal('Log in: awsl login --profile dev\n');
  });

  it('--all with no awsl profile: an empty list, and a hint on stderr', async function () {
    const empty = world.user('alice');
    const result = await empty.run(['status', '--all']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.include('No profile is set up for awsl yet');
    const json = await empty.run(['status', '--all', '--json']);
    expect(JSON.parse(json.stdout)).to.deep.equal({ profiles: [] });
  });
});
