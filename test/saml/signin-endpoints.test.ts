import { expect } from 'chai';
import { signInEndpointPartition, signInSamlUrl } from '../../src/saml/signin-endpoints.js';

describe('saml/signin-endpoints', () => {
  it('names the global sign-in SAML endpoint of each partition', () => {
    expect(signInSamlUrl('aws')).to.equal('https://signin.aws.amazon.com/saml');
    expect(signInSamlUrl('aws-cn')).to.equal('https://signin.amazonaws.cn/saml');
    expect(signInSamlUrl('aws-us-gov')).to.equal('https://signin.amazonaws-us-gov.com/saml');
  });

  it('recognises every form the IAM guide lists, in each partition', () => {
    const forms: [string, string][] = [
      ['https://signin.aws.amazon.com/saml', 'aws'],
      ['https://eu-west-1.signin.aws.amazon.com/saml', 'aws'],
      ['https://signin.aws.amazon.com/static/saml', 'aws'],
      ['https://ap-southeast-2.signin.aws.amazon.com/static/saml', 'aws'],
      ['https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP0123456789abcdef', 'aws'],
      ['https://signin.amazonaws.cn/saml', 'aws-cn'],
      ['https://cn-northwest-1.signin.amazonaws.cn/saml/acs/8a6f1d2e-3b4c-4d5e-a6f7-0123456789ab', 'aws-cn'],
      ['https://signin.amazonaws-us-gov.com/static/saml', 'aws-us-gov'],
      ['https://us-gov-west-1.signin.amazonaws-us-gov.com/saml', 'aws-us-gov'],
    ];
    for (const [url, partition] of forms) expect(signInEndpointPartition(url), url).to.equal(partition);
  });

  it('recognises nothing else', () => {
    for (const url of [
      'http://signin.aws.amazon.com/saml', 'https://signin.aws.amazon.com/saml/', 'https://signin.aws.amazon.com/saml?x=1', 'https://signin.aws.amazon.com/saml#x',
      'https://signin.aws.amazon.com.evil.example/saml', 'https://evil.example/https://signin.aws.amazon.com/saml', 'https://a.b.signin.aws.amazon.com/saml',
      'https://signin.aws.amazon.com/saml/acs/ID', 'https://eu-west-1.signin.aws.amazon.com/saml/acs/', 'https://eu-west-1.signin.aws.amazon.com/saml/acs/a/b',
      'https://cn-north-1.signin.aws.amazon.com/saml', 'https://eu-west-1.signin.amazonaws.cn/saml', 'https://us-gov-west-1.signin.aws.amazon.com/saml',
      'https://evil.signin.aws.amazon.com/saml', 'https://SIGNIN.aws.amazon.com/saml', 'https://signin.aws.amazon.com/static/saml-metadata.xml',
      'https://signin.aws.amazon.com:443/saml', 'https://user@signin.aws.amazon.com/saml', 'https://signin.aws.amazon.com/SAML', ' https://signin.aws.amazon.com/saml',
    ]) {
      expect(signInEndpointPartition(url), url).to.equal(undefined);
    }
  });
});
