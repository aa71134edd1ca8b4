/**
 * The ECP provider on its own, against the project's Shibboleth-with-Duo stand-in: the password
 * login, the saved IdP session, a rejected password, and the saved-session check and forgetting
 * that status and logout use through the descriptor.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { AuthenticationFailedError } from '../../../src/errors.js';
import { createHttpClient } from '../../../src/http.js';
import { ecpDescriptor, type EcpContext, type EcpProfile } from '../../../src/providers/ecp/descriptor.js';
import { ecpProvider } from '../../../src/providers/ecp/index.js';
import { keyringAccount, type PasswordSource } from '../../../src/providers/provider.js';
import { readProfileSettings } from '../../../src/providers/registry.js';
import { CookieJarStore } from '../../../src/state/cookie-jar-store.js';
import { createLogger } from '../../../src/ui/logger.js';
import { makeTempDir } from '../../peers/process.js';
import { startShibbolethDuoIdp, type ShibbolethDuoIdp } from '../../peers/shibboleth-duo/index.js';
import { scriptedPrompter } from '../../support/scripted-prompter.js';
import { MemorySecretStore } from '../../support/memory-secret-store.js';

/** The core's password source, reduced to what the provider may do with it. */
function recordingPasswords(passwords: string[]): PasswordSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async get(username, host) {
      calls.push(`get ${username}@${host}`);
      const password = passwords.shift();
      if (password === undefined) throw new Error('no password left');
      return password;
    },
    async accepted() { calls.push('accepted'); },
    async rejected() { calls.push('rejected'); },
    mayAskAgain: () => false,
  };
}

describe('ECP provider', function () {
  let idp: ShibbolethDuoIdp;
  let state: { path: string; remove(): Promise<void> };
  let settings: EcpProfile;

  before(async function () {
    idp = await startShibbolethDuoIdp();
    idp.users.set('alice', {
      password: 'alice-password', duo: false, roleSessionName: 'alice', passcodes: [],
      roles: [`${idp.providerArn('444444444444')},arn:aws:iam::444444444444:role/Admin`],
    });
    settings = readProfileSettings('p', { awsl_provider: 'ecp', awsl_ecp_endpoint_url: idp.url, awsl_username: 'alice', awsl_duo_factor: 'none' }) as EcpProfile;
  });
  after(async function () {
    await idp?.stop();
  });
  beforeEach(async function () {
    state = await makeTempDir('ecp-provider');
    idp.requests.length = 0;
    idp.expireSessions();
  });
  afterEach(async function () {
    await state.remove();
  });

  const context = (password: PasswordSource, secrets = new MemorySecretStore()): EcpContext => ({
    settings, prompter: scriptedPrompter([], false), password, secrets, http: createHttpClient(), stateDirectory: state.path,
    logger: createLogger('quiet'), signal: new AbortController().signal, options: { flags: {} }, acsUrl: 'https://signin.aws.amazon.com/saml', env: {},
  });

  it('logs in with the password, keeps it only once the IdP accepted it, then uses the saved session without one', async function () {
    const passwords = recordingPasswords(['alice-password']);
    const first = await ecpProvider.authenticate(context(passwords));
    expect(first.usedSavedSession).to.equal(false);
    expect(first.inResponseTo).to.match(/^_/);
    expect(Buffer.from(first.samlResponse, 'base64').toString('utf8')).to.include(`InResponseTo="${first.inResponseTo}"`);
    expect(passwords.calls).to.deep.equal([`get alice@${new URL(idp.url).host}`, 'accepted']);
    expect(await ecpDescriptor.hasSavedSession(settings, state.path)).to.equal(true);

    const again = recordingPasswords([]);
    const second = await ecpProvider.authenticate(context(again));
    expect(second.usedSavedSession).to.equal(true);
    expect(again.calls).to.deep.equal([]);
    expect(idp.requests.map((request) => request.usedSession)).to.deep.equal([false, true]);
  });

  it('a rejected password is reported as such and handed back to the password source', async function () {
    const passwords = recordingPasswords(['wrong']);
    const error = await ecpProvider.authenticate(context(passwords)).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(AuthenticationFailedError);
    expect((error as AuthenticationFailedError).message).to.include('rejected the username or password');
    expect(passwords.calls.at(-1)).to.equal('rejected');
    expect(await ecpDescriptor.hasSavedSession(settings, state.path)).to.equal(false);
  });

  it('forgetSession drops the cookie jar and the stored password of this user only', async function () {
    await ecpProvider.authenticate(context(recordingPasswords(['alice-password'])));
    const host = new URL(idp.url).host;
    const secrets = new MemorySecretStore({ [keyringAccount('alice', host)]: 'alice-password', [keyringAccount('bob', host)]: 'bob-password' });
    await ecpProvider.forgetSession({ settings, stateDirectory: state.path, secrets });
    expect(existsSync(new CookieJarStore(state.path).path(host, 'alice'))).to.equal(false);
    expect([...secrets.entries.keys()]).to.deep.equal([keyringAccount('bob', host)]);
    expect(await ecpDescriptor.hasSavedSession(settings, state.path)).to.equal(false);
  });
});
