/**
 * The password source's rules, seen from a provider: a rejected password leaves the keyring and may
 * be typed again once; a doubted one (the IdP refused the login without saying whether the password
 * was the cause) stays in the keyring and, when typed, may be typed again once.
 */
import { expect } from 'chai';
import { createPasswordSource } from '../../src/pipeline/password.js';
import { keyringAccount } from '../../src/providers/provider.js';
import { createLogger } from '../../src/ui/logger.js';
import { MemorySecretStore } from '../providers/onelogin/harness.js';
import { scriptedPrompter } from '../support/scripted-prompter.js';

const ACCOUNT = keyringAccount('alice', 'idp.example.org');

function source(secrets: MemorySecretStore, answers: string[] = []) {
  const prompter = scriptedPrompter(answers);
  const passwords = createPasswordSource({ enableKeyring: true, secrets, prompter, logger: createLogger('quiet'), unattendedHint: 'awsl login --password-stdin' });
  return { passwords, prompter };
}

describe('pipeline/password', function () {
  it('rejected(): a stored password leaves the keyring and is not asked for again', async function () {
    const secrets = new MemorySecretStore({ [ACCOUNT]: 'stale' });
    const { passwords } = source(secrets);
    expect(await passwords.get('alice', 'idp.example.org')).to.equal('stale');
    await passwords.rejected();
    expect(secrets.entries.has(ACCOUNT)).to.equal(false);
    expect(passwords.mayAskAgain()).to.equal(false);
  });

  it('doubted(): a stored password stays in the keyring, and is not replaced by a prompt', async function () {
    const secrets = new MemorySecretStore({ [ACCOUNT]: 'stored' });
    const { passwords, prompter } = source(secrets);
    expect(await passwords.get('alice', 'idp.example.org')).to.equal('stored');
    passwords.doubted();
    expect(secrets.entries.get(ACCOUNT)).to.equal('stored');
    expect(passwords.mayAskAgain()).to.equal(false);
    expect(prompter.questions).to.deep.equal([]);
  });

  it('doubted(): a typed password may be typed again once, and is stored only once the IdP accepts one', async function () {
    const secrets = new MemorySecretStore();
    const { passwords, prompter } = source(secrets, ['first', 'second']);
    expect(await passwords.get('alice', 'idp.example.org')).to.equal('first');
    passwords.doubted();
    expect(passwords.mayAskAgain()).to.equal(true);
    expect(await passwords.get('alice', 'idp.example.org')).to.equal('second');
    passwords.doubted();
    expect(passwords.mayAskAgain()).to.equal(false);
    expect(secrets.entries.size).to.equal(0);
    await passwords.accepted();
    expect(secrets.entries.get(ACCOUNT)).to.equal('second');
    expect(prompter.questions).to.have.length(2);
  });
});
