import { expect } from 'chai';
import { AwslError, InvalidInputError } from '../src/errors.js';

/** What the user sees for the error fn throws: message and hint. */
function shown(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidInputError);
    return (error as AwslError).describe();
  }
  throw new Error('expected an error');
}
import { ALL_SETTINGS, readProfileSettings } from '../src/providers/registry.js';
import { normaliseDuration, normaliseRoleArn, normaliseServiceUrl, parseAccountNames } from '../src/settings.js';

const setting = (flag: string) => ALL_SETTINGS.find((s) => s.flag === flag)!;

describe('settings', () => {
  it('accepts https endpoints and http only on loopback', () => {
    expect(normaliseServiceUrl(' https://idp.example.edu/idp/profile/SAML2/SOAP/ECP ', 'URL')).to.equal('https://idp.example.edu/idp/profile/SAML2/SOAP/ECP');
    expect(normaliseServiceUrl('http://127.0.0.1:8080/ecp', 'URL')).to.equal('http://127.0.0.1:8080/ecp');
    expect(normaliseServiceUrl('http://[::1]:8080/ecp', 'URL')).to.equal('http://[::1]:8080/ecp');
    expect(() => normaliseServiceUrl('http://idp.example.edu/ecp', 'URL')).to.throw(InvalidInputError, 'must use https');
    expect(() => normaliseServiceUrl('idp.example.edu', 'URL')).to.throw(InvalidInputError, 'not a URL');
  });

  it('accepts IAM role ARNs of every partition only', () => {
    for (const arn of ['arn:aws:iam::123456789012:role/Admin', 'arn:aws-cn:iam::123456789012:role/path/R', 'arn:aws-us-gov:iam::123456789012:role/R']) {
      expect(normaliseRoleArn(arn)).to.equal(arn);
    }
    for (const bad of ['arn:aws:iam::123:role/R', 'arn:aws:iam::123456789012:user/R', 'arn:aws:sts::123456789012:role/R', 'Admin']) {
      expect(() => normaliseRoleArn(bad)).to.throw(InvalidInputError, 'not an IAM role ARN');
    }
  });

  it('accepts durations from 900 to 43200 seconds', () => {
    expect(normaliseDuration('900')).to.equal('900');
    expect(normaliseDuration('43200')).to.equal('43200');
    for (const bad of ['899', '43201', '1h', '-1', '']) expect(shown(() => normaliseDuration(bad))).to.contain('from 900 (15 minutes) to 43200');
  });

  it('accepts the Duo factors and switches Duo off with none', () => {
    const duo = setting('duo-factor');
    for (const factor of ['auto', 'push', 'passcode', 'sms', 'phone']) expect(duo.normalise(factor)).to.equal(factor);
    expect(duo.normalise('off')).to.equal('none');
    expect(shown(() => duo.normalise('yubikey'))).to.contain('auto|push|passcode|sms|phone');
  });

  it('reduces a OneLogin subdomain typed as a domain', () => {
    expect(setting('onelogin-subdomain').normalise('https://Acme.onelogin.com/')).to.equal('acme');
  });

  it('reads account names', () => {
    expect([...parseAccountNames('111111111111=Production, 222222222222 = Sandbox')]).to.deep.equal([['111111111111', 'Production'], ['222222222222', 'Sandbox']]);
    expect(() => setting('account-names').normalise('prod=111')).to.throw(InvalidInputError);
  });

  it('types a profile section and names the key of a hand-edited bad value', () => {
    const settings = readProfileSettings('prod', { awsl_provider: 'ecp', awsl_ecp_endpoint_url: 'https://idp/ecp', awsl_enable_keyring: 'true', awsl_duration: '7200', region: 'eu-west-1' })!;
    expect(settings).to.include({ provider: 'ecp', enableKeyring: true, duration: 7200, region: 'eu-west-1', verifyTls: true, duoFactorHeader: 'X-Shibboleth-Duo-Factor' });
    expect(readProfileSettings('plain', { region: 'us-east-1' })).to.equal(undefined);
    expect(() => readProfileSettings('prod', { awsl_provider: 'ecp', awsl_duration: '5' })).to.throw(InvalidInputError, 'Profile prod: awsl_duration');
  });
});
