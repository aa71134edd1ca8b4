import { expect } from 'chai';
import {
  classifyFailure, envelopeError, parseJson, readAccessToken, readFailure, readSamlReply, type FailureKind,
} from '../../../src/providers/onelogin/replies.js';

// Bodies as OneLogin's docs and its SDK test fixtures show them.
const V1_MFA = {
  status: { type: 'success', message: 'MFA is required for this user', code: 200, error: false },
  data: [{
    state_token: '5xxx604x8xx9x694xx860173xxx3x78x3x870x56',
    devices: [{ device_id: 666666, device_type: 'Google Authenticator' }],
    callback_url: 'https://api.us.onelogin.com/api/1/saml_assertion/verify_factor',
    user: { lastname: 'Zhang', username: 'hzhang123', email: 'hazel.zhang@onelogin.com', firstname: 'Hazel', id: 88888888 },
  }],
};
const V2_MFA = {
  message: 'MFA is required for this user',
  devices: [
    { device_type: 'OneLogin Protect', device_id: 8022082 }, { device_type: 'OneLogin SMS', device_id: 8022200 },
    { device_type: 'Google Authenticator', device_id: 8022235 }, { device_type: 'Yubico YubiKey', device_id: 8022575 },
  ],
  callback_url: 'https://api.us.onelogin.com/api/2/saml_assertion/verify_factor',
  state_token: 'ec9a65807794d46eb95a002aaefc9fe9ca86fe85',
  user: { username: 'testlogin@example.com', id: 115269114 },
};

describe('OneLogin reply parsing', () => {
  describe('saml_assertion / verify_factor', () => {
    it('v1 and v2 success carry the assertion in data', () => {
      expect(readSamlReply({ status: { type: 'success', message: 'Success', error: false, code: 200 }, data: 'PHNhbWxw' }))
        .to.deep.equal({ kind: 'assertion', samlResponse: 'PHNhbWxw' });
      expect(readSamlReply({ data: 'PHNhbWxw', message: 'Success' })).to.deep.equal({ kind: 'assertion', samlResponse: 'PHNhbWxw' });
    });

    it('v1 MFA: data[0] with state token and devices', () => {
      expect(readSamlReply(V1_MFA)).to.deep.equal({
        kind: 'mfa', stateToken: '5xxx604x8xx9x694xx860173xxx3x78x3x870x56', devices: [{ id: '666666', type: 'Google Authenticator' }],
      });
    });

    it('v2 MFA: flat, devices of every type, ids as strings', () => {
      const reply = readSamlReply(V2_MFA);
      expect(reply).to.have.property('kind', 'mfa');
      expect(reply).to.have.property('stateToken', 'ec9a65807794d46eb95a002aaefc9fe9ca86fe85');
      expect(reply && 'devices' in reply ? reply.devices.map((device) => `${device.id} ${device.type}`) : []).to.deep.equal([
        '8022082 OneLogin Protect', '8022200 OneLogin SMS', '8022235 Google Authenticator', '8022575 Yubico YubiKey',
      ]);
    });

    it('skips device entries without an id or a type', () => {
      const reply = readSamlReply({ ...V2_MFA, devices: [{ device_id: '7', device_type: 'Duo Duo Security' }, { device_id: 8 }, { device_type: 'x' }, 'junk', null] });
      expect(reply && 'devices' in reply ? reply.devices : undefined).to.deep.equal([{ id: '7', type: 'Duo Duo Security' }]);
    });

    it('pending: v1 by status.type, v2 by the message', () => {
      expect(readSamlReply({ status: { type: 'pending', message: 'SMS token sent to your mobile device. Authentication pending.', error: false, code: 200 } }))
        .to.deep.equal({ kind: 'pending', message: 'SMS token sent to your mobile device. Authentication pending.' });
      expect(readSamlReply({ message: 'Authentication pending on OL Protect' })).to.deep.equal({ kind: 'pending', message: 'Authentication pending on OL Protect' });
    });

    it('anything else is not a reply awsl understands', () => {
      for (const body of [undefined, null, 'text', [], {}, { message: 'Success' }, { data: '' }, { data: [] }, { status: { type: 'success' }, data: [{}] }]) {
        expect(readSamlReply(body), JSON.stringify(body)).to.equal(undefined);
      }
    });
  });

  describe('errors', () => {
    it('v1 envelope, message a string or an object with a description, else the type', () => {
      expect(readFailure(401, { status: { error: true, code: 401, type: 'Unauthorized', message: 'Authentication Failure' } }))
        .to.deep.equal({ status: 401, message: 'Authentication Failure' });
      expect(readFailure(400, { status: { error: true, code: 400, type: 'bad request', message: { description: 'app_id is required', attribute: 'app_id' } } }))
        .to.deep.equal({ status: 400, message: 'app_id is required' });
      expect(readFailure(400, { status: { error: true, code: 400, type: 'bad request' } })).to.deep.equal({ status: 400, message: 'bad request' });
    });

    it('v2 {message, statusCode, name} and the validation shape', () => {
      expect(readFailure(401, { message: 'User is locked. Access is unauthorized', statusCode: 401, name: 'Unauthorized' }))
        .to.deep.equal({ status: 401, message: 'User is locked. Access is unauthorized' });
      expect(readFailure(401, { statusCode: 401, name: 'Unauthorized' })).to.deep.equal({ status: 401, message: 'Unauthorized' });
      expect(readFailure(422, { code: 422, message: 'Validation Failed', errors: [{ field: 'enabled', message: ['Required field is missing'] }] }))
        .to.deep.equal({ status: 422, message: 'Validation Failed (enabled: Required field is missing)' });
    });

    it('a body that is not an object gives an empty message', () => {
      expect(readFailure(502, undefined)).to.deep.equal({ status: 502, message: '' });
    });

    it('v1 can report an error with HTTP 200', () => {
      expect(envelopeError({ status: { error: true, code: 401, type: 'Unauthorized', message: 'Failed authentication with this factor' } }))
        .to.deep.equal({ status: 401, message: 'Failed authentication with this factor' });
      expect(envelopeError({ status: { error: false, code: 200, type: 'success', message: 'Success' }, data: 'x' })).to.equal(undefined);
      expect(envelopeError({ data: 'x', message: 'Success' })).to.equal(undefined);
    });

    const cases: [number, string, FailureKind][] = [
      [429, 'Rate limit exceeded', 'rate-limited'],
      [500, '', 'server'],
      [503, 'Authentication Failed', 'server'],
      [401, 'State token is invalid or expired', 'state-token-expired'],
      [401, 'Failed authentication with this factor', 'factor-rejected'],
      [400, 'Invalid subdomain', 'invalid-subdomain'],
      [404, 'App could not be found', 'app-not-found'],
      [401, 'Insufficient Permission', 'insufficient-permission'],
      [401, 'You are not allowed to access Amazon Web Services (AWS) Multi Account from your current IP address', 'ip-not-allowed'],
      [401, 'User is locked. Access is unauthorized', 'locked'],
      [401, 'Authentication Failed: Invalid user credentials', 'wrong-password'],
      [401, 'Authentication Failed', 'wrong-password'],
      [400, 'password is empty', 'empty-credentials'],
      [401, 'username is empty', 'empty-credentials'],
      [401, 'Authentication Failure', 'bad-token'],
      [401, 'Unauthorized', 'bad-token'],
      [400, 'bad request', 'other'],
      [403, 'Authentication Failure', 'other'],
    ];
    for (const [status, message, kind] of cases) {
      it(`${status} "${message}" → ${kind}`, () => {
        expect(classifyFailure({ status, message })).to.equal(kind);
      });
    }
  });

  describe('tokens', () => {
    it('v2 flat and v1 envelope', () => {
      const fields = { access_token: '123', created_at: '2015-11-11T03:36:18.714Z', expires_in: 36000, refresh_token: '456x', token_type: 'bearer', account_id: 555555 };
      expect(readAccessToken(fields)).to.deep.equal({ accessToken: '123', expiresInSeconds: 36000 });
      expect(readAccessToken({ status: { error: false, code: 200, type: 'success', message: 'Success' }, data: [fields] }))
        .to.deep.equal({ accessToken: '123', expiresInSeconds: 36000 });
    });

    it('no expires_in means not cacheable; no access_token means no token', () => {
      expect(readAccessToken({ access_token: 'a' })).to.deep.equal({ accessToken: 'a', expiresInSeconds: 0 });
      expect(readAccessToken({ expires_in: 36000 })).to.equal(undefined);
      expect(readAccessToken({ data: [] })).to.equal(undefined);
    });
  });

  it('parseJson returns undefined for text that is not JSON', () => {
    expect(parseJson('{"a":1}')).to.deep.equal({ a: 1 });
    expect(parseJson('<html>')).to.equal(undefined);
    expect(parseJson('')).to.equal(undefined);
  });
});
