/**
 * Today's AWS sign-in, end to end with the real SimpleSAMLphp: an IdP that knows the AWS SP by a
 * regional ACS URL (awsl_acs_url), an IdP that encrypts assertions for the AWS SAML provider
 * (awsl_role_arn + awsl_principal_arn; the STS stand-in decrypts with the provider's private key,
 * its AssertionEncryptionMode Required), and the SourceIdentity and session tags `awsl status`
 * shows from the assertion.
 */
import { expect } from 'chai';
import { SIMPLESAMLPHP_USERS, type SimpleSamlPhp } from '../peers/simplesamlphp/index.js';
import { throwawayKeyPair } from '../peers/saml-fixtures.js';
import { samlProviderUuid, type StsStandIn } from '../peers/sts/index.js';
import { expectSuccess, simpleSamlPhp, startWorld, type World } from '../support/world.js';
import { startSamlWorld, type SamlWorld } from './saml-world.js';

const { bob, dora } = SIMPLESAMLPHP_USERS;
const PROVIDER = dora.roles[0]!.principalArn;
const REGIONAL = 'https://eu-west-1.signin.aws.amazon.com/saml';
const UNIQUE = `https://eu-west-1.signin.aws.amazon.com/saml/acs/${samlProviderUuid(PROVIDER)}`;

interface ProfileJson {
  sourceIdentity: string | null;
  sessionTags: Record<string, string> | null;
  transitiveTagKeys: string[] | null;
}

describe('AWS sign-in endpoints and encrypted assertions, end to end', function () {
  const awsKey = throwawayKeyPair('aws-saml-provider');
  let regional: World<SimpleSamlPhp> | undefined;
  let encrypting: World<SimpleSamlPhp> | undefined;
  let regionalIdp: SimpleSamlPhp;
  let sts: StsStandIn;
  let encryptingSts: StsStandIn;

  before(async function () {
    const [regionalPeer, encryptingPeer] = await Promise.all([
      simpleSamlPhp(this, { acsUrls: [REGIONAL] }),
      simpleSamlPhp(this, { acsUrls: [UNIQUE], encryptionCertificatePem: awsKey.cert }),
    ]);
    regional = await startWorld(regionalPeer);
    encrypting = await startWorld(encryptingPeer, { sts: { assertionEncryption: { [PROVIDER]: { privateKeyPem: awsKey.key, mode: 'Required' } } } });
    regionalIdp = regionalPeer.peer;
    sts = regional.sts;
    encryptingSts = encrypting.sts;
  });

  after(async function () {
    await Promise.all([regional?.stop(), encrypting?.stop()]);
  });

  /** A HOME of `world` with profile p for `username`. */
  async function person(world: World<SimpleSamlPhp> | undefined, username: string, configure: string[]) {
    const home = world!.home();
    expectSuccess(await home.configure('p', { username, extra: configure }));
    return {
      run: (args: string[]) => home.run(args),
      login: () => home.login('p'),
      credentials: () => home.credentials('p'),
      status: async () => {
        const result = expectSuccess(await home.run(['status', '--profile', 'p', '--json']));
        return (JSON.parse(result.stdout) as { profiles: ProfileJson[] }).profiles[0]!;
      },
    };
  }

  describe('an IdP that knows AWS by a regional ACS URL', function () {
    it('refuses awsl\'s default (global) ACS with a redirect: exit 9, and the hint names --acs-url', async function () {
      const user = await person(regional, bob.username, []);
      const result = await user.login();
      expect(result.code, result.stderr).to.equal(9);
      expect(result.stderr).to.include('The IdP answered with a redirect (HTTP 303)');
      expect(result.stderr).to.include('that the IdP knows https://signin.aws.amazon.com/saml as its ACS (if it has a regional one, set it: awsl login configure --acs-url URL)');
      expect(sts.requests).to.have.length(0);
    });

    it('with awsl_acs_url set to it: the AuthnRequest asks for it, the checks expect it, STS takes the assertion', async function () {
      const user = await person(regional, bob.username, ['--acs-url', REGIONAL]);
      const result = await user.login();
      expect(result.code, result.stderr).to.equal(0);
      const issued = sts.issued.get(user.credentials()?.aws_access_key_id ?? '');
      expect(issued?.arn).to.equal('arn:aws:sts::111111111111:assumed-role/Developer/bob@example.org');
    });

    it('refuses an awsl_acs_url that is not an AWS sign-in SAML endpoint', async function () {
      const result = await regional!.home().run(['login', 'configure', '--profile', 'p', '--provider', 'ecp', '--ecp-endpoint-url', regionalIdp.url, '--acs-url', `${regionalIdp.baseUrl}/acs`, '--no-prompt']);
      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr).to.include(`"${regionalIdp.baseUrl}/acs" is not an AWS sign-in SAML endpoint.`);
    });
  });

  describe('an IdP that encrypts the assertion for AWS', function () {
    const role = dora.roles[0]!.roleArn;

    it('with the role and the SAML provider named: the Response goes to STS unread, STS decrypts it, and the expiry is STS\'s', async function () {
      const user = await person(encrypting, dora.username, ['--acs-url', UNIQUE, '--role-arn', role, '--principal-arn', PROVIDER, '--duration', '7200']);
      const result = await user.login();
      expect(result.code, result.stderr).to.equal(0);
      const credentials = user.credentials();
      const issued = encryptingSts.issued.get(credentials?.aws_access_key_id ?? '');
      expect(issued?.arn).to.equal('arn:aws:sts::111111111111:assumed-role/Auditor/dora@example.org');
      expect(Date.parse(credentials?.awsl_expiration ?? ''), 'STS\'s Expiration, to the second').to.equal(Math.floor((issued?.expiration.getTime() ?? 0) / 1000) * 1000);
      // SessionDuration (3600) sits inside the encryption: awsl asked for 7200, and STS held it to the assertion's limit.
      expect(encryptingSts.requests.map((request) => [request.params.DurationSeconds, request.errorCode])).to.deep.equal([['7200', 'ValidationError'], ['3600', undefined]]);
      expect(await user.status()).to.deep.include({ sourceIdentity: 'dora.m', sessionTags: null, transitiveTagKeys: null });
    });

    for (const [configure, missing] of [[['--role-arn', role], 'awsl_principal_arn'], [['--principal-arn', PROVIDER], 'awsl_role_arn'], [[], 'awsl_role_arn and awsl_principal_arn']] as const) {
      it(`without ${missing}: exit 4 naming it, nothing sent to STS`, async function () {
        const before = encryptingSts.requests.length;
        const user = await person(encrypting, dora.username, ['--acs-url', UNIQUE, ...configure]);
        const result = await user.login();
        expect(result.code, result.stderr).to.equal(4);
        expect(result.stderr).to.include(`The IdP encrypted the SAML assertion for AWS, so awsl cannot read the roles in it, and profile p has no ${missing}.\n`
          + 'Name the role and the IAM SAML provider, and awsl passes the assertion to AWS unread: awsl login configure --profile p --role-arn arn:aws:iam::ACCOUNT:role/NAME --principal-arn arn:aws:iam::ACCOUNT:saml-provider/NAME');
        expect(result.stderr).not.to.match(/AWS requires/i);
        expect(encryptingSts.requests).to.have.length(before);
        expect(user.credentials()).to.equal(undefined);
      });
    }
  });
});

describe('awsl status: SourceIdentity and session tags from the assertion', function () {
  let world: SamlWorld;

  before(async function () {
    world = await startSamlWorld(this);
  });

  after(async function () {
    await world?.stop();
  });

  const status = async (user: ReturnType<SamlWorld['user']>): Promise<ProfileJson> => {
    const result = await user.run(['status', '--profile', 'p', '--json']);
    expect(result.code, result.stderr).to.equal(0);
    return (JSON.parse(result.stdout) as { profiles: ProfileJson[] }).profiles[0]!;
  };

  it('shows what dora\'s assertion carries, as STS took it', async function () {
    const user = world.user('dora');
    await user.configure('p');
    await user.login('p');
    expect(await status(user)).to.deep.include({ sourceIdentity: 'dora.m', sessionTags: { Project: 'Apollo', CostCenter: 'cc-1234' }, transitiveTagKeys: ['Project'] });
    const issued = world.sts.issued.get(user.credentials('p')?.aws_access_key_id ?? '');
    expect(issued, 'unchanged on the way to STS').to.deep.include({ sourceIdentity: 'dora.m', sessionTags: { Project: 'Apollo', CostCenter: 'cc-1234' } });
    const text = await user.run(['status', '--profile', 'p']);
    expect(text.stdout).to.match(/Source identity +dora\.m\n/);
    expect(text.stdout).to.match(/Session tags +(Project=Apollo \(transitive\), CostCenter=cc-1234|CostCenter=cc-1234, Project=Apollo \(transitive\))\n/);
  });

  it('none for an assertion without them; nothing once logged out or when the credentials were replaced', async function () {
    const user = world.user('bob');
    await user.configure('p');
    await user.login('p');
    expect(await status(user)).to.deep.include({ sourceIdentity: null, sessionTags: {}, transitiveTagKeys: [] });
    expect((await user.run(['status', '--profile', 'p'])).stdout).not.to.match(/Source identity|Session tags/);
    user.setCredential('p', 'aws_access_key_id', 'ASIAREPLACEDBYHAND00');
    expect(await status(user)).to.deep.include({ sourceIdentity: null, sessionTags: null, transitiveTagKeys: null });
    expect((await user.run(['logout', '--profile', 'p'])).code).to.equal(0);
    expect(await status(user)).to.deep.include({ sourceIdentity: null, sessionTags: null, transitiveTagKeys: null });
  });
});
