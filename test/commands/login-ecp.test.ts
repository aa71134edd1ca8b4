/**
 * `awsl login` for ecp profiles as a user runs it: the built CLI against the real SimpleSAMLphp
 * ECP IdP, the STS stand-in (which checks what AWS checks) or moto, and /usr/bin/aws reading back
 * what awsl wrote.
 */
import { writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { runAwslInTerminal } from '../support/cli.js';
import { renderScreen } from '../support/screen.js';
import { available as awsCliAvailable } from '../peers/aws-cli.js';
import { available as motoAvailable, startMoto } from '../peers/moto.js';
import { requirePeer } from '../support/peers.js';
import {
  ALICE_ADMIN, ALICE_READ_ONLY, BOB_DEVELOPER, GUS_GOV_ADMIN, USERS, assumeRoleRequests, startEcpWorld, type EcpWorld,
} from './ecp-world.js';

const HOUR_MS = 3600_000;

/** Expiration written into ~/.aws/credentials, checked against what STS issued (to the second, as STS says it) and how long from now. */
function expectExpiration(written: string | undefined, issued: Date, durationMs: number): void {
  expect(written, 'awsl_expiration').to.equal(new Date(Math.floor(issued.getTime() / 1000) * 1000).toISOString());
  expect(issued.getTime() - Date.now()).to.be.within(durationMs - 60_000, durationMs + 1000);
}

describe('awsl login (ecp) against SimpleSAMLphp and STS', function () {
  let world: EcpWorld;

  before(async function () {
    world = await startEcpWorld(this);
  });

  after(async function () {
    await world?.stop();
  });

  describe('password and IdP session', function () {
    it('logs alice in with --password-stdin and --role-arn, writing credentials that /usr/bin/aws reads and STS accepts', async function () {
      requirePeer(this, awsCliAvailable(), 'AWS CLI v2 (/usr/bin/aws)');
      const machine = world.machine();
      await machine.configure('work', 'alice');
      const from = world.sts.requests.length;

      const result = await machine.login('work', ['--role-arn', ALICE_ADMIN]);

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.match(/^Logged in as Admin in account 111111111111\.\nCredentials for profile work expire at .* \(in (59 min|1 h 00 min)\)\.\n$/);
      const section = machine.credentials('work');
      expect(section).to.have.all.keys('aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'awsl_expiration', 'awsl_role_arn');
      const issued = world.issuedFor(section);
      expect(section).to.include({ aws_secret_access_key: issued.secretAccessKey, aws_session_token: issued.sessionToken, awsl_role_arn: ALICE_ADMIN });
      expectExpiration(section?.awsl_expiration, issued.expiration, HOUR_MS);
      expect(assumeRoleRequests(world.sts, from).map((r) => [r.params.RoleArn, r.signed])).to.deep.equal([[ALICE_ADMIN, false]]);

      const key = await machine.aws(['configure', 'get', 'aws_access_key_id', '--profile', 'work']);
      expect(key.stdout.trim(), key.stderr).to.equal(section?.aws_access_key_id);
      const identity = await machine.aws(['sts', 'get-caller-identity', '--endpoint-url', world.sts.url, '--region', 'us-east-1', '--profile', 'work', '--output', 'json']);
      expect(identity.code, identity.stderr).to.equal(0);
      expect(JSON.parse(identity.stdout)).to.include({ Account: '111111111111', Arn: 'arn:aws:sts::111111111111:assumed-role/Admin/alice@example.org' });
    });

    it('selects the same profile with `awsl --profile P login`, `awsl login --profile P` and AWS_PROFILE=P', async function () {
      const machine = world.machine();
      await machine.configure('default', 'alice', ['--role-arn', ALICE_READ_ONLY]);
      await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);
      const password = { input: `${USERS.alice.password}\n` };
      const ways = [
        () => machine.run(['--profile', 'work', 'login', '--password-stdin'], password),
        () => machine.run(['login', '--profile', 'work']),
        () => machine.run(['login'], { env: { AWS_PROFILE: 'work' } }),
      ];
      const keys = new Set<string>();
      for (const way of ways) {
        const result = await way();
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout).to.include('Logged in as Admin in account 111111111111').and.to.include('Credentials for profile work expire');
        keys.add(machine.credentials('work')?.aws_access_key_id ?? '');
      }
      expect(keys.size, 'fresh credentials from each login').to.equal(3);
      expect(machine.credentials('default')).to.equal(undefined);
    });

    it('reuses the saved IdP session with no password and no terminal, one STS call per login', async function () {
      const machine = world.machine();
      await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);
      const from = world.sts.requests.length;
      const first = await machine.login('work');
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout).to.not.include('saved IdP session');
      const firstKey = machine.credentials('work')?.aws_access_key_id;

      const again = await machine.run(['login', '--profile', 'work']);

      expect(again.code, again.stderr).to.equal(0);
      expect(again.stdout).to.include('Logged in as Admin in account 111111111111, through the saved IdP session.');
      expect(again.stderr).to.not.include('Password');
      expect(machine.credentials('work')?.aws_access_key_id).to.not.equal(firstKey);
      expect(assumeRoleRequests(world.sts, from), 'AssumeRoleWithSAML calls for two logins').to.have.length(2);
    });

    it('`logout && login --role-arn OTHER` switches role through the IdP session, with no password', async function () {
      const machine = world.machine();
      await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);
      expect((await machine.login('work')).code).to.equal(0);
      const logout = await machine.run(['logout', '--profile', 'work']);
      expect(logout.code, logout.stderr).to.equal(0);
      expect(machine.credentials('work')).to.equal(undefined);

      const result = await machine.run(['login', '--profile', 'work', '--role-arn', ALICE_READ_ONLY]);

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.include('Logged in as ReadOnly in account 222222222222, through the saved IdP session.');
      expect(machine.credentials('work')?.awsl_role_arn).to.equal(ALICE_READ_ONLY);
      expect(world.issuedFor(machine.credentials('work')).arn).to.equal('arn:aws:sts::222222222222:assumed-role/ReadOnly/alice@example.org');
    });

    it('exits 7 on a wrong password, and writes nothing', async function () {
      const machine = world.machine();
      await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);
      const from = world.sts.requests.length;

      const result = await machine.login('work', [], 'not-alice-password');

      expect(result.code, result.stderr).to.equal(7);
      expect(result.stderr).to.match(/^The IdP rejected the username or password \(.*WRONGUSERPASS.*\)\./);
      expect(result.stdout).to.equal('');
      expect(machine.credentials('work')).to.equal(undefined);
      expect(assumeRoleRequests(world.sts, from)).to.have.length(0);
    });

    it('a second user on the same machine and IdP gets their own role, never the first user\'s session', async function () {
      const machine = world.machine();
      await machine.configure('alice', 'alice', ['--role-arn', ALICE_ADMIN]);
      await machine.configure('bob', 'bob');
      expect((await machine.login('alice')).code).to.equal(0);

      const bob = await machine.login('bob');
      expect(bob.code, bob.stderr).to.equal(0);
      expect(bob.stdout).to.include('Logged in as Developer in account 111111111111.');
      expect(world.issuedFor(machine.credentials('bob')).arn).to.equal('arn:aws:sts::111111111111:assumed-role/Developer/bob@example.org');

      // Each keeps their own session afterwards.
      const bobAgain = await machine.run(['login', '--profile', 'bob']);
      expect(bobAgain.code, bobAgain.stderr).to.equal(0);
      expect(world.issuedFor(machine.credentials('bob')).arn).to.equal('arn:aws:sts::111111111111:assumed-role/Developer/bob@example.org');
      const aliceAgain = await machine.run(['login', '--profile', 'alice']);
      expect(aliceAgain.code, aliceAgain.stderr).to.equal(0);
      expect(world.issuedFor(machine.credentials('alice')).arn).to.equal('arn:aws:sts::111111111111:assumed-role/Admin/alice@example.org');
    });
  });

  describe('roles', function () {
    it('exits 10 for a user with no Role attribute (carol)', async function () {
      const machine = world.machine();
      await machine.configure('carol', 'carol');
      const from = world.sts.requests.length;

      const result = await machine.login('carol');

      expect(result.code, result.stderr).to.equal(10);
      expect(result.stderr).to.match(/no AWS roles.*Role/);
      expect(machine.credentials('carol')).to.equal(undefined);
      expect(assumeRoleRequests(world.sts, from)).to.have.length(0);
    });

    it('takes a user\'s only role without a menu (bob, no role configured, no terminal)', async function () {
      const machine = world.machine();
      await machine.configure('bob', 'bob');

      const result = await machine.login('bob');

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.include('Logged in as Developer in account 111111111111.');
      expect(result.stderr).to.not.include('Role [');
      expect(machine.credentials('bob')?.awsl_role_arn).to.equal(BOB_DEVELOPER);
    });

    it('on a terminal, shows alice\'s roles grouped by account, asks again after a bad answer, and takes 2', async function () {
      const machine = world.machine();
      await machine.configure('work', 'alice');

      const result = await machine.inTerminal(['login', '--profile', 'work'], [
        { expect: 'Password for alice: ', send: `${USERS.alice.password}\r` },
        { expect: 'Role [1-2, name or prefix, q to quit]: ', send: '7\r' },
        { expect: /No role matches that[^]*Role \[1-2, name or prefix, q to quit\]: /, send: '2\r' },
      ]);

      expect(result.code, result.screen).to.equal(0);
      expect(result.screen).to.not.include(USERS.alice.password);
      expect(result.screen).to.match(/Account 111111111111\n +1\) Admin +arn:aws:iam::111111111111:role\/Admin\nAccount 222222222222\n +2\) ReadOnly +arn:aws:iam::222222222222:role\/ReadOnly\n/);
      expect(result.screen).to.include('Logged in as ReadOnly in account 222222222222.');
      expect(machine.credentials('work')?.awsl_role_arn).to.equal(ALICE_READ_ONLY);
    });

    for (const columns of [80, 40]) {
      it(`on a ${columns}-column terminal, aligns the role names across accounts and takes a role by name prefix`, async function () {
        const machine = world.machine();
        await machine.configure('work', 'alice');
        const result = await runAwslInTerminal(['login', '--profile', 'work'], {
          env: machine.sandbox.env, columns,
          steps: [
            { expect: 'Password for alice: ', send: `${USERS.alice.password}\r` },
            { expect: 'q to quit]: ', send: 'read\r' },
          ],
        });
        expect(result.code, result.screen).to.equal(0);
        const rows = renderScreen(result.raw, columns);
        const menu = rows.join('\n');
        expect(menu).to.include('  1) Admin     arn:aws:iam::111111111111:role/Admin'.slice(0, columns));
        expect(menu).to.include('  2) ReadOnly  arn:aws:iam::222222222222:role/ReadOnly'.slice(0, columns));
        expect(machine.credentials('work')?.awsl_role_arn).to.equal(ALICE_READ_ONLY);
      });
    }

    for (const columns of [80, 40]) {
      it(`on a ${columns}-column terminal, a repeat login says who is logged in and for how long, and marks that role with * (ux-findings P4)`, async function () {
        const machine = world.machine();
        await machine.configure('work', 'alice');
        expect((await machine.login('work', ['--role-arn', ALICE_READ_ONLY])).code).to.equal(0);
        // The IdP session is saved: no password this time, straight to the menu.
        const result = await runAwslInTerminal(['login', '--profile', 'work'], {
          env: machine.sandbox.env, columns,
          steps: [{ expect: 'q to quit]: ', send: '1\r' }],
        });
        expect(result.code, result.screen).to.equal(0);
        const shown = renderScreen(result.raw, columns).join('\n');
        const state = 'Profile work is logged in as ReadOnly in account 222222222222, ';
        // As the terminal wraps it: cut at the width, never shortened.
        const wrapped = (line: string) => line.match(new RegExp(`.{1,${columns}}`, 'g'))!.map((row) => row.trimEnd()).join('\n');
        expect(['59 min', '1 h 00 min'].map((left) => wrapped(`${state}${left} left; logging in again.`)).some((text) => shown.includes(text)), shown).to.equal(true);
        expect(shown).to.include('  1) Admin     arn:aws:iam::111111111111:role/Admin'.slice(0, columns));
        expect(shown).to.include('* 2) ReadOnly  arn:aws:iam::222222222222:role/ReadOnly'.slice(0, columns));
        expect(shown).to.include('* the role you are logged in as now');
        expect(shown.indexOf(state.slice(0, 20))).to.be.lessThan(shown.indexOf('Account 111111111111'));
        expect(machine.credentials('work')?.awsl_role_arn).to.equal(ALICE_ADMIN);
      });
    }

    it('with two roles, none configured and no terminal, exits 6 naming --role-arn and the roles', async function () {
      const machine = world.machine();
      await machine.configure('work', 'alice');

      const result = await machine.login('work');

      expect(result.code, result.stderr).to.equal(6);
      expect(result.stderr).to.include('no terminal').and.to.include('--role-arn')
        .and.to.include(ALICE_ADMIN).and.to.include(ALICE_READ_ONLY);
      expect(machine.credentials('work')).to.equal(undefined);
    });

    it('q at the role menu cancels with exit 130 and writes nothing', async function () {
      const machine = world.machine();
      await machine.configure('work', 'alice');

      const result = await machine.inTerminal(['login', '--profile', 'work'], [
        { expect: 'Password for alice: ', send: `${USERS.alice.password}\r` },
        { expect: 'Role [1-2, name or prefix, q to quit]: ', send: 'q\r' },
      ]);

      expect(result.code, result.screen).to.equal(130);
      expect(result.screen).to.include('No role chosen.');
      expect(machine.credentials('work')).to.equal(undefined);
    });

    it('--role-arn takes a role name unique among the granted ones, and names a name that is not granted (exit 10)', async function () {
      const machine = world.machine();
      await machine.configure('work', 'alice');
      const byName = await machine.login('work', ['--role-arn', 'ReadOnly']);
      expect(byName.code, byName.stderr).to.equal(0);
      expect(byName.stdout).to.match(/^Logged in as ReadOnly in account 222222222222/);
      expect(machine.credentials('work')?.awsl_role_arn).to.equal(ALICE_READ_ONLY);
      const missing = await machine.login('work', ['--role-arn', 'Auditor']);
      expect(missing.code, missing.stderr).to.equal(10);
      expect(missing.stderr).to.include('The IdP does not grant the role Auditor. It grants:').and.include(ALICE_ADMIN);
    });

    it('exits 10 when the configured role is not granted, listing the roles that are', async function () {
      const machine = world.machine();
      const notGranted = 'arn:aws:iam::999999999999:role/Nope';
      await machine.configure('work', 'alice', ['--role-arn', notGranted]);

      const result = await machine.login('work');

      expect(result.code, result.stderr).to.equal(10);
      expect(result.stderr).to.include(`does not grant the role ${notGranted}`)
        .and.to.include(ALICE_ADMIN).and.to.include(ALICE_READ_ONLY);
      expect(machine.credentials('work')).to.equal(undefined);
    });

    it('logs gus in to aws-us-gov, which STS accepts only with the partition\'s own sign-in URL as recipient', async function () {
      const machine = world.machine();
      writeFileSync(machine.sandbox.configFile, '[profile gov]\nregion = us-gov-west-1\n');
      await machine.configure('gov', 'gus', ['--role-arn', GUS_GOV_ADMIN]);
      const from = world.sts.requests.length;

      const result = await machine.login('gov');

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.include('Logged in as GovAdmin in account 333333333333.');
      expect(assumeRoleRequests(world.sts, from).map((r) => [r.params.RoleArn, r.status])).to.deep.equal([[GUS_GOV_ADMIN, 200]]);
      expect(world.issuedFor(machine.credentials('gov')).arn).to.equal('arn:aws-us-gov:sts::333333333333:assumed-role/GovAdmin/gus@example.org');
    });
  });

  describe('session duration', function () {
    it('when STS refuses 7200 s for the role, warns and retries once with 3600 s', async function () {
      const sts = await world.startSts({ maxSessionDuration: { [ALICE_ADMIN]: 3600 } });
      const machine = world.machine({ AWS_ENDPOINT_URL_STS: sts.url });
      await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN, '--duration', '7200']);

      const result = await machine.login('work');

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr).to.include('retrying once with 3600');
      expect(sts.requests.map((r) => [r.params.DurationSeconds, r.status])).to.deep.equal([['7200', 400], ['3600', 200]]);
      const section = machine.credentials('work');
      expectExpiration(section?.awsl_expiration, world.issuedFor(section).expiration, HOUR_MS);
    });

    it('asks STS for no more than the IdP\'s SessionDuration (43200 configured, 28800 granted)', async function () {
      const sts = await world.startSts({ maxSessionDuration: { [ALICE_ADMIN]: 43200 } });
      const machine = world.machine({ AWS_ENDPOINT_URL_STS: sts.url });
      await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN, '--duration', '43200']);

      const result = await machine.login('work');

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr).to.include('asking STS for 28800 s');
      expect(sts.requests.map((r) => [r.params.DurationSeconds, r.status])).to.deep.equal([['28800', 200]]);
      const section = machine.credentials('work');
      expectExpiration(section?.awsl_expiration, world.issuedFor(section).expiration, 8 * HOUR_MS);
    });
  });

  describe('STS', function () {
    it('exits 12 with InvalidIdentityToken when STS does not trust the SAML provider', async function () {
      const sts = await world.startSts({ trustedProviders: {} });
      const machine = world.machine({ AWS_ENDPOINT_URL_STS: sts.url });
      await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);

      const result = await machine.login('work');

      expect(result.code, result.stderr).to.equal(12);
      expect(result.stderr).to.include('STS refused AssumeRoleWithSAML (InvalidIdentityToken)');
      expect(sts.requests.map((r) => r.errorCode)).to.deep.equal(['InvalidIdentityToken']);
      expect(machine.credentials('work')).to.equal(undefined);
    });

    it('exits 12 with ExpiredToken when the assertion has expired by STS\'s clock', async function () {
      const sts = await world.startSts({ now: () => new Date(Date.now() + HOUR_MS) });
      const machine = world.machine({ AWS_ENDPOINT_URL_STS: sts.url });
      await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);

      const result = await machine.login('work');

      expect(result.code, result.stderr).to.equal(12);
      expect(result.stderr).to.include('(ExpiredToken)');
      expect(machine.credentials('work')).to.equal(undefined);
    });

    for (const [where, config] of [
      ['the profile\'s services section', (url: string) => `[profile work]\nservices = local\n\n[services local]\nsts =\n  endpoint_url = ${url}\n`],
      ['the profile\'s endpoint_url', (url: string) => `[profile work]\nendpoint_url = ${url}\n`],
    ] as const) {
      it(`reaches STS through ${where} in ~/.aws/config`, async function () {
        const sts = await world.startSts();
        const machine = world.machine({ AWS_ENDPOINT_URL_STS: undefined });
        writeFileSync(machine.sandbox.configFile, config(sts.url));
        await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);
        const fromDefault = world.sts.requests.length;

        const result = await machine.login('work');

        expect(result.code, result.stderr).to.equal(0);
        expect(sts.requests.map((r) => [r.action, r.status])).to.deep.equal([['AssumeRoleWithSAML', 200]]);
        expect(world.sts.requests.length).to.equal(fromDefault);
        expect(world.issuedFor(machine.credentials('work')).arn).to.equal('arn:aws:sts::111111111111:assumed-role/Admin/alice@example.org');
      });
    }

    it('AWS_ENDPOINT_URL_STS wins over the profile\'s endpoint_url', async function () {
      const configured = await world.startSts();
      const machine = world.machine();
      writeFileSync(machine.sandbox.configFile, `[profile work]\nendpoint_url = ${configured.url}\n`);
      await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);
      const from = world.sts.requests.length;

      const result = await machine.login('work');

      expect(result.code, result.stderr).to.equal(0);
      expect(assumeRoleRequests(world.sts, from)).to.have.length(1);
      expect(configured.requests).to.deep.equal([]);
    });

    it('logs bob in against moto', async function () {
      requirePeer(this, motoAvailable(), 'moto_server');
      const moto = await startMoto();
      try {
        const machine = world.machine({ AWS_ENDPOINT_URL_STS: moto.url });
        await machine.configure('bob', 'bob');

        const result = await machine.login('bob');

        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout).to.include('Logged in as Developer in account 111111111111.');
        const section = machine.credentials('bob');
        expect(section?.aws_access_key_id).to.match(/^ASIA/);
        expect(section?.aws_session_token).to.not.equal('');
        expect(section?.awsl_role_arn).to.equal(BOB_DEVELOPER);
        expect(new Date(section?.awsl_expiration ?? '').getTime()).to.be.above(Date.now());
      } finally {
        await moto.stop();
      }
    });
  });

  it('leaves every profile visible to /usr/bin/aws configure list-profiles', async function () {
    requirePeer(this, awsCliAvailable(), 'AWS CLI v2 (/usr/bin/aws)');
    const machine = world.machine();
    writeFileSync(machine.sandbox.configFile, '[default]\nregion = eu-west-1\n\n[profile hand-made]\nregion = eu-central-1\n');
    writeFileSync(machine.sandbox.credentialsFile, '[static]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = example\n');
    await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);
    await machine.configure('bob', 'bob');
    expect((await machine.login('work')).code).to.equal(0);
    expect((await machine.login('bob')).code).to.equal(0);

    const listed = await machine.aws(['configure', 'list-profiles']);

    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stdout.trim().split('\n').sort()).to.deep.equal(['bob', 'default', 'hand-made', 'static', 'work']);
  });
});
