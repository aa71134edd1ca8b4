/** The OneLogin stand-in holds clients to the documented contract; checked with raw requests. */
import { expect } from 'chai';
import { DEVICE, samlPath, startOneLoginStandIn, TOKEN_PATH, verifyPath, type OneLoginStandIn, type OneLoginStandInOptions } from './index.js';

const CREDENTIALS = 'client_id:client-id, client_secret:client-secret';
const ALICE = { username: 'alice', email: 'alice@example.com', password: 'pw' };
const DEVICES = [
  { id: 1, type: DEVICE.googleAuthenticator, code: '111111' },
  { id: 2, type: DEVICE.sms, code: '222222' },
  { id: 3, type: DEVICE.protect, code: '333333', push: { answer: 'approve' as const, afterPolls: 1 } },
];

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

describe('OneLogin API stand-in', () => {
  let standIn: OneLoginStandIn;
  afterEach(async () => standIn.stop());

  const start = async (options: OneLoginStandInOptions = {}) => {
    standIn = await startOneLoginStandIn({ users: [{ ...ALICE, devices: DEVICES }], ...options });
  };

  async function post(path: string, body: unknown, authorization?: string, contentType = 'application/json'): Promise<Answer> {
    const response = await fetch(`${standIn.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: await response.json() as Record<string, unknown> };
  }

  const accessToken = async () => String((await post(TOKEN_PATH, { grant_type: 'client_credentials' }, CREDENTIALS)).body.access_token);
  const login = async (version: 1 | 2, token: string, fields: Record<string, unknown> = {}) =>
    post(samlPath(version), { username_or_email: 'alice', password: 'pw', app_id: '123456', subdomain: 'acme', ...fields }, `bearer:${token}`);
  /** Starts an MFA login (v2) and returns its state token. */
  const mfaState = async (token: string) => String((await login(2, token)).body.state_token);
  const verify = async (token: string, fields: Record<string, unknown>) =>
    post(verifyPath(2), { app_id: '123456', ...fields }, `bearer:${token}`);

  describe('token', () => {
    it('takes the documented header and HTTP Basic, and hands out the same token until it expires', async () => {
      await start();
      const documented = await post(TOKEN_PATH, { grant_type: 'client_credentials' }, CREDENTIALS);
      expect(documented.status).to.equal(200);
      expect(documented.body).to.include({ token_type: 'bearer', account_id: 555555 }).and.have.keys(
        'access_token', 'created_at', 'expires_in', 'refresh_token', 'token_type', 'account_id');
      expect(documented.body.expires_in).to.be.within(35_999, 36_000);
      const basic = await post(TOKEN_PATH, { grant_type: 'client_credentials' }, `Basic ${Buffer.from('client-id:client-secret').toString('base64')}`);
      expect(basic.body.access_token).to.equal(documented.body.access_token);
    });

    it('takes the form body of the v2 docs', async () => {
      await start();
      const form = await post(TOKEN_PATH, 'grant_type=client_credentials&client_id=client-id&client_secret=client-secret', undefined, 'application/x-www-form-urlencoded');
      expect(form.status).to.equal(200);
      const wrong = await post(TOKEN_PATH, 'grant_type=client_credentials&client_id=client-id&client_secret=x', undefined, 'application/x-www-form-urlencoded');
      expect(wrong.status).to.equal(401);
    });

    it('refuses a wrong secret (401), a missing grant_type or a JSON body not sent as JSON (400), and other methods (404)', async () => {
      await start();
      expect(await post(TOKEN_PATH, { grant_type: 'client_credentials' }, 'client_id:client-id, client_secret:nope')).to.deep.include({
        status: 401, body: { status: { error: true, code: 401, type: 'Unauthorized', message: 'Authentication Failure' } },
      });
      expect((await post(TOKEN_PATH, {}, CREDENTIALS)).body).to.deep.equal({
        status: { error: true, code: 400, type: 'bad request', message: 'grant_type is incorrect/absent' },
      });
      expect((await post(TOKEN_PATH, { grant_type: 'client_credentials' }, CREDENTIALS, 'text/plain')).status).to.equal(400);
      expect((await fetch(`${standIn.url}${TOKEN_PATH}`)).status).to.equal(404);
    });
  });

  describe('bearer token', () => {
    it('accepts the header spellings clients use, refuses a missing, revoked or expired token', async () => {
      await start({ users: [ALICE] });
      const token = await accessToken();
      for (const header of [`bearer:${token}`, `bearer: ${token}`, `bearer ${token}`, `Bearer ${token}`]) {
        const answer = await post(samlPath(2), { username_or_email: 'alice', password: 'pw', app_id: '123456', subdomain: 'acme' }, header);
        expect(answer.status, header).to.equal(200);
      }
      expect((await post(samlPath(2), {}, undefined)).body).to.deep.equal({ message: 'Authentication Failure', statusCode: 401, name: 'Unauthorized' });
      standIn.revokeTokens();
      expect((await login(1, token)).body).to.deep.equal({ status: { error: true, code: 401, type: 'Unauthorized', message: 'Authentication Failure' } });
    });

    it('refuses a token past its expires_in', async () => {
      await start({ users: [ALICE], tokenLifetimeSeconds: 0.05 });
      const token = await accessToken();
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect((await login(2, token)).status).to.equal(401);
    });
  });

  describe('saml_assertion', () => {
    it('checks required fields and their types (v1 message object, v2 validation shape)', async () => {
      await start();
      const token = await accessToken();
      expect((await login(1, token, { app_id: undefined })).body).to.deep.equal({
        status: { error: true, code: 400, type: 'bad request', message: { description: 'app_id is required', attribute: 'app_id' } },
      });
      expect(await login(2, token, { password: 12345 })).to.deep.include({
        status: 422, body: { code: 422, message: 'Validation Failed', errors: [{ field: 'password', message: ['must be a string'] }] },
      });
      expect((await login(2, token, { ip_address: 7 })).status).to.equal(422);
      expect((await login(2, token, { app_id: 123456 })).status).to.equal(200);
      expect((await login(2, token, { password: '' })).body).to.include({ message: 'password is empty' });
    });

    it('answers MFA with the state token, devices, user and a callback_url on another host', async () => {
      await start();
      const token = await accessToken();
      const v2 = await login(2, token);
      expect(v2.body).to.include({ message: 'MFA is required for this user' }).and.have.keys('message', 'state_token', 'devices', 'callback_url', 'user');
      expect(v2.body.devices).to.deep.equal(DEVICES.map((device) => ({ device_id: device.id, device_type: device.type })));
      expect(new URL(String(v2.body.callback_url)).host).to.equal(standIn.callbackHost).and.not.equal(new URL(standIn.url).host);
      const v1 = await login(1, token);
      expect(v1.body.status).to.deep.equal({ type: 'success', message: 'MFA is required for this user', code: 200, error: false });
      expect((v1.body.data as Record<string, unknown>[])[0]).to.have.keys('state_token', 'devices', 'callback_url', 'user');
    });

    it('returns a signed samlp:Response with the Role values for a user without MFA', async () => {
      await start({ users: [ALICE] });
      const answer = await login(2, await accessToken());
      expect(answer.body.message).to.equal('Success');
      const xml = Buffer.from(String(answer.body.data), 'base64').toString('utf8');
      expect(xml).to.match(/^<samlp:Response /).and.contain('<ds:Signature').and.contain('https://aws.amazon.com/SAML/Attributes/Role');
    });

    it('reports the documented errors', async () => {
      await start({ allowedIps: ['203.0.113.7'] });
      const token = await accessToken();
      expect((await login(2, token, { subdomain: 'other' })).body).to.include({ statusCode: 400, message: 'Invalid subdomain' });
      expect((await login(2, token, { app_id: '1' })).body).to.include({ statusCode: 404, message: 'App could not be found' });
      expect((await login(2, token, { password: 'wrong' })).body).to.include({ statusCode: 401, message: 'Authentication Failed: Invalid user credentials' });
      expect((await login(2, token)).body.message).to.match(/not allowed to access .* from your current IP address/);
      expect((await login(2, token, { ip_address: '203.0.113.7' })).status).to.equal(200);
    });

    it('counts calls against the rate limit and answers 429 past it', async () => {
      await start({ rateLimit: { limit: 1, resetSeconds: 600 } });
      const token = await accessToken();
      const first = await login(2, token);
      expect(first.headers.get('x-ratelimit-remaining')).to.equal('0');
      const second = await login(2, token);
      expect(second.status).to.equal(429);
      expect(second.headers.get('x-ratelimit-reset')).to.equal('600');
      expect(standIn.count(samlPath(2))).to.equal(2);
    });
  });

  describe('verify_factor', () => {
    it('OTP devices need otp_token; a wrong one is "Failed authentication with this factor"', async () => {
      await start();
      const token = await accessToken();
      const state = await mfaState(token);
      expect((await verify(token, { device_id: 1, state_token: state })).status).to.equal(422);
      expect((await verify(token, { device_id: '1', state_token: state, otp_token: '000000' })).body).to.include({ message: 'Failed authentication with this factor' });
      expect((await verify(token, { device_id: '1', state_token: state, otp_token: '111111', do_not_notify: 'yes' })).status).to.equal(422);
      expect((await verify(token, { device_id: '1', state_token: state, otp_token: '111111' })).body.message).to.equal('Success');
    });

    it('SMS: sent only when do_not_notify is false or omitted; its code works only once sent', async () => {
      await start();
      const token = await accessToken();
      const state = await mfaState(token);
      expect((await verify(token, { device_id: 2, state_token: state, otp_token: '222222', do_not_notify: true })).status).to.equal(401);
      expect((await verify(token, { device_id: 2, state_token: state, do_not_notify: true })).body.message).to.match(/pending/);
      expect(standIn.notifications).to.deep.equal([]);
      expect((await verify(token, { device_id: 2, state_token: state })).body.message).to.equal('SMS token sent to your mobile device. Authentication pending.');
      expect(standIn.notifications).to.deep.equal([{ deviceId: 2, kind: 'sms' }]);
      expect((await verify(token, { device_id: 2, state_token: state, otp_token: '222222', do_not_notify: true })).body.message).to.equal('Success');
    });

    it('Protect: polls without a push stay pending; after one push, a poll sees the approval', async () => {
      await start();
      const token = await accessToken();
      const state = await mfaState(token);
      expect((await verify(token, { device_id: 3, state_token: state, do_not_notify: true })).body.message).to.equal('Authentication pending on OL Protect');
      expect((await verify(token, { device_id: 3, state_token: state, do_not_notify: true })).body.message).to.equal('Authentication pending on OL Protect');
      expect((await verify(token, { device_id: 3, state_token: state, do_not_notify: false })).body.message).to.equal('Authentication pending on OL Protect');
      expect((await verify(token, { device_id: 3, state_token: state, do_not_notify: true })).body.message).to.equal('Success');
      expect(standIn.notifications).to.deep.equal([{ deviceId: 3, kind: 'push' }]);
    });

    it('a state token dies after its lifetime', async () => {
      await start({ stateTokenLifetimeMs: 50 });
      const token = await accessToken();
      const expired = await mfaState(token);
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect((await verify(token, { device_id: 1, state_token: expired, otp_token: '111111' })).body).to.include({ statusCode: 401, message: 'State token is invalid or expired' });
    });

    it('a state token is single use and bound to its app and to the user\'s devices', async () => {
      await start();
      const token = await accessToken();
      const state = await mfaState(token);
      expect((await verify(token, { device_id: 1, state_token: state, otp_token: '111111', app_id: '999' })).status).to.equal(400);
      expect((await verify(token, { device_id: 9, state_token: state, otp_token: '111111' })).body.message).to.equal('Invalid device_id');
      expect((await verify(token, { device_id: 1, state_token: state, otp_token: '111111' })).status).to.equal(200);
      expect((await verify(token, { device_id: 1, state_token: state, otp_token: '111111' })).body.message).to.equal('State token is invalid or expired');
    });
  });
});
