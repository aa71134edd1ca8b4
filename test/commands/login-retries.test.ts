/**
 * Wrong answers, the same rules everywhere: a password typed at the prompt is asked for again
 * once, then awsl stops (directories lock accounts after a few tries); an empty one is never sent;
 * one from --password-stdin is not replaced by a prompt; a wrong Duo passcode typed at the prompt
 * is asked for again once. The Shibboleth-style stand-in checks the password itself, as
 * Shibboleth's Password flow does, so a wrong password and a Duo refusal get the same answer; it
 * records every request it gets.
 */
import { expect } from 'chai';
import { DUO_PASSWORD, DUO_USER, startDuoWorld, type DuoWorld } from './duo-world.js';

const PROMPT = `Password for ${DUO_USER}`;

describe('awsl login: wrong and empty answers', function () {
  let world: DuoWorld;

  before(async function () {
    world = await startDuoWorld();
  });

  after(async function () {
    await world?.stop();
  });

  const authRequests = () => world.idp.requests.filter((request) => request.headers.authorization !== undefined).length;

  it('never sends an empty password, and asks a wrong typed one again once, then stops with exit 7', async function () {
    const user = await world.user({ factor: 'none' });
    const before = authRequests();
    const result = await user.loginInTerminal([], [
      { expect: PROMPT, send: '\r' },
      { expect: 'The password is empty: type it, or press Ctrl-C to cancel.', send: '' },
      { expect: PROMPT, send: 'wrong-1\r' },
      { expect: 'Type it again (last try).', send: '' },
      { expect: PROMPT, send: 'wrong-2\r' },
    ], 30_000);
    expect(result.code, result.screen).to.equal(7);
    expect(authRequests() - before).to.equal(2);
    expect(result.screen.match(new RegExp(PROMPT, 'g'))).to.have.length(3);
    expect(user.credentials()).to.equal(undefined);
  });

  it('logs in when the second typed password is right, though the IdP\'s refusal could also have been Duo', async function () {
    const user = await world.user({ factor: 'push' });
    const before = world.idp.requests.length;
    const result = await user.loginInTerminal([], [
      { expect: PROMPT, send: 'wrong\r' },
      { expect: 'does not say which. Type the password again (last try).', send: '' },
      { expect: PROMPT, send: `${DUO_PASSWORD}\r` },
    ], 30_000);
    expect(result.code, result.screen).to.equal(0);
    expect(world.idp.requests.slice(before).map((request) => request.outcome)).to.deep.equal(['unauthorized', 'success']);
    world.expectLoggedIn(user);
  });

  it('does not re-ask a password from --password-stdin: one request, exit 7, a clear message', async function () {
    const user = await world.user({ factor: 'none' });
    const before = authRequests();
    const result = await user.login([], 'wrong');
    expect(result.code, result.stderr).to.equal(7);
    expect(result.stderr).to.include('The IdP rejected the username or password');
    expect(result.stderr).not.to.include('terminal');
    expect(authRequests() - before).to.equal(1);
  });

  it('asks a wrong Duo passcode typed at the prompt again once, and logs in with the right one', async function () {
    const user = await world.user({ factor: 'passcode' });
    const code = world.freshPasscode();
    const result = await user.loginInTerminal([], [
      { expect: PROMPT, send: `${DUO_PASSWORD}\r` },
      { expect: 'Duo passcode', send: 'abc\r' },
      { expect: 'A Duo passcode is 4 to 12 digits', send: '' },
      { expect: 'Duo passcode', send: '999999\r' },
      { expect: 'Type the code again (last try).', send: '' },
      { expect: 'Duo passcode', send: `${code}\r` },
    ], 30_000);
    expect(result.code, result.screen).to.equal(0);
    const attempts = world.idp.duo.attempts.filter((attempt) => attempt.factor === 'passcode').slice(-2);
    expect(attempts.map((attempt) => [attempt.passcode, attempt.result])).to.deep.equal([['999999', 'deny'], [code, 'allow']]);
    world.expectLoggedIn(user);
  });

  it('stops with exit 7 after the second wrong passcode, without asking the password again', async function () {
    const user = await world.user({ factor: 'passcode' });
    const result = await user.loginInTerminal([], [
      { expect: PROMPT, send: `${DUO_PASSWORD}\r` },
      { expect: 'Duo passcode', send: '999998\r' },
      { expect: 'Type the code again (last try).', send: '' },
      { expect: 'Duo passcode', send: '999997\r' },
    ], 30_000);
    expect(result.code, result.screen).to.equal(7);
    expect(result.screen).to.include('Check the passcode (each works once) and the password');
    expect(result.screen.match(/Duo passcode/g)).to.have.length(2);
    expect(result.screen.match(new RegExp(PROMPT, 'g'))).to.have.length(1);
  });
});
