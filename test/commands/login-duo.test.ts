import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import * as keyring from '../peers/keyring.js';
import { requirePeer } from '../support/peers.js';
import { DUO_PASSWORD, DUO_USER, expectOnlyResultLines, startDuoWorld, type DuoWorld } from './duo-world.js';

const PASSWORD_PROMPT = { expect: `Password for ${DUO_USER}`, send: `${DUO_PASSWORD}\r` };

describe('awsl login with Duo (Shibboleth-style IdP)', function () {
  let world: DuoWorld;

  before(async function () {
    world = await startDuoWorld();
    // How long Duo waits does not change what the user sees; keep the timeouts quick.
    world.idp.duo.timeoutMs = 200;
  });

  after(async function () {
    await world?.stop();
  });

  const lastAttempt = () => world.idp.duo.attempts.at(-1);
  const lastRequest = () => world.idp.requests.at(-1);

  for (const factor of ['push', 'phone', 'auto']) {
    describe(`factor ${factor}`, function () {
      it('logs in when the user approves', async function () {
        const user = await world.user({ factor });
        const result = await user.login();
        expect(result.code, result.stderr).to.equal(0);
        expect(lastAttempt()).to.include({ user: DUO_USER, factor, result: 'allow' });
        expect(lastRequest()?.headers['x-shibboleth-duo-factor']).to.equal(factor);
        world.expectLoggedIn(user);
      });

      // Shibboleth answers a denial, a timeout and a wrong password alike: awsl names both and blames neither.
      it('exits 7 naming the password and Duo when the user denies, and writes no credentials', async function () {
        const user = await world.user({ factor });
        world.idp.duo.nextPush = 'deny';
        const result = await user.login();
        expect(result.code, result.stderr).to.equal(7);
        expect(result.stderr).to.include(`The IdP refused the login (Requester / AuthnFailed / An error occurred): the password or the Duo second factor (factor ${factor}) was not accepted, and the IdP does not say which.\n`
          + 'If no Duo request reached your device, the password is wrong: type it again; a stored password is replaced after awsl logout --profile duo --forget. '
          + 'Otherwise approve the request in time, or choose another factor: --duo-factor push|phone|sms, or --passcode CODE.\n');
        expect(result.stderr).not.to.include('rejected the username or password');
        expect(lastAttempt()).to.include({ factor, result: 'deny' });
        expect(user.credentials()).to.equal(undefined);
      });

      it('exits 7 naming Duo when Duo times out', async function () {
        const user = await world.user({ factor });
        world.idp.duo.nextPush = 'timeout';
        const result = await user.login();
        expect(result.code, result.stderr).to.equal(7);
        expect(result.stderr).to.include(`the password or the Duo second factor (factor ${factor}) was not accepted`).and.to.include('approve the request in time');
        expect(lastAttempt()).to.include({ factor, result: 'timeout' });
      });
    });
  }

  it('keeps the spinner off stdout when there is no terminal: stdout has only the result', async function () {
    const user = await world.user({ factor: 'push' });
    const result = await user.login();
    expect(result.code, result.stderr).to.equal(0);
    expectOnlyResultLines(result.stdout);
    expect(result.stderr).to.include('Approve the Duo push');
  });

  it('shows the push spinner on the terminal', async function () {
    const user = await world.user({ factor: 'push' });
    const result = await user.loginInTerminal([], [PASSWORD_PROMPT]);
    expect(result.code, result.screen).to.equal(0);
    expect(result.screen).to.match(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Approve the Duo push \(Ctrl-C to cancel\)/);
    expect(result.screen).to.include('Duo approved.');
    world.expectLoggedIn(user);
  });

  it('says "Answer the Duo call" for the phone factor', async function () {
    const user = await world.user({ factor: 'phone' });
    const result = await user.login();
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.include('Answer the Duo call');
  });

  describe('passcode', function () {
    it('logs in with --passcode', async function () {
      const user = await world.user({ factor: 'passcode' });
      const result = await user.login(['--passcode', '123456']);
      expect(result.code, result.stderr).to.equal(0);
      expect(lastAttempt()).to.include({ factor: 'passcode', passcode: '123456', result: 'allow' });
      world.expectLoggedIn(user);
    });

    it('a wrong --passcode: exit 7 naming the passcode and the password, one request, not taken for a wrong password', async function () {
      const user = await world.user({ factor: 'passcode' });
      const before = world.idp.requests.length;
      const result = await user.login(['--passcode', '999999']);
      expect(result.code, result.stderr).to.equal(7);
      expect(result.stderr).to.include('the password or the Duo second factor (factor passcode) was not accepted')
        .and.to.include('Check the passcode (each works once) and the password');
      expect(result.stderr).not.to.include('rejected the username or password');
      expect(world.idp.requests.length - before).to.equal(1);
      expect(lastAttempt()).to.include({ factor: 'passcode', passcode: '999999', result: 'deny' });
      expect(user.credentials()).to.equal(undefined);
    });

    it('--passcode overrides a configured push factor', async function () {
      const user = await world.user({ factor: 'push' });
      const code = world.freshPasscode();
      const result = await user.login(['--passcode', code]);
      expect(result.code, result.stderr).to.equal(0);
      expect(lastRequest()?.headers['x-shibboleth-duo-factor']).to.equal('passcode');
      expect(lastAttempt()).to.include({ factor: 'passcode', passcode: code, result: 'allow' });
      expect(result.stderr).to.not.include('Approve the Duo push');
    });

    it('is asked for on the terminal when the factor is passcode and no --passcode is given', async function () {
      const user = await world.user({ factor: 'passcode' });
      const code = world.freshPasscode();
      const result = await user.loginInTerminal([], [PASSWORD_PROMPT, { expect: 'Duo passcode', send: `${code}\r` }]);
      expect(result.code, result.screen).to.equal(0);
      expect(lastAttempt()).to.include({ factor: 'passcode', passcode: code, result: 'allow' });
      world.expectLoggedIn(user);
    });

    it('exits 6 naming --passcode when it must be asked and there is no terminal, before contacting the IdP', async function () {
      const user = await world.user({ factor: 'passcode' });
      const requestsBefore = world.idp.requests.length;
      const result = await user.login();
      expect(result.code, result.stderr).to.equal(6);
      expect(result.stderr).to.include('Duo passcode').and.to.include('--passcode');
      expect(world.idp.requests).to.have.length(requestsBefore);
    });
  });

  it('sms: sends the codes, asks for one and logs in with it, in one command', async function () {
    const user = await world.user({ factor: 'sms' });
    const attemptsBefore = world.idp.duo.attempts.length;
    const result = await user.loginInTerminal([], [
      PASSWORD_PROMPT,
      { expect: 'Passcode from the SMS', send: () => `${world.idp.duo.smsCodesSent(DUO_USER).at(-1)}\r` },
    ]);
    expect(result.code, result.screen).to.equal(0);
    expect(result.screen).to.include('Duo sent passcodes by SMS');
    const attempts = world.idp.duo.attempts.slice(attemptsBefore);
    expect(attempts.map((a) => [a.factor, a.result])).to.deep.equal([['sms', 'sent'], ['passcode', 'allow']]);
    expect(world.idp.duo.smsCodesSent(DUO_USER)).to.include(attempts[1]?.passcode);
    world.expectLoggedIn(user);
  });

  it('Ctrl-C during a held push exits 130 promptly and writes no credentials', async function () {
    const user = await world.user({ factor: 'push' });
    world.idp.duo.pushDelayMs = 30_000;
    try {
      const started = Date.now();
      // The spinner's third frame: the request has been on its way for a while, held by the IdP.
      const result = await user.loginInTerminal([], [PASSWORD_PROMPT, { expect: '⠹ Approve the Duo push', send: '\x03' }], 15_000);
      expect(result.code, result.screen).to.equal(130);
      expect(Date.now() - started).to.be.below(10_000);
      expect(result.screen).to.include('Cancelled');
      expect(lastAttempt()).to.include({ factor: 'push', result: 'aborted' });
      expect(user.credentials()).to.equal(undefined);
    } finally {
      world.idp.duo.pushDelayMs = 300;
    }
  });

  describe('custom header names and SOAP-fault refusals', function () {
    let custom: DuoWorld;

    before(async function () {
      custom = await startDuoWorld({ factorHeader: 'X-Custom-Factor', passcodeHeader: 'X-Custom-Passcode', authnFailure: 'soap-fault' });
    });

    after(async function () {
      await custom?.stop();
    });

    const customUser = (factor: string) => custom.user({
      factor, configure: ['--duo-factor-header', 'X-Custom-Factor', '--duo-passcode-header', 'X-Custom-Passcode'],
    });

    it('sends the factor in the configured header', async function () {
      const user = await customUser('phone');
      const result = await user.login();
      expect(result.code, result.stderr).to.equal(0);
      expect(custom.idp.requests.at(-1)?.headers['x-custom-factor']).to.equal('phone');
      expect(custom.idp.requests.at(-1)?.headers).to.not.have.property('x-shibboleth-duo-factor');
      expect(custom.idp.duo.attempts.at(-1)).to.include({ factor: 'phone', result: 'allow' });
      custom.expectLoggedIn(user);
    });

    it('sends the passcode in the configured header, and --verbose does not show it', async function () {
      const user = await customUser('push');
      const code = custom.freshPasscode();
      const result = await user.login(['--passcode', code, '--verbose']);
      expect(result.code, result.stderr).to.equal(0);
      expect(custom.idp.duo.attempts.at(-1)).to.include({ factor: 'passcode', passcode: code, result: 'allow' });
      expect(result.stderr).to.match(/x-custom-passcode: \[redacted\]/i);
      expect(result.stderr).to.not.include(code);
    });

    it('exits 7 naming the password and Duo when the IdP reports the refusal as a SOAP fault', async function () {
      const user = await customUser('push');
      custom.idp.duo.nextPush = 'deny';
      const result = await user.login();
      expect(result.code, result.stderr).to.equal(7);
      expect(result.stderr).to.include('The IdP refused the login (SOAP fault Client: An error occurred): the password or the Duo second factor (factor push) was not accepted');
      expect(custom.idp.requests.at(-1)).to.include({ outcome: 'duo-failed', status: 500 });
    });
  });

  describe('with the keyring', function () {
    let gnome: keyring.GnomeKeyring | undefined;
    let keyringEnv: NodeJS.ProcessEnv = {};

    before(async function () {
      requirePeer(this, keyring.available(), 'GNOME keyring (gnome-keyring, dbus, libsecret-tools)');
      gnome = await keyring.startGnomeKeyring();
      keyringEnv = gnome.env;
    });

    after(async function () {
      await gnome?.stop();
    });

    /** duo-user's password in the keyring; '' when there is none. */
    const storedPassword = async (): Promise<string> => {
      const account = `${DUO_USER}@${new URL(world.idp.url).host}`;
      const { stdout } = await promisify(execFile)(keyring.SECRET_TOOL, ['lookup', 'service', 'awsl', 'username', account], { env: keyringEnv })
        .catch(() => ({ stdout: '' }));
      return stdout;
    };

    it('a Duo denial at a terminal keeps the stored password (the person saw the push), and the next login uses it', async function () {
      // The keyring's bus, but the sandbox's own HOME.
      const bus = { DBUS_SESSION_BUS_ADDRESS: keyringEnv.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: keyringEnv.XDG_RUNTIME_DIR };
      const user = await world.user({ factor: 'push', configure: ['--enable-keyring'], env: bus });
      const lookup = storedPassword;

      const first = await user.login();
      expect(first.code, first.stderr).to.equal(0);
      expect(await lookup()).to.equal(DUO_PASSWORD);

      // The IdP session ends: the password comes from the keyring, and Duo says no.
      world.idp.expireSessions();
      world.idp.duo.nextPush = 'deny';
      const denied = await user.loginInTerminal([], []);
      expect(denied.code, denied.screen).to.equal(7);
      expect(denied.screen).to.include('the password or the Duo second factor (factor push) was not accepted');
      expect(denied.screen).to.not.include('Removed the');
      expect(await lookup()).to.equal(DUO_PASSWORD);

      const again = await user.run(['login']);
      expect(again.code, again.stderr).to.equal(0);
      world.expectLoggedIn(user);
    });

    it('with no one at a terminal, a refused stored password is removed (it could be wrong), and the next unattended login sends nothing to the IdP', async function () {
      const bus = { DBUS_SESSION_BUS_ADDRESS: keyringEnv.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: keyringEnv.XDG_RUNTIME_DIR };
      const user = await world.user({ factor: 'push', configure: ['--enable-keyring'], env: bus });
      expect((await user.login()).code).to.equal(0);
      world.idp.expireSessions();
      world.idp.duo.nextPush = 'deny';
      const denied = await user.run(['login']);
      expect(denied.code, denied.stderr).to.equal(7);
      expect(denied.stderr).to.include('Removed the stored password for').and.to.include('with no one at a terminal');
      expect(await storedPassword()).to.equal('');

      const before = world.idp.requests.length;
      const unattended = await user.run(['login']);
      expect(unattended.code, unattended.stderr).to.equal(6);
      // The saved IdP session may be tried (a cookie, no password); a password is not sent again.
      expect(world.idp.requests.slice(before).filter((request) => request.headers.authorization), 'no password was sent again').to.deep.equal([]);
    });

    it('at a terminal, a stored password the IdP no longer takes is kept too, as the answer could be Duo; the hint says how to replace it', async function () {
      const bus = { DBUS_SESSION_BUS_ADDRESS: keyringEnv.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: keyringEnv.XDG_RUNTIME_DIR };
      const user = await world.user({ factor: 'push', configure: ['--enable-keyring'], env: bus });
      const idpUser = world.idp.users.get(DUO_USER);
      if (!idpUser) throw new Error('the stand-in has no duo-user');
      expect((await user.login()).code).to.equal(0);
      world.idp.expireSessions();
      idpUser.password = 'changed-at-the-directory';
      try {
        const refused = await user.loginInTerminal([], []);
        expect(refused.code, refused.screen).to.equal(7);
        expect(refused.screen.replace(/\s+/g, ' ')).to.include('If no Duo request reached your device, the password is wrong')
          .and.to.include('a stored password is replaced after awsl logout --profile duo --forget');
        expect(refused.screen).not.to.include('Removed the');
        expect(await storedPassword()).to.equal(DUO_PASSWORD);
      } finally {
        idpUser.password = DUO_PASSWORD;
      }
    });
  });
});
