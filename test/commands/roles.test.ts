import { expect } from 'chai';
import { SIMPLESAMLPHP_USERS } from '../peers/simplesamlphp/index.js';
import { startSamlWorld, type SamlUser, type SamlWorld } from './saml-world.js';

const alice = SIMPLESAMLPHP_USERS.alice;
const [ADMIN, READ_ONLY] = alice.roles.map((role) => role.roleArn) as [string, string];

describe('awsl roles', function () {
  let world: SamlWorld;
  let user: SamlUser;

  before(async function () {
    world = await startSamlWorld(this);
    user = world.user('alice');
    await user.configure('prod', ['--role-arn', ADMIN, '--account-names', '111111111111=Production']);
    user.appendConfig('\n[default]\nawsl_account_names = 222222222222=Sandbox\n');
    await user.login('prod');
  });

  after(async function () {
    await world?.stop();
  });

  it('lists alice\'s two roles through the saved IdP session, grouped by account with names, without calling STS', async function () {
    const stsRequests = world.sts.requests.length;
    const credentialsBefore = user.credentials('prod');
    const result = await user.run(['roles', '--profile', 'prod']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal([
      'Account Production (111111111111)',
      ` * Admin     ${ADMIN}`,
      'Account Sandbox (222222222222)',
      `   ReadOnly  ${READ_ONLY}`,
      '',
    ].join('\n'));
    expect(result.stderr).to.equal('* marks the role profile prod logs in with (awsl_role_arn).\n');
    expect(world.sts.requests.length, 'no STS request').to.equal(stsRequests);
    expect(user.credentials('prod'), 'credentials unchanged').to.deep.equal(credentialsBefore);
  });

  it('--json: accounts with names and their roles, and whether the saved session was used', async function () {
    const result = await user.run(['roles', '--profile', 'prod', '--json']);
    expect(result.code, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.deep.equal({
      profile: 'prod',
      usedSavedSession: true,
      configuredRoleArn: ADMIN,
      accounts: [
        { accountId: '111111111111', accountName: 'Production', roles: [{ roleArn: ADMIN, roleName: 'Admin', principalArn: alice.roles[0]!.principalArn, partition: 'aws' }] },
        { accountId: '222222222222', accountName: 'Sandbox', roles: [{ roleArn: READ_ONLY, roleName: 'ReadOnly', principalArn: alice.roles[1]!.principalArn, partition: 'aws' }] },
      ],
    });
  });

  it('with no saved IdP session and no terminal, exits 6 naming --password-stdin, and asks STS nothing', async function () {
    const stranger = world.user('alice');
    await stranger.configure('prod');
    const stsRequests = world.sts.requests.length;
    const result = await stranger.run(['roles', '--profile', 'prod']);
    expect(result.code, result.stderr).to.equal(6);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.include('there is no terminal').and.include('--password-stdin');
    expect(world.sts.requests.length).to.equal(stsRequests);

    const json = await stranger.run(['roles', '--profile', 'prod', '--json']);
    expect(json.code).to.equal(6);
    expect(JSON.parse(json.stdout)).to.have.nested.property('error.name', 'NeedsTerminalError');
  });

  it('--password-stdin logs in to the IdP without a saved session, and saves one', async function () {
    const stranger = world.user('alice');
    await stranger.configure('prod');
    const result = await stranger.run(['roles', '--profile', 'prod', '--json', '--password-stdin'], { input: `${alice.password}\n` });
    expect(result.code, result.stderr).to.equal(0);
    const listed = JSON.parse(result.stdout) as { usedSavedSession: boolean; accounts: Array<{ accountName: string | null }> };
    expect(listed.usedSavedSession).to.equal(false);
    expect(listed.accounts.map((account) => account.accountName)).to.deep.equal([null, null]);
    const status = JSON.parse((await stranger.run(['status', '--profile', 'prod', '--json'])).stdout) as { profiles: Array<{ idpSessionSaved: boolean; state: string }> };
    expect(status.profiles[0]).to.deep.include({ idpSessionSaved: true, state: 'logged-out' });
  });

  it('a user the IdP grants no role: exit 10', async function () {
    const carol = world.user('carol');
    await carol.configure('c');
    const result = await carol.run(['roles', '--profile', 'c', '--password-stdin'], { input: `${SIMPLESAMLPHP_USERS.carol.password}\n` });
    expect(result.code, result.stderr).to.equal(10);
    expect(result.stderr).to.include('The IdP granted no AWS roles');
  });
});
