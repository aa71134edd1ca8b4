import { expect } from 'chai';
import {
  AuthenticationFailedError, NetworkError, RateLimitedError, type AwslError,
} from '../../../src/errors.js';
import { OneLoginApiError } from '../../../src/providers/onelogin/errors.js';
import { oneloginProvider } from '../../../src/providers/onelogin/index.js';
import { samlPath, TOKEN_PATH } from '../../peers/onelogin/index.js';
import { freePort } from '../../peers/process.js';
import { createWorld, PASSWORD, PASSWORD_QUESTION, type World, type WorldOptions } from './harness.js';
import type { ScriptedAnswer } from '../../support/scripted-prompter.js';

const password: ScriptedAnswer = { question: PASSWORD_QUESTION, answer: PASSWORD };

async function loginError(world: World, answers: ScriptedAnswer[] = [password]): Promise<AwslError> {
  const error = await oneloginProvider.authenticate(world.context(answers).context).then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof Error) || !('hint' in error)) throw new Error(`expected an awsl error, got ${String(error)}`);
  return error as AwslError;
}

describe('OneLogin provider: errors', () => {
  let world: World;
  afterEach(async () => world.dispose());

  for (const version of [1, 2] as const) {
    describe(`API v${version} error shapes`, () => {
      const setup = (options: WorldOptions = {}) => createWorld({ ...options, profile: { awsl_onelogin_api_version: String(version), ...options.profile } });

      it('invalid subdomain', async () => {
        world = await setup({ profile: { awsl_onelogin_subdomain: 'acne' } });
        const error = await loginError(world);
        expect(error).to.be.instanceOf(OneLoginApiError);
        expect(error.message).to.equal('OneLogin does not know the subdomain "acne" (HTTP 400: Invalid subdomain).');
        expect(error.hint).to.contain('awsl login configure --profile work --onelogin-subdomain VALUE');
      });

      it('wrong typed password: asks once more, and logs in with the right one', async () => {
        world = await setup();
        const { context, prompter } = world.context([{ ...password, answer: 'typo' }, password]);
        await oneloginProvider.authenticate(context);
        expect(prompter.said).to.include('OneLogin rejected the password; type it again (last try).');
        expect(world.standIn.count(samlPath(version))).to.equal(2);
      });

      it('wrong password from the keyring: removes it and stops, without a prompt', async () => {
        world = await setup({ profile: { awsl_enable_keyring: 'true' } });
        world.secrets.entries.set('alice@acme.onelogin.com', 'stale password');
        const error = await loginError(world, []);
        expect(error).to.be.instanceOf(AuthenticationFailedError);
        expect(world.secrets.entries.has('alice@acme.onelogin.com')).to.equal(false);
        expect(world.standIn.count(samlPath(version))).to.equal(1);
      });

      it('wrong password twice: stops after the second try (no lockout loop)', async () => {
        world = await setup();
        const error = await loginError(world, [{ ...password, answer: 'guess 1' }, { ...password, answer: 'guess 2' }]);
        expect(error).to.be.instanceOf(AuthenticationFailedError);
        expect(error.message).to.contain('rejected the username or password of alice').and.contain('Invalid user credentials');
        expect(error.hint).to.contain('locks an account');
        expect(world.standIn.count(samlPath(version))).to.equal(2);
      });

      it('app not found', async () => {
        world = await setup({ profile: { awsl_onelogin_app_id: '999' } });
        const error = await loginError(world);
        expect(error).to.be.instanceOf(OneLoginApiError);
        expect(error.message).to.equal('OneLogin has no app with id 999 (HTTP 404: App could not be found).');
        expect(error.hint).to.contain('AWS Multi Account').and.contain('--onelogin-app-id VALUE');
      });

      it('insufficient permission of the API credential', async () => {
        world = await setup({ standIn: { scope: 'read-users' } });
        const error = await loginError(world);
        expect(error).to.be.instanceOf(OneLoginApiError);
        expect(error.message).to.contain('client-id may not request SAML assertions (HTTP 401: Insufficient Permission)');
        expect(error.hint).to.contain('"Authentication Only" scope');
      });

      it('IP address not allowed', async () => {
        world = await setup({ standIn: { allowedIps: ['203.0.113.7'] } });
        const error = await loginError(world);
        expect(error).to.be.instanceOf(AuthenticationFailedError);
        expect(error.message).to.contain('from your current IP address');
        expect(error.hint).to.contain('--onelogin-ip VALUE');
      });

      it('IP address not allowed although one was sent', async () => {
        world = await setup({ standIn: { allowedIps: ['203.0.113.7'] }, profile: { awsl_onelogin_ip: '198.51.100.1' } });
        const error = await loginError(world);
        expect(error.hint).to.contain('awsl sent ip_address 198.51.100.1');
      });

      it('429: says when to retry, from X-RateLimit-Reset, and does not retry', async () => {
        world = await setup({ standIn: { rateLimit: { limit: 0, resetSeconds: 832 } } });
        const error = await loginError(world);
        expect(error).to.be.instanceOf(RateLimitedError);
        expect(error.hint).to.match(/^Try again in 14 min \(after .+\)\. awsl does not retry by itself/);
        expect(world.standIn.count(samlPath(version))).to.equal(1);
      });

      it('5xx: names OneLogin as the cause, no retry', async () => {
        world = await setup();
        world.standIn.replyNext(samlPath(version), { status: 503, body: '<html>Service Unavailable</html>', contentType: 'text/html' });
        const error = await loginError(world);
        expect(error).to.be.instanceOf(OneLoginApiError);
        expect(error.message).to.equal('OneLogin\'s API failed (HTTP 503).');
        expect(error.hint).to.contain('try again in a minute');
        expect(world.standIn.count(samlPath(version))).to.equal(1);
      });

      it('malformed JSON', async () => {
        world = await setup();
        world.standIn.replyNext(samlPath(version), { status: 200, body: '{"data": "PHNhbWxw' });
        const error = await loginError(world);
        expect(error).to.be.instanceOf(OneLoginApiError);
        expect(error.message).to.contain('answered HTTP 200 with application/json that is not JSON');
      });
    });
  }

  it('an HTML page from a proxy or portal', async () => {
    world = await createWorld();
    world.standIn.replyNext(samlPath(2), { status: 200, body: '<html><body>Sign in to the Wi-Fi</body></html>', contentType: 'text/html' });
    const error = await loginError(world);
    expect(error.message).to.contain('with text/html that is not JSON');
    expect(error.hint).to.contain('awsl_onelogin_api_url');
  });

  it('a JSON reply of no known shape', async () => {
    world = await createWorld();
    world.standIn.replyNext(samlPath(2), { status: 200, body: '{"message":"Success"}' });
    const error = await loginError(world);
    expect(error).to.be.instanceOf(OneLoginApiError);
    expect(error.message).to.contain('awsl does not understand');
  });

  it('429 on the token request', async () => {
    world = await createWorld();
    world.standIn.replyNext(TOKEN_PATH, { status: 429, body: '{}', headers: { 'X-RateLimit-Reset': '30' } });
    const error = await loginError(world, []);
    expect(error).to.be.instanceOf(RateLimitedError);
    expect(error.hint).to.match(/^Try again in 30 s/);
    expect(world.standIn.count(TOKEN_PATH)).to.equal(1);
  });

  it('500 on the token request mentions a deleted credential owner', async () => {
    world = await createWorld();
    world.standIn.replyNext(TOKEN_PATH, { status: 500, body: '{"status":{"error":true,"code":500,"type":"Internal Server Error","message":"Internal Server Error"}}' });
    const error = await loginError(world, []);
    expect(error.message).to.equal('OneLogin\'s API failed (HTTP 500: Internal Server Error).');
    expect(error.hint).to.contain('created the API credential may have been deleted');
  });

  it('nothing listening: a network error naming the host', async () => {
    const port = await freePort();
    world = await createWorld({ profile: { awsl_onelogin_api_url: `http://127.0.0.1:${port}` } });
    const error = await loginError(world, []);
    expect(error).to.be.instanceOf(NetworkError);
    expect(error.message).to.contain(`127.0.0.1:${port}`);
  });
});
