import { expect } from 'chai';
import { isAwsSamlEndpoint, isAwsSignInHost, samlResponseOfForm } from '../../../src/providers/browser/capture.js';

describe('browser provider: which requests are AWS sign-in', function () {
  it('knows every ACS form AWS documents, in each partition', function () {
    for (const url of [
      'https://signin.aws.amazon.com/saml', 'https://us-east-2.signin.aws.amazon.com/saml', 'https://signin.aws.amazon.com/static/saml',
      'https://eu-west-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46', 'https://signin.amazonaws.cn/saml',
      'https://cn-north-1.signin.amazonaws.cn/saml', 'https://signin.amazonaws-us-gov.com/saml', 'https://us-gov-west-1.signin.amazonaws-us-gov.com/saml',
      'https://SIGNIN.AWS.AMAZON.COM/saml/',
    ]) expect(isAwsSamlEndpoint(url), url).to.equal(true);
  });

  it('is not fooled by look-alike hosts, other paths or plain http', function () {
    for (const url of [
      'https://signin.aws.amazon.com.evil.example/saml', 'https://evilsignin.aws.amazon.com/saml', 'https://example.com/?signin.aws.amazon.com/saml',
      'https://signin.aws.amazon.com/console', 'https://signin.aws.amazon.com/saml/acs/', 'http://signin.aws.amazon.com/saml', 'not a url',
    ]) expect(isAwsSamlEndpoint(url), url).to.equal(false);
    expect(isAwsSignInHost('https://signin.aws.amazon.com/console')).to.equal(true);
    expect(isAwsSignInHost('https://signin.aws.amazon.com.evil.example/saml')).to.equal(false);
  });

  it('reads SAMLResponse from a urlencoded form, with the line breaks some IdPs put in the base64', function () {
    expect(samlResponseOfForm('RelayState=x&SAMLResponse=PHNhbWw%2BPC9zYW1sPg%3D%3D')).to.equal('PHNhbWw+PC9zYW1sPg==');
    expect(samlResponseOfForm('SAMLResponse=PHNh%0D%0AbWw%2B')).to.equal('PHNhbWw+');
    expect(samlResponseOfForm('RelayState=x')).to.equal(undefined);
    expect(samlResponseOfForm('SAMLResponse=')).to.equal(undefined);
  });
});
