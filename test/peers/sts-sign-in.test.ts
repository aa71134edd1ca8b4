/**
 * The STS stand-in's handling of what the IAM guide and the STS API reference added since the
 * first stand-in: every AWS sign-in SAML endpoint as Recipient and Destination, encrypted
 * assertions decrypted with the SAML provider's private key (AssertionEncryptionMode Allowed or
 * Required), session policies, and SourceIdentity. The encrypted assertions are xmlsec1's.
 */
import { AssumeRoleWithSAMLCommand, STSClient, type AssumeRoleWithSAMLCommandInput } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { AWS_ATTRIBUTE, buildSamlResponse, throwawayKeyPair, type SamlResponseSpec } from './saml-fixtures.js';
import { samlProviderUuid, startStsStandIn, type StsStandIn } from './sts/index.js';
import { refusalOf as rejected } from './sts/refusal.js';

const ISSUER = 'https://idp.example.org/idp/shibboleth';
const PROVIDER = 'arn:aws:iam::444444444444:saml-provider/shibboleth';
const ROLE = 'arn:aws:iam::444444444444:role/Admin';
const ENCRYPTING = 'arn:aws:iam::444444444444:saml-provider/encrypting';
const ENCRYPTING_ROLE = 'arn:aws:iam::444444444444:role/Secret';
const REQUIRING = 'arn:aws:iam::444444444444:saml-provider/requiring';
const REQUIRING_ROLE = 'arn:aws:iam::444444444444:role/VerySecret';
const GOV_PROVIDER = 'arn:aws-us-gov:iam::444444444444:saml-provider/shibboleth';
const GOV_ROLE = 'arn:aws-us-gov:iam::444444444444:role/Admin';
const CN_PROVIDER = 'arn:aws-cn:iam::444444444444:saml-provider/shibboleth';
const CN_ROLE = 'arn:aws-cn:iam::444444444444:role/Admin';

describe('STS stand-in: sign-in endpoints, encrypted assertions, session policies', function () {
  const idp = throwawayKeyPair();
  const awsKey = throwawayKeyPair('aws-saml-provider');
  let sts: StsStandIn;
  let client: STSClient;

  const saml = (spec: Partial<SamlResponseSpec> = {}): string => buildSamlResponse({
    issuer: ISSUER, keyPair: idp, nameId: 'duo-user', roleSessionName: 'duo-user@example.org',
    roles: [ROLE, ENCRYPTING_ROLE, REQUIRING_ROLE].map((role) => `${role},${role.replace(/role\/.*/, `saml-provider/${{ Admin: 'shibboleth', Secret: 'encrypting', VerySecret: 'requiring' }[role.slice(role.lastIndexOf('/') + 1)]}`)}`),
    ...spec,
  }).base64;

  const assume = (input: Partial<AssumeRoleWithSAMLCommandInput> = {}) =>
    client.send(new AssumeRoleWithSAMLCommand({ RoleArn: ROLE, PrincipalArn: PROVIDER, SAMLAssertion: saml(), ...input }));

  before(async function () {
    sts = await startStsStandIn({
      trustedProviders: { [PROVIDER]: idp.cert, [ENCRYPTING]: idp.cert, [REQUIRING]: idp.cert, [GOV_PROVIDER]: idp.cert, [CN_PROVIDER]: idp.cert },
      assertionEncryption: { [ENCRYPTING]: { privateKeyPem: awsKey.key, mode: 'Allowed' }, [REQUIRING]: { privateKeyPem: awsKey.key, mode: 'Required' } },
    });
    client = new STSClient({ region: 'us-east-1', endpoint: sts.url, maxAttempts: 1 });
  });

  after(async function () {
    client.destroy();
    await sts?.stop();
  });

  describe('Recipient and Destination', function () {
    const unique = `https://eu-west-1.signin.aws.amazon.com/saml/acs/${samlProviderUuid(PROVIDER)}`;
    for (const url of ['https://signin.aws.amazon.com/saml', 'https://eu-west-1.signin.aws.amazon.com/saml', 'https://signin.aws.amazon.com/static/saml',
      'https://ap-southeast-2.signin.aws.amazon.com/static/saml', unique]) {
      it(`accepts ${url}`, async function () {
        const out = await assume({ SAMLAssertion: saml({ destination: url }) });
        expect(out.Audience).to.equal(url);
      });
    }

    it('accepts the aws-us-gov and aws-cn forms for roles of those partitions only', async function () {
      const gov = 'https://us-gov-west-1.signin.amazonaws-us-gov.com/saml';
      const cn = 'https://cn-north-1.signin.amazonaws.cn/static/saml';
      expect((await assume({ RoleArn: GOV_ROLE, PrincipalArn: GOV_PROVIDER, SAMLAssertion: saml({ roles: [`${GOV_ROLE},${GOV_PROVIDER}`], destination: gov }) })).Audience).to.equal(gov);
      expect((await assume({ RoleArn: CN_ROLE, PrincipalArn: CN_PROVIDER, SAMLAssertion: saml({ roles: [`${CN_ROLE},${CN_PROVIDER}`], destination: cn }) })).Audience).to.equal(cn);
      expect((await rejected(assume({ SAMLAssertion: saml({ destination: gov }) }))).name).to.equal('InvalidIdentityTokenException');
    });

    for (const url of [
      'https://signin.aws.amazon.com/saml/', 'http://signin.aws.amazon.com/saml', 'https://signin.aws.amazon.com.evil.example/saml',
      'https://evil.example/signin.aws.amazon.com/saml', 'https://signin.aws.amazon.com/saml?x=1', 'https://cn-north-1.signin.aws.amazon.com/saml',
      'https://signin.aws.amazon.com/saml/acs/' + samlProviderUuid(PROVIDER), `https://eu-west-1.signin.aws.amazon.com/saml/acs/${samlProviderUuid(ENCRYPTING)}`,
    ]) {
      it(`refuses ${url}`, async function () {
        const err = await rejected(assume({ SAMLAssertion: saml({ destination: url }) }));
        expect(err.name).to.equal('InvalidIdentityTokenException');
        expect(err.message).to.include('is not a sign-in URL of partition aws');
      });
    }
  });

  describe('encrypted assertions', function () {
    const encrypted = (spec: Partial<SamlResponseSpec> = {}) => saml({ encryptFor: awsKey.cert, ...spec });

    it('decrypts an EncryptedAssertion with the provider\'s private key and reads the signed assertion inside', async function () {
      const out = await assume({ RoleArn: ENCRYPTING_ROLE, PrincipalArn: ENCRYPTING, SAMLAssertion: encrypted() });
      expect(out.AssumedRoleUser?.Arn).to.equal('arn:aws:sts::444444444444:assumed-role/Secret/duo-user@example.org');
    });

    it('also takes a Response signed around the EncryptedAssertion', async function () {
      const out = await assume({ RoleArn: ENCRYPTING_ROLE, PrincipalArn: ENCRYPTING, SAMLAssertion: encrypted({ sign: 'response' }) });
      expect(out.Subject).to.equal('duo-user');
    });

    it('refuses an encrypted assertion for a provider without a private key, and one encrypted to another key', async function () {
      expect((await rejected(assume({ SAMLAssertion: encrypted() }))).message).to.equal('Encrypted assertions are not accepted for this provider');
      const other = saml({ encryptFor: throwawayKeyPair('someone-else').cert });
      const err = await rejected(assume({ RoleArn: ENCRYPTING_ROLE, PrincipalArn: ENCRYPTING, SAMLAssertion: other }));
      expect(err.name).to.equal('InvalidIdentityTokenException');
      expect(err.message).to.equal('Unable to decrypt the SAML assertion with the private key of the SAML provider');
    });

    it('checks the signature inside the encryption: an unsigned assertion in an unsigned Response is refused', async function () {
      const forged = saml({ encryptFor: awsKey.cert, sign: 'none' });
      const err = await rejected(assume({ RoleArn: ENCRYPTING_ROLE, PrincipalArn: ENCRYPTING, SAMLAssertion: forged }));
      expect(err.message).to.include('neither the Response nor the Assertion is signed');
    });

    it('with encryption Required: only encrypted assertions, addressed to the provider\'s own /saml/acs/<IdP-ID>', async function () {
      const own = `https://us-east-2.signin.aws.amazon.com/saml/acs/${samlProviderUuid(REQUIRING)}`;
      const input = { RoleArn: REQUIRING_ROLE, PrincipalArn: REQUIRING };
      expect((await assume({ ...input, SAMLAssertion: encrypted({ destination: own }) })).Audience).to.equal(own);
      expect((await rejected(assume({ ...input, SAMLAssertion: saml({ destination: own }) }))).message).to.equal('The SAML provider requires encrypted assertions');
      const global = await rejected(assume({ ...input, SAMLAssertion: encrypted() }));
      expect(global.message).to.include(`is not a sign-in URL of partition aws (https://<region>.signin.aws.amazon.com/saml/acs/${samlProviderUuid(REQUIRING)})`);
    });
  });

  describe('session policies and SourceIdentity', function () {
    it('records Policy and PolicyArns with the credentials it issues', async function () {
      const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
      const policyArns = ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::444444444444:policy/team/Narrow'];
      const out = await assume({ Policy: policy, PolicyArns: policyArns.map((arn) => ({ arn })) });
      expect(sts.issued.get(out.Credentials?.AccessKeyId ?? '')).to.include({ policy }).and.to.have.deep.property('policyArns', policyArns);
    });

    it('refuses a policy over 2,048 characters, one that is not JSON, more than 10 ARNs and a malformed ARN', async function () {
      const long = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'x'.repeat(2048) }] });
      expect((await rejected(assume({ Policy: long }))).name).to.equal('ValidationError');
      expect((await rejected(assume({ Policy: '{"Version":' }))).name).to.equal('MalformedPolicyDocumentException');
      const eleven = Array.from({ length: 11 }, (_, index) => ({ arn: `arn:aws:iam::444444444444:policy/P${index}` }));
      expect((await rejected(assume({ PolicyArns: eleven }))).name).to.equal('ValidationError');
      expect((await rejected(assume({ PolicyArns: [{ arn: 'arn:aws:iam::444444444444:role/NotAPolicy' }] }))).name).to.equal('ValidationError');
    });

    it('returns the assertion\'s SourceIdentity and refuses one STS would not take', async function () {
      const out = await assume({ SAMLAssertion: saml({ attributes: { [AWS_ATTRIBUTE.sourceIdentity]: ['dora.m'] } }) });
      expect(out.SourceIdentity).to.equal('dora.m');
      expect(sts.issued.get(out.Credentials?.AccessKeyId ?? '')?.sourceIdentity).to.equal('dora.m');
      const err = await rejected(assume({ SAMLAssertion: saml({ attributes: { [AWS_ATTRIBUTE.sourceIdentity]: ['has space'] } }) }));
      expect(err.message).to.equal('Invalid SourceIdentity in the SAML assertion: has space');
    });
  });
});
