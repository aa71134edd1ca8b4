/**
 * Where a login's password comes from, and what the keyring keeps: the rules every provider gets
 * (--password-stdin, then the keyring, then a prompt; stored once accepted, removed once rejected;
 * a typed password asked again once; an empty one never sent).
 */
import { expect } from 'chai';
import { KeyringError } from '../../src/errors.js';
import { createPasswordSource, type PasswordSourceOptions } from '../../src/pipeline/password.js';
import { keyringAccount } from '../../src/providers/provider.js';
import { createLogger } from '../../src/ui/logger.js';
import { MemorySecretStore } from '../support/memory-secret-store.js';
import { scriptedPrompter, type ScriptedPrompter } from '../support/scripted-prompter.js';

const HOST = 'idp.example.edu';
const ACCOUNT = keyringAccount('alice', HOST);

describe('pipeline/password', function () {
  let logs: string[];
  const source = (prompter: ScriptedPrompter, options: Partial<PasswordSourceOptions> = {}) => createPasswordSource({
    enableKeyring: false, secrets: new MemorySecretStore(), prompter, logger: createLogger('normal', (text) => { logs.push(text.trimEnd()); }),
    unattendedHint: 'awsl login --password-stdin', ...options,
  });

  beforeEach(function () {
    logs = [];
  });

  it('takes --password-stdin first, once, without asking; a second get asks', async function () {
    const prompter = scriptedPrompter(['typed']);
    const passwords = source(prompter, { stdinPassword: 'from-stdin' });
    expect(await passwords.get('alice', HOST)).to.equal('from-stdin');
    expect(prompter.questions).to.deep.equal([]);
    expect(await passwords.get('alice', HOST)).to.equal('typed');
    expect(prompter.asked).to.deep.equal([{ question: 'Password for alice', options: { secret: true, unattendedHint: 'awsl login --password-stdin' } }]);
  });

  it('never returns an empty password: says so and asks again', async function () {
    const prompter = scriptedPrompter(['', 'secret']);
    expect(await source(prompter).get('alice', HOST)).to.equal('secret');
    expect(prompter.questions).to.deep.equal(['Password for alice', 'Password for alice']);
    expect(prompter.said).to.deep.equal(['The password is empty: type it, or press Ctrl-C to cancel.']);
  });

  it('stores a typed password in the keyring only once the IdP accepted it, then reads it from there without asking', async function () {
    const secrets = new MemorySecretStore();
    const first = source(scriptedPrompter(['secret']), { enableKeyring: true, secrets });
    expect(await first.get('alice', HOST)).to.equal('secret');
    expect(secrets.entries.size).to.equal(0);
    await first.accepted();
    expect(secrets.entries.get(ACCOUNT)).to.equal('secret');

    const prompter = scriptedPrompter([]);
    expect(await source(prompter, { enableKeyring: true, secrets }).get('alice', HOST)).to.equal('secret');
    expect(prompter.questions).to.deep.equal([]);
  });

  it('keeps nothing when the keyring is not enabled', async function () {
    const secrets = new MemorySecretStore();
    const passwords = source(scriptedPrompter(['secret']), { secrets });
    await passwords.get('alice', HOST);
    await passwords.accepted();
    expect(secrets.entries.size).to.equal(0);
    expect(secrets.reads).to.equal(0);
  });

  it('removes a rejected keyring password, says so, and asks at the prompt instead', async function () {
    const secrets = new MemorySecretStore({ [ACCOUNT]: 'old' });
    const prompter = scriptedPrompter(['new']);
    const passwords = source(prompter, { enableKeyring: true, secrets });
    expect(await passwords.get('alice', HOST)).to.equal('old');
    await passwords.rejected();
    expect(secrets.entries.has(ACCOUNT)).to.equal(false);
    expect(logs).to.deep.equal([`Removed the rejected password for ${ACCOUNT} from the keyring.`]);
    expect(passwords.mayAskAgain(), 'a rejected stored password is not a typed one').to.equal(false);
    expect(await passwords.get('alice', HOST)).to.equal('new');
  });

  it('allows one more try after a rejected typed password, never two, and none without a terminal', async function () {
    const passwords = source(scriptedPrompter(['wrong-1', 'wrong-2']));
    await passwords.get('alice', HOST);
    await passwords.rejected();
    expect(passwords.mayAskAgain()).to.equal(true);
    await passwords.get('alice', HOST);
    await passwords.rejected();
    expect(passwords.mayAskAgain()).to.equal(false);

    const unattended = source(scriptedPrompter([], false), { stdinPassword: 'piped' });
    await unattended.get('alice', HOST);
    await unattended.rejected();
    expect(unattended.mayAskAgain(), 'a piped password is not replaced by a prompt').to.equal(false);
  });

  it('without a terminal, a needed prompt fails naming --password-stdin', async function () {
    const error = await source(scriptedPrompter([], false)).get('alice', HOST).catch((caught: unknown) => caught);
    expect(error).to.have.property('hint', 'awsl login --password-stdin');
    expect(error).to.have.property('exitCode', 6);
  });

  it('a keyring that fails is given up for the run, and the password is asked instead', async function () {
    const broken = new MemorySecretStore();
    let calls = 0;
    broken.get = async () => {
      calls += 1;
      throw new KeyringError('No D-Bus session.', 'Start a keyring.');
    };
    const prompter = scriptedPrompter(['typed']);
    const passwords = source(prompter, { enableKeyring: true, secrets: broken });
    expect(await passwords.get('alice', HOST)).to.equal('typed');
    await passwords.accepted();
    expect(calls).to.equal(1);
    expect(broken.entries.size, 'not stored in a keyring given up on').to.equal(0);
  });
});
