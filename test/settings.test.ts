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

  it('accepts only AWS sign-in SAML endpoints as awsl_acs_url', () => {
    expect(setting('acs-url').normalise(' https://eu-west-1.signin.aws.amazon.com/saml ')).to.equal('https://eu-west-1.signin.aws.amazon.com/saml');
    expect(shown(() => setting('acs-url').normalise('https://idp.example.org/saml'))).to.match(/^"https:\/\/idp\.example\.org\/saml" is not an AWS sign-in SAML endpoint\.\nUse the one your IdP sends assertions to: /);
  });

  it('accepts SAML provider ARNs as awsl_principal_arn, Duo device ids, and policy ARN lists', () => {
    expect(setting('principal-arn').normalise('arn:aws-us-gov:iam::123456789012:saml-provider/Shib')).to.equal('arn:aws-us-gov:iam::123456789012:saml-provider/Shib');
    expect(shown(() => setting('principal-arn').normalise('arn:aws:iam::123456789012:role/Admin'))).to.include('is not the ARN of an IAM SAML provider');
    expect(setting('duo-device').normalise(' phone2 ')).to.equal('phone2');
    expect(shown(() => setting('duo-device').normalise('my phone'))).to.include('Duo device "my phone" is not accepted');
    expect(setting('policy-arns').normalise('arn:aws:iam::aws:policy/ReadOnlyAccess ,arn:aws:iam::123456789012:policy/Narrow')).to.equal('arn:aws:iam::aws:policy/ReadOnlyAccess, arn:aws:iam::123456789012:policy/Narrow');
  });

  it('types the new settings, with the Shibboleth device header by default', () => {
    const settings = readProfileSettings('enc', {
      awsl_provider: 'ecp', awsl_principal_arn: 'arn:aws:iam::123456789012:saml-provider/Shib', awsl_acs_url: 'https://signin.aws.amazon.com/static/saml',
      awsl_duo_device: 'phone1', awsl_policy_arns: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    })!;
    expect(settings).to.deep.include({
      principalArn: 'arn:aws:iam::123456789012:saml-provider/Shib', acsUrl: 'https://signin.aws.amazon.com/static/saml', duoDevice: 'phone1',
      duoDeviceHeader: 'X-Shibboleth-Duo-Device', policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], policyFile: undefined,
    });
    expect(() => readProfileSettings('enc', { awsl_provider: 'ecp', awsl_policy_arns: 'ReadOnly' })).to.throw(InvalidInputError, 'Profile enc: awsl_policy_arns');
  });
});
