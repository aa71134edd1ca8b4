/**
 * `awsl logout` after real ECP logins: it removes what awsl wrote and nothing else, keeps the IdP
 * session unless told to forget it, and says when there was nothing to do (exit 0: logout is
 * idempotent, like `aws sso logout`, so cleanup scripts under `set -e` do not break).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ALICE_ADMIN, ALICE_READ_ONLY, startEcpWorld, type EcpWorld } from './ecp-world.js';

/** A credentials file as people keep them: comments, static keys, odd spacing, and a hand-written key in the awsl profile's section. */
const HAND_WRITTEN = `# Kept by hand; awsl must not touch what is not its own.
[static]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

; the awsl profile, with a key of the user's own
[work]
region = eu-west-1

[other]   # trailing comment
aws_access_key_id = AKIAOTHEREXAMPLE
aws_secret_access_key = other
`;

describe('awsl logout (ecp) after real logins', function () {
  let world: EcpWorld;

  before(async function () {
    world = await startEcpWorld(this);
  });

  after(async function () {
    await world?.stop();
  });

  it('removes only awsl\'s keys: the rest of the file stays byte for byte', async function () {
    const machine = world.machine();
    writeFileSync(machine.sandbox.credentialsFile, HAND_WRITTEN, { mode: 0o600 });
    await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);
    expect((await machine.login('work')).code).to.equal(0);
    expect(machine.credentials('work')).to.include({ region: 'eu-west-1', awsl_role_arn: ALICE_ADMIN });

    const result = await machine.run(['logout', '--profile', 'work']);

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal('Logged out of profile work.\n');
    expect(readFileSync(machine.sandbox.credentialsFile, 'utf8')).to.equal(HAND_WRITTEN);
  });

  it('exits 0 the second time, saying the profile was already logged out (and so in --json, and for --all)', async function () {
    const machine = world.machine();
    await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);
    expect((await machine.login('work')).code).to.equal(0);
    expect((await machine.run(['logout', '--profile', 'work'])).code).to.equal(0);

    const again = await machine.run(['logout', '--profile', 'work']);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.equal('Profile work was already logged out; nothing to remove.\n');
    expect(again.stderr).to.equal('');

    const json = await machine.run(['logout', '--profile', 'work', '--json']);
    expect(json.code, json.stderr).to.equal(0);
    expect(JSON.parse(json.stdout)).to.deep.include({ loggedOut: [], alreadyLoggedOut: ['work'] });

    const all = await machine.run(['logout', '--all']);
    expect(all.code, all.stderr).to.equal(0);
    expect(all.stdout).to.equal('Profile work was already logged out; nothing to remove.\n');
  });

  it('--all logs out of every awsl profile and leaves other profiles alone', async function () {
    const machine = world.machine();
    writeFileSync(machine.sandbox.credentialsFile, HAND_WRITTEN, { mode: 0o600 });
    await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);
    await machine.configure('read', 'alice', ['--role-arn', ALICE_READ_ONLY]);
    await machine.configure('bob', 'bob');
    for (const profile of ['work', 'read', 'bob']) expect((await machine.login(profile)).code, profile).to.equal(0);

    const result = await machine.run(['logout', '--all']);

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout.trim().split('\n').sort()).to.deep.equal(['Logged out of profile bob.', 'Logged out of profile read.', 'Logged out of profile work.']);
    expect(machine.credentials('read')).to.equal(undefined);
    expect(machine.credentials('bob')).to.equal(undefined);
    expect(readFileSync(machine.sandbox.credentialsFile, 'utf8')).to.equal(HAND_WRITTEN);
  });

  it('--forget also forgets the IdP session: the next login needs the password again (exit 6 with no terminal)', async function () {
    const machine = world.machine();
    await machine.configure('work', 'alice', ['--role-arn', ALICE_ADMIN]);
    expect((await machine.login('work')).code).to.equal(0);
    const cookies = join(machine.sandbox.stateDirectory, 'cookies');
    expect(readdirSync(cookies), 'saved IdP session').to.have.length(1);

    const result = await machine.run(['logout', '--profile', 'work', '--forget']);

    expect(result.code, result.stderr).to.equal(0);
    // The profile never enabled the keyring: nothing is said about it, and no password claimed removed.
    expect(result.stdout).to.equal('Logged out of profile work.\nForgot the IdP session of profile work.\n');
    expect(result.stderr).to.equal('');
    expect(existsSync(cookies) ? readdirSync(cookies) : []).to.deep.equal([]);
    const login = await machine.run(['login', '--profile', 'work']);
    expect(login.code, login.stderr).to.equal(6);
    expect(login.stderr).to.include('Password for alice').and.to.include('--password-stdin');
    expect(machine.credentials('work')).to.equal(undefined);
  });

  it('exits 4 for a profile that is not set up for awsl', async function () {
    const machine = world.machine();
    writeFileSync(machine.sandbox.configFile, '[profile plain]\nregion = eu-west-1\n');

    const result = await machine.run(['logout', '--profile', 'plain']);

    expect(result.code, result.stderr).to.equal(4);
    expect(result.stderr).to.include('Profile plain is not set up for awsl').and.to.include('awsl login configure --profile plain');
  });
});
