import { expect } from 'chai';
import { AuthenticationFailedError, NeedsTerminalError, ProfileNotConfiguredError } from '../../../src/errors.js';
import { apiBaseUrl } from '../../../src/providers/onelogin/api.js';
import { oneloginProvider } from '../../../src/providers/onelogin/index.js';
import { readProfileSettings } from '../../../src/providers/registry.js';
import type { OneLoginProfile } from '../../../src/providers/onelogin/descriptor.js';
import { samlPath, TOKEN_PATH } from '../../peers/onelogin/index.js';
import { createWorld, decodeSaml, PASSWORD, PASSWORD_QUESTION, type World } from './harness.js';

describe('OneLogin provider: login without MFA', () => {
  let world: World;
  afterEach(async () => world.dispose());

  it('returns the SAMLResponse after one token request and one saml_assertion (v2 by default)', async () => {
    world = await createWorld();
    const { context, prompter } = world.context([{ question: PASSWORD_QUESTION, answer: PASSWORD }]);
    const result = await oneloginProvider.authenticate(context);

    const xml = decodeSaml(result.samlResponse);
    expect(xml).to.match(/^<samlp:Response /);
    expect(xml).to.contain('arn:aws:iam::123456789012:role/Developer,arn:aws:iam::123456789012:saml-provider/OneLogin');
    expect(result.usedSavedSession).to.equal(false);
    expect(result.inResponseTo).to.equal(undefined);
    expect(world.standIn.requests.map((request) => request.path)).to.deep.equal([TOKEN_PATH, samlPath(2)]);
    const [tokenRequest, samlRequest] = world.standIn.requests;
    expect(tokenRequest?.headers.authorization).to.equal('client_id:client-id, client_secret:client-secret');
    expect(tokenRequest?.body).to.deep.equal({ grant_type: 'client_credentials' });
    expect(samlRequest?.headers.authorization).to.match(/^bearer:[0-9a-f]{40}$/);
    expect(samlRequest?.body).to.deep.equal({ username_or_email: 'alice', password: PASSWORD, app_id: '123456', subdomain: 'acme' });
    expect(prompter.unanswered).to.equal(0);
  });

  it('uses the v1 endpoint and envelope when the profile selects API version 1', async () => {
    world = await createWorld({ profile: { awsl_onelogin_api_version: '1' } });
    const result = await oneloginProvider.authenticate(world.context([{ question: PASSWORD_QUESTION, answer: PASSWORD }]).context);
    expect(decodeSaml(result.samlResponse)).to.contain('samlp:Response');
    expect(world.standIn.count(samlPath(1))).to.equal(1);
    expect(world.standIn.count(samlPath(2))).to.equal(0);
  });

  it('sends ip_address when set, which an IP-restricted policy requires', async () => {
    world = await createWorld({ standIn: { allowedIps: ['203.0.113.7'] }, profile: { awsl_onelogin_ip: '203.0.113.7' } });
    await oneloginProvider.authenticate(world.context([{ question: PASSWORD_QUESTION, answer: PASSWORD }]).context);
    expect(world.standIn.requests[1]?.body).to.include({ ip_address: '203.0.113.7' });
  });

  it('asks for the username when the profile has none, and accepts an email address', async () => {
    world = await createWorld({ profile: { awsl_username: undefined } });
    const { context, prompter } = world.context([
      { question: /^OneLogin username or email$/, answer: 'alice@example.com' },
      { question: /^Password for alice@example.com$/, answer: PASSWORD },
    ]);
    await oneloginProvider.authenticate(context);
    expect(world.standIn.requests[1]?.body).to.include({ username_or_email: 'alice@example.com' });
    expect(prompter.unanswered).to.equal(0);
  });

  it('takes the password from the keyring (account user@subdomain.onelogin.com) and asks nothing', async () => {
    world = await createWorld({ profile: { awsl_enable_keyring: 'true' } });
    world.secrets.entries.set('alice@acme.onelogin.com', PASSWORD);
    const { context, prompter } = world.context([]);
    await oneloginProvider.authenticate(context);
    expect(prompter.questions).to.deep.equal([]);
  });

  it('stores a typed password in the keyring only once OneLogin accepted it', async () => {
    world = await createWorld({ profile: { awsl_enable_keyring: 'true' } });
    await oneloginProvider.authenticate(world.context([{ question: PASSWORD_QUESTION, answer: PASSWORD }]).context);
    expect(world.secrets.entries.get('alice@acme.onelogin.com')).to.equal(PASSWORD);
  });

  it('sends the tenant part of a subdomain configured as a full domain (settings reduce it)', async () => {
    world = await createWorld({ profile: { awsl_onelogin_subdomain: 'https://ACME.onelogin.com/' } });
    await oneloginProvider.authenticate(world.context([{ question: PASSWORD_QUESTION, answer: PASSWORD }]).context);
    expect(world.standIn.requests[1]?.body).to.include({ subdomain: 'acme' });
  });

  it('names the configure command for each missing setting', async () => {
    world = await createWorld({ profile: { awsl_onelogin_app_id: undefined } });
    const error = await oneloginProvider.authenticate(world.context().context).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(ProfileNotConfiguredError);
    expect((error as ProfileNotConfiguredError).describe()).to.contain('OneLogin app id').and.contain('awsl login configure --profile work --onelogin-app-id VALUE');
    expect(world.standIn.requests).to.have.length(0);
  });

  it('fails at once without a terminal when the password must be typed', async () => {
    world = await createWorld({ interactive: false });
    const error = await oneloginProvider.authenticate(world.context().context).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(NeedsTerminalError);
    expect((error as NeedsTerminalError).hint).to.contain('--password-stdin');
  });

  it('tells a locked account apart from a wrong password and does not retry', async () => {
    world = await createWorld({ standIn: { users: [{ username: 'alice', password: PASSWORD, locked: true }] } });
    const error = await oneloginProvider.authenticate(world.context([{ question: PASSWORD_QUESTION, answer: PASSWORD }]).context)
      .catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(AuthenticationFailedError);
    expect((error as AuthenticationFailedError).describe()).to.contain('User is locked').and.contain('administrator');
    expect(world.standIn.count(samlPath(2))).to.equal(1);
  });
});

describe('OneLogin API base URL', () => {
  const settings = (section: Record<string, string>) => {
    const read = readProfileSettings('p', { awsl_provider: 'onelogin', ...section }) as OneLoginProfile | undefined;
    if (!read) throw new Error('no settings');
    return read;
  };

  it('is the regional host, us by default', () => {
    expect(apiBaseUrl(settings({}))).to.equal('https://api.us.onelogin.com');
    expect(apiBaseUrl(settings({ awsl_onelogin_region: 'EU' }))).to.equal('https://api.eu.onelogin.com');
  });

  it('is awsl_onelogin_api_url when set (tenant host, proxy prefix), without a trailing slash', () => {
    expect(apiBaseUrl(settings({ awsl_onelogin_api_url: 'https://acme.onelogin.com/' }))).to.equal('https://acme.onelogin.com');
    expect(apiBaseUrl(settings({ awsl_onelogin_api_url: 'http://127.0.0.1:8080/onelogin' }))).to.equal('http://127.0.0.1:8080/onelogin');
  });

  it('accepts http only for loopback (settings check)', () => {
    expect(() => settings({ awsl_onelogin_api_url: 'http://api.us.onelogin.com' })).to.throw(/loopback/);
  });
});
