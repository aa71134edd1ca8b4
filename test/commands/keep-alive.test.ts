/**
 * `awsl login --refresh-every MINUTES --for HOURS` against SimpleSAMLphp and the STS stand-in, with
 * fractions of a minute so that renewals come every second or so.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { findExecutable } from '../peers/process.js';
import { runAwslInTerminal, startAwsl } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';
import { ALICE, startCredentialsWorld, type CredentialsWorld } from './credentials-world.js';

describe('awsl login --refresh-every (built CLI, SimpleSAMLphp, STS stand-in)', function () {
  let world: CredentialsWorld;

  before(async function () {
    world = await startCredentialsWorld(this);
  });

  after(async function () {
    await world?.stop();
  });

  it('renews through the IdP session, prints each renewal, and stops cleanly on Ctrl-C (exit 130)', async function () {
    const home = world.home();
    expect((await home.configure('p')).code).to.equal(0);
    const before = world.assumeRoleCount();
    const running = startAwsl(['login', '--profile', 'p', '--password-stdin', '--refresh-every', '0.02', '--for', '1'], home.env, `${ALICE.password}\n`);
    await running.waitFor(/Renewal 2: /, 20_000);
    expect(world.assumeRoleCount() - before).to.be.at.least(3);
    running.child.kill('SIGINT');
    const { code } = await running.exited;
    expect(code, running.stderr()).to.equal(130);
    const out = running.stdout();
    expect(out).to.match(/^Logged in as Admin in account 111111111111\.\n/);
    expect(out).to.include('Renewing every 0.02 minutes for 1 hour; Ctrl-C stops.');
    expect(out, out).to.match(/Renewal 1: Admin in account 111111111111; credentials expire at .* \(in [^)]+\)\.\n/);
    expect(out).to.match(/Keep-alive stopped \(Ctrl-C\) after \d+ renewals?; credentials expire at /);
    const renewals = Number(/after (\d+) renewals?/.exec(out)?.[1]);
    expect(world.assumeRoleCount() - before).to.equal(renewals + 1);
    // The file holds the last credentials STS issued.
    const key = /aws_access_key_id = (\S+)/.exec(readFileSync(home.sandbox.credentialsFile, 'utf8'))?.[1];
    expect(world.sts.issued.get(key!)?.expiration.getTime()).to.equal(Math.max(...[...world.sts.issued.values()].map((issued) => issued.expiration.getTime())));
  });

  it('renews the role picked from the menu without asking again; Ctrl-C at the terminal stops it', async function () {
    requirePeer(this, findExecutable('script') !== undefined, 'script(1) from util-linux (bsdutils)');
    const home = world.home();
    const configured = await home.run(['login', 'configure', '--profile', 'p', '--provider', 'ecp', '--ecp-endpoint-url', world.idp.url, '--username', ALICE.username, '--no-prompt']);
    expect(configured.code, configured.stderr).to.equal(0);
    const result = await runAwslInTerminal(['login', '--profile', 'p', '--refresh-every', '0.02'], {
      env: home.env,
      steps: [{ expect: 'Password for alice', send: `${ALICE.password}\r` }, { expect: /Role \[1-2, name or prefix, q to quit\]/, send: '2\r' }, { expect: 'Renewal 2: ', send: '\x03' }],
    });
    expect(result.code, result.screen).to.equal(130);
    expect(result.screen).to.match(/Renewal 2: ReadOnly in account 222222222222/);
    expect(result.screen.match(/Role \[1-2/g)).to.have.length(1);
    expect(result.screen).to.match(/Keep-alive stopped \(Ctrl-C\) after \d+ renewals?/);
  });

  it('ends by itself after --for HOURS (exit 0)', async function () {
    const home = world.home();
    expect((await home.configure('p')).code).to.equal(0);
    const running = startAwsl(['login', '--profile', 'p', '--password-stdin', '--refresh-every', '0.01', '--for', '0.0006'], home.env, `${ALICE.password}\n`);
    const { code } = await running.exited;
    expect(code, running.stderr()).to.equal(0);
    expect(running.stdout()).to.match(/Keep-alive done after 0\.0006 hours and \d+ renewals?; credentials expire at /);
  });

  it('stops with a clear message (exit 6) when the IdP session ends and a renewal would need the password', async function () {
    const home = world.home();
    expect((await home.configure('p')).code).to.equal(0);
    await home.login('p');
    const running = startAwsl(['login', '--profile', 'p', '--refresh-every', '0.02'], home.env);
    await running.waitFor(/Renewal 1: /, 20_000);
    rmSync(join(home.sandbox.stateDirectory, 'cookies'), { recursive: true, force: true });
    const { code } = await running.exited;
    expect(code, running.stderr()).to.equal(6);
    expect(running.stderr()).to.match(/Keep-alive of profile p stopped after \d+ renewals?: the IdP session has ended, and logging in again needs a password or second factor\. The current credentials stay valid until /);
    expect(running.stderr()).to.include('awsl login --profile p --refresh-every');
  });

  it('refuses bad values before logging in (exit 2)', async function () {
    const home = world.home();
    expect((await home.configure('p')).code).to.equal(0);
    const before = world.assumeRoleCount();
    for (const args of [['--refresh-every', '0'], ['--refresh-every', 'soon'], ['--refresh-every', '5', '--for', '-1'], ['--for', '2']]) {
      const result = await home.run(['login', '--profile', 'p', ...args]);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).to.equal(2);
    }
    expect(world.assumeRoleCount()).to.equal(before);
  });
});
