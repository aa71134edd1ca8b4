import { expect } from 'chai';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NeedsTerminalError } from '../../../src/errors.js';
import { OneLoginApiError } from '../../../src/providers/onelogin/errors.js';
import { oneloginDescriptor } from '../../../src/providers/onelogin/descriptor.js';
import { oneloginProvider } from '../../../src/providers/onelogin/index.js';
import { CLIENT_SECRET_VARIABLE } from '../../../src/providers/onelogin/client-secret.js';
import { samlPath, TOKEN_PATH } from '../../peers/onelogin/index.js';
import { CLIENT_SECRET, CLIENT_SECRET_ACCOUNT, createWorld, PASSWORD, PASSWORD_QUESTION, type World } from './harness.js';

const typePassword = [{ question: PASSWORD_QUESTION, answer: PASSWORD }];

describe('OneLogin provider: access token', () => {
  let world: World;
  afterEach(async () => world.dispose());

  it('caches the token (0600 in a 0700 folder) so the next login makes no token request nor keyring read', async () => {
    world = await createWorld();
    await oneloginProvider.authenticate(world.context(typePassword).context);
    const readsAfterFirst = world.secrets.reads;
    await oneloginProvider.authenticate(world.context(typePassword).context);

    expect(world.standIn.count(TOKEN_PATH)).to.equal(1);
    expect(world.standIn.count(samlPath(2))).to.equal(2);
    expect(world.secrets.reads).to.equal(readsAfterFirst);
    const folder = join(world.stateDirectory, 'onelogin');
    expect((await stat(folder)).mode & 0o777).to.equal(0o700);
    const files = await readdir(folder);
    expect(files).to.have.length(1);
    expect((await stat(join(folder, files[0] ?? ''))).mode & 0o777).to.equal(0o600);
    expect(await world.tokenCached()).to.equal(true);
  });

  it('never tells status that the next login needs no password: a cached token spares a request, not a prompt', async () => {
    world = await createWorld();
    await oneloginProvider.authenticate(world.context(typePassword).context);
    expect(await world.tokenCached()).to.equal(true);
    const { settings, stateDirectory } = world.context().context;
    expect(await oneloginDescriptor.hasSavedSession(settings, stateDirectory)).to.equal(false);
  });

  it('does not cache a token that expires within minutes', async () => {
    world = await createWorld({ standIn: { tokenLifetimeSeconds: 120 } });
    await oneloginProvider.authenticate(world.context(typePassword).context);
    expect(await world.tokenCached()).to.equal(false);
    await oneloginProvider.authenticate(world.context(typePassword).context);
    expect(world.standIn.count(TOKEN_PATH)).to.equal(2);
  });

  it('replaces a cached token OneLogin refuses, once, and carries on', async () => {
    world = await createWorld();
    await oneloginProvider.authenticate(world.context(typePassword).context);
    world.standIn.revokeTokens();
    await oneloginProvider.authenticate(world.context(typePassword).context);
    expect(world.standIn.requests.map((request) => `${request.path} ${request.status}`)).to.deep.equal([
      `${TOKEN_PATH} 200`, `${samlPath(2)} 200`, `${samlPath(2)} 401`, `${TOKEN_PATH} 200`, `${samlPath(2)} 200`,
    ]);
  });

  it('forgetSession removes the cached token and the stored password, and keeps the client secret', async () => {
    world = await createWorld({ profile: { awsl_enable_keyring: 'true' } });
    await oneloginProvider.authenticate(world.context(typePassword).context);
    expect(world.secrets.entries.has('alice@acme.onelogin.com')).to.equal(true);
    await oneloginProvider.forgetSession(world.context().context);
    expect(await world.tokenCached()).to.equal(false);
    expect(await readdir(join(world.stateDirectory, 'onelogin'))).to.deep.equal([]);
    expect([...world.secrets.entries.keys()]).to.deep.equal([CLIENT_SECRET_ACCOUNT]);
  });

  it(`takes the client secret from ${CLIENT_SECRET_VARIABLE} before the keyring`, async () => {
    world = await createWorld({ secrets: {} });
    process.env.AWSL_ONELOGIN_CLIENT_SECRET = CLIENT_SECRET;
    try {
      await oneloginProvider.authenticate(world.context(typePassword).context);
    } finally {
      delete process.env.AWSL_ONELOGIN_CLIENT_SECRET;
    }
    expect(world.secrets.reads).to.equal(0);
    expect(world.secrets.entries.size).to.equal(0);
  });

  it('asks for a missing client secret and keeps it in the keyring once OneLogin accepted it', async () => {
    world = await createWorld({ secrets: {} });
    const { context, prompter } = world.context([
      { question: /^OneLogin API client secret for client id client-id$/, answer: CLIENT_SECRET },
      ...typePassword,
    ]);
    await oneloginProvider.authenticate(context);
    expect(prompter.asked[0]?.options?.secret).to.equal(true);
    expect(world.secrets.entries.get(CLIENT_SECRET_ACCOUNT)).to.equal(CLIENT_SECRET);
  });

  it('without a terminal, names configure and the environment variable for a missing secret', async () => {
    world = await createWorld({ secrets: {}, interactive: false });
    const error = await oneloginProvider.authenticate(world.context().context).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(NeedsTerminalError);
    expect((error as NeedsTerminalError).hint).to.contain('awsl login configure --profile work').and.contain(CLIENT_SECRET_VARIABLE);
  });

  it('reports a wrong client id or secret with the fix, and sends no password', async () => {
    world = await createWorld({ secrets: { [CLIENT_SECRET_ACCOUNT]: 'stale' } });
    const error = await oneloginProvider.authenticate(world.context(typePassword).context).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(OneLoginApiError);
    expect((error as OneLoginApiError).message).to.contain('client id client-id').and.contain('401: Authentication Failure');
    expect((error as OneLoginApiError).hint).to.contain('awsl login configure --profile work').and.contain('awsl_onelogin_api_url');
    expect(world.standIn.count(samlPath(2))).to.equal(0);
  });

});
