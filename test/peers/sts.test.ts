import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AssumeRoleWithSAMLCommand, GetCallerIdentityCommand, STSClient, type AssumeRoleWithSAMLCommandInput, type Credentials,
} from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { requirePeer } from '../support/peers.js';
import { AWS_SIGNIN_URL, STATUS, buildSamlResponse, throwawayKeyPair, type SamlResponseSpec } from './saml-fixtures.js';
import { startStsStandIn, type StsStandIn } from './sts/index.js';
import { refusalOf as rejected } from './sts/refusal.js';

const ISSUER = 'https://idp.example.org/idp/shibboleth';
const PROVIDER = 'arn:aws:iam::444444444444:saml-provider/shibboleth';
const ROLE = 'arn:aws:iam::444444444444:role/Admin';
const PROVIDER_2 = 'arn:aws:iam::555555555555:saml-provider/shibboleth';
const ROLE_2 = 'arn:aws:iam::555555555555:role/engineering/ReadOnly';
const GOV_PROVIDER = 'arn:aws-us-gov:iam::444444444444:saml-provider/shibboleth';
const GOV_ROLE = 'arn:aws-us-gov:iam::444444444444:role/Admin';
const LONG_ROLE = 'arn:aws:iam::444444444444:role/LongSessions';

function saml(spec: Partial<SamlResponseSpec> = {}): string {
  return buildSamlResponse({
    issuer: ISSUER,
    nameId: 'duo-user',
    roles: [`${PROVIDER},${ROLE}`, `${ROLE_2},${PROVIDER_2}`, `${PROVIDER},${LONG_ROLE}`],
    roleSessionName: 'duo-user@example.org',
    sessionDuration: 28800,
    ...spec,
  }).base64;
}

describe('STS stand-in', function () {
  let clock: Date | undefined;
  let sts: StsStandIn;
  let client: STSClient;

  const assume = (input: Partial<AssumeRoleWithSAMLCommandInput> = {}) =>
    client.send(new AssumeRoleWithSAMLCommand({ RoleArn: ROLE, PrincipalArn: PROVIDER, SAMLAssertion: saml(), ...input }));

  const post = (body: Record<string, string>, headers: Record<string, string> = {}) => fetch(sts.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body).toString(),
  });

  const callerIdentity = (credentials: Partial<Credentials>) =>
    new STSClient({
      region: 'us-east-1', endpoint: sts.url, maxAttempts: 1,
      credentials: { accessKeyId: credentials.AccessKeyId ?? '', secretAccessKey: credentials.SecretAccessKey ?? '', sessionToken: credentials.SessionToken },
    }).send(new GetCallerIdentityCommand({}));

  beforeEach(async function () {
    clock = undefined;
    sts = await startStsStandIn({
      trustedProviders: { [PROVIDER]: throwawayKeyPair().cert, [PROVIDER_2]: throwawayKeyPair().cert, [GOV_PROVIDER]: throwawayKeyPair().cert },
      maxSessionDuration: { [LONG_ROLE]: 43200 },
      now: () => clock ?? new Date(),
    });
    client = new STSClient({ region: 'us-east-1', endpoint: sts.url, maxAttempts: 1 });
  });

  afterEach(async function () {
    client.destroy();
    await sts.stop();
  });

  describe('AssumeRoleWithSAML success', function () {
    it('issues credentials the SDK parses, with every documented field', async function () {
      const started = Date.now();
      const out = await assume();
      expect(out.Credentials?.AccessKeyId).to.match(/^ASIA[A-Z2-7]{16}$/);
      expect(out.Credentials?.SecretAccessKey).to.have.length(40);
      expect(out.Credentials?.SessionToken).to.have.length.above(100);
      const expires = out.Credentials?.Expiration?.getTime() ?? 0;
      expect(expires - started).to.be.within(3600_000 - 2000, 3600_000 + 2000);
      expect(out.AssumedRoleUser?.Arn).to.equal('arn:aws:sts::444444444444:assumed-role/Admin/duo-user@example.org');
      expect(out.AssumedRoleUser?.AssumedRoleId).to.match(/^AROA[A-Z2-7]{17}:duo-user@example\.org$/);
      expect(out.Subject).to.equal('duo-user');
      expect(out.SubjectType).to.equal('transient');
      expect(out.Issuer).to.equal(ISSUER);
      expect(out.Audience).to.equal('https://signin.aws.amazon.com/saml');
      expect(out.NameQualifier).to.match(/^[A-Za-z0-9+/]{27}=$/);
      expect(out.SourceIdentity).to.equal(undefined);
      expect(out.$metadata.httpStatusCode).to.equal(200);
      expect(sts.issued.get(out.Credentials?.AccessKeyId ?? '')?.arn).to.equal(out.AssumedRoleUser?.Arn);
    });

    it('records one unsigned request with the assertion shortened', async function () {
      await assume({ DurationSeconds: 900 });
      expect(sts.requests).to.have.length(1);
      const [request] = sts.requests;
      expect(request?.action).to.equal('AssumeRoleWithSAML');
      expect(request?.signed).to.equal(false);
      expect(request?.status).to.equal(200);
      expect(request?.params).to.include({ Version: '2011-06-15', RoleArn: ROLE, PrincipalArn: PROVIDER, DurationSeconds: '900' });
      expect(request?.params.SAMLAssertion).to.match(/^<\d+ base64 chars>$/);
    });

    it('answers the documented XML shape in the STS namespace', async function () {
      const res = await post({ Action: 'AssumeRoleWithSAML', Version: '2011-06-15', RoleArn: ROLE, PrincipalArn: PROVIDER, SAMLAssertion: saml() });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/xml');
      const xml = await res.text();
      expect(xml).to.match(/^<AssumeRoleWithSAMLResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<AssumeRoleWithSAMLResult>/);
      expect(xml).to.match(/<Expiration>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/Expiration>/);
      expect(xml).to.match(/<ResponseMetadata>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>/);
      expect(xml).not.to.include('SourceIdentity');
    });

    it('accepts the role given after the provider in the Role value and a role path', async function () {
      const out = await assume({ RoleArn: ROLE_2, PrincipalArn: PROVIDER_2 });
      expect(out.AssumedRoleUser?.Arn).to.equal('arn:aws:sts::555555555555:assumed-role/ReadOnly/duo-user@example.org');
    });

    it('accepts a signed Response, both signed, and SimpleSAMLphp prefixes', async function () {
      for (const spec of [{ sign: 'response' }, { sign: 'both' }, { prefixes: { protocol: 'samlp', assertion: 'saml' } }] as const) {
        const out = await assume({ SAMLAssertion: saml(spec) });
        expect(out.Credentials?.AccessKeyId, JSON.stringify(spec)).to.match(/^ASIA/);
      }
    });

    it('honours DurationSeconds up to the role maximum and reports SubjectType formats as AWS does', async function () {
      const started = Date.now();
      const out = await assume({ RoleArn: LONG_ROLE, DurationSeconds: 28800, SAMLAssertion: saml({ nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' }) });
      expect((out.Credentials?.Expiration?.getTime() ?? 0) - started).to.be.within(28800_000 - 2000, 28800_000 + 2000);
      expect(out.SubjectType).to.equal('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    });

    it('checks the Recipient against the partition of the role', async function () {
      const gov = { roles: [`${GOV_PROVIDER},${GOV_ROLE}`], destination: AWS_SIGNIN_URL['aws-us-gov'] };
      const out = await assume({ RoleArn: GOV_ROLE, PrincipalArn: GOV_PROVIDER, SAMLAssertion: saml(gov) });
      expect(out.AssumedRoleUser?.Arn).to.equal('arn:aws-us-gov:sts::444444444444:assumed-role/Admin/duo-user@example.org');
      const err = await rejected(assume({ RoleArn: GOV_ROLE, PrincipalArn: GOV_PROVIDER, SAMLAssertion: saml({ roles: gov.roles }) }));
      expect(err.name).to.equal('InvalidIdentityTokenException');
    });

    it('accepts an assertion that expired within the clock skew', async function () {
      const issueInstant = new Date(Date.now() - 330_000);
      const out = await assume({ SAMLAssertion: saml({ issueInstant }) });
      expect(out.Credentials).to.not.equal(undefined);
    });
  });

  describe('AssumeRoleWithSAML errors, as the SDK reports them', function () {
    it('unknown provider → InvalidIdentityTokenException', async function () {
      const err = await rejected(assume({ PrincipalArn: 'arn:aws:iam::444444444444:saml-provider/nobody' }));
      expect(err.name).to.equal('InvalidIdentityTokenException');
      expect(err.Code).to.equal('InvalidIdentityToken');
      expect(err.message).to.equal("Specified provider doesn't exist");
      expect(err.$metadata.httpStatusCode).to.equal(400);
      expect(sts.requests[0]?.errorCode).to.equal('InvalidIdentityToken');
    });

    it('assertion signed by another key → InvalidIdentityTokenException', async function () {
      const err = await rejected(assume({ SAMLAssertion: saml({ keyPair: throwawayKeyPair('intruder') }) }));
      expect(err.name).to.equal('InvalidIdentityTokenException');
      expect(err.message).to.equal('Response signature invalid');
    });

    it('tampered assertion (role swapped after signing) → InvalidIdentityTokenException', async function () {
      const xml = Buffer.from(saml({ roles: [`${PROVIDER},arn:aws:iam::444444444444:role/Reader`] }), 'base64').toString('utf8');
      const tampered = Buffer.from(xml.replace('role/Reader', 'role/Admin')).toString('base64');
      const err = await rejected(assume({ SAMLAssertion: tampered }));
      expect(err.name).to.equal('InvalidIdentityTokenException');
      expect(err.message).to.equal('Response signature invalid');
    });

    it('tampered Response when only the Response is signed → InvalidIdentityTokenException', async function () {
      const xml = Buffer.from(saml({ sign: 'response' }), 'base64').toString('utf8');
      const tampered = Buffer.from(xml.replace('duo-user@example.org', 'root@example.org')).toString('base64');
      const err = await rejected(assume({ SAMLAssertion: tampered }));
      expect(err.name).to.equal('InvalidIdentityTokenException');
    });

    it('unsigned assertion → InvalidIdentityTokenException', async function () {
      const err = await rejected(assume({ SAMLAssertion: saml({ sign: 'none' }) }));
      expect(err.name).to.equal('InvalidIdentityTokenException');
      expect(err.message).to.match(/signature invalid/);
    });

    it('not base64, not XML, not a Response, not Success → InvalidIdentityTokenException', async function () {
      const notResponse = Buffer.from('<soap11:Envelope xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/"/>').toString('base64');
      const failed = saml({ status: { code: STATUS.responder } });
      for (const SAMLAssertion of ['%%%not base64%%%', Buffer.from('<html>oops').toString('base64'), notResponse, failed]) {
        const err = await rejected(assume({ SAMLAssertion }));
        expect(err.name, SAMLAssertion.slice(0, 20)).to.equal('InvalidIdentityTokenException');
      }
    });

    it('wrong audience → InvalidIdentityTokenException', async function () {
      const err = await rejected(assume({ SAMLAssertion: saml({ audience: 'https://sp.example.org/shibboleth' }) }));
      expect(err.name).to.equal('InvalidIdentityTokenException');
      expect(err.message).to.include('urn:amazon:webservices');
    });

    it('wrong recipient or destination → InvalidIdentityTokenException', async function () {
      for (const spec of [{ recipient: 'https://sp.example.org/saml' }, { destination: 'https://sp.example.org/saml', recipient: AWS_SIGNIN_URL.aws }]) {
        const err = await rejected(assume({ SAMLAssertion: saml(spec) }));
        expect(err.name, JSON.stringify(spec)).to.equal('InvalidIdentityTokenException');
      }
    });

    it('expired assertion → ExpiredTokenException', async function () {
      const err = await rejected(assume({ SAMLAssertion: saml({ issueInstant: new Date(Date.now() - 10 * 60_000) }) }));
      expect(err.name).to.equal('ExpiredTokenException');
      expect(err.Code).to.equal('ExpiredTokenException');
      expect(err.message).to.equal('Token must be redeemed within 5 minutes of issuance');
      expect(err.$metadata.httpStatusCode).to.equal(400);
    });

    it('assertion not yet valid → InvalidIdentityTokenException', async function () {
      const err = await rejected(assume({ SAMLAssertion: saml({ issueInstant: new Date(Date.now() + 10 * 60_000) }) }));
      expect(err.name).to.equal('InvalidIdentityTokenException');
    });

    it('role not granted by the assertion → AccessDenied (403)', async function () {
      for (const input of [{ RoleArn: 'arn:aws:iam::444444444444:role/Other' }, { RoleArn: ROLE_2, PrincipalArn: PROVIDER }]) {
        const err = await rejected(assume(input));
        expect(err.name).to.equal('AccessDenied');
        expect(err.message).to.equal('Not authorized to perform sts:AssumeRoleWithSAML');
        expect(err.$metadata.httpStatusCode).to.equal(403);
      }
    });

    it('no RoleSessionName attribute → InvalidIdentityTokenException', async function () {
      const err = await rejected(assume({ SAMLAssertion: saml({ roleSessionName: undefined }) }));
      expect(err.name).to.equal('InvalidIdentityTokenException');
      expect(err.message).to.include('RoleSessionName');
    });

    it('DurationSeconds over the role maximum → ValidationError', async function () {
      const err = await rejected(assume({ DurationSeconds: 7200 }));
      expect(err.name).to.equal('ValidationError');
      expect(err.message).to.equal('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
      expect(err.$metadata.httpStatusCode).to.equal(400);
    });

    it('DurationSeconds over the SessionDuration attribute (the console session\'s) but within the role maximum is granted, as AWS documents', async function () {
      const started = Date.now();
      const out = await assume({ RoleArn: LONG_ROLE, DurationSeconds: 43200 });
      expect(out.Credentials!.Expiration!.getTime() - started).to.be.closeTo(43200 * 1000, 60_000);
    });

    it('DurationSeconds outside 900..43200 → ValidationError', async function () {
      expect((await rejected(assume({ DurationSeconds: 899 }))).message).to.match(/greater than or equal to 900/);
      expect((await rejected(assume({ DurationSeconds: 43201 }))).message).to.match(/less than or equal to 43200/);
    });

    it('malformed ARN → ValidationError', async function () {
      const err = await rejected(assume({ RoleArn: 'Admin' }));
      expect(err.name).to.equal('ValidationError');
      expect(err.message).to.equal('Request ARN is invalid');
    });

    it('Throttling: the SDK retries it; past the retries it surfaces as Throttling', async function () {
      await sts.stop();
      sts = await startStsStandIn({ trustedProviders: { [PROVIDER]: throwawayKeyPair().cert }, throttle: 1 });
      const retrying = new STSClient({ region: 'us-east-1', endpoint: sts.url, maxAttempts: 2 });
      const out = await retrying.send(new AssumeRoleWithSAMLCommand({ RoleArn: ROLE, PrincipalArn: PROVIDER, SAMLAssertion: saml() }));
      expect(out.$metadata.attempts).to.equal(2);
      expect(sts.requests.map((r) => r.errorCode ?? r.status)).to.deep.equal(['Throttling', 200]);
      retrying.destroy();

      await sts.stop();
      sts = await startStsStandIn({ trustedProviders: { [PROVIDER]: throwawayKeyPair().cert }, throttle: 5 });
      client = new STSClient({ region: 'us-east-1', endpoint: sts.url, maxAttempts: 1 });
      const err = await rejected(assume());
      expect(err.name).to.equal('Throttling');
      expect(err.message).to.equal('Rate exceeded');
      expect(err.$metadata.httpStatusCode).to.equal(400);
    });
  });

  describe('wire errors', function () {
    it('answers AWS error XML for missing parameters (ValidationError)', async function () {
      const res = await post({ Action: 'AssumeRoleWithSAML', Version: '2011-06-15', PrincipalArn: PROVIDER });
      expect(res.status).to.equal(400);
      const xml = await res.text();
      expect(xml).to.match(/^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>ValidationError<\/Code>/);
      expect(xml).to.include("<Message>2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; Value null at 'sAMLAssertion' failed to satisfy constraint: Member must not be null</Message>");
      expect(xml).to.match(/<\/Error>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>\s*<\/ErrorResponse>/);
    });

    it('missing or unknown Action or Version', async function () {
      const cases: [Record<string, string>, string][] = [
        [{ Version: '2011-06-15' }, 'MissingAction'],
        [{ Action: 'AssumeRole', Version: '2011-06-15' }, 'InvalidAction'],
        [{ Action: 'AssumeRoleWithSAML' }, 'InvalidAction'],
      ];
      for (const [body, code] of cases) {
        const res = await post(body);
        expect(res.status).to.equal(400);
        expect(await res.text()).to.include(`<Code>${code}</Code>`);
      }
    });
  });

  describe('GetCallerIdentity', function () {
    it('answers for issued credentials, SigV4-signed by the SDK', async function () {
      const { Credentials } = await assume();
      const who = await callerIdentity(Credentials ?? {});
      expect(who.Arn).to.equal('arn:aws:sts::444444444444:assumed-role/Admin/duo-user@example.org');
      expect(who.Account).to.equal('444444444444');
      expect(who.UserId).to.match(/^AROA[A-Z2-7]{17}:duo-user@example\.org$/);
      expect(sts.requests.at(-1)).to.include({ action: 'GetCallerIdentity', signed: true, status: 200 });
    });

    it('refuses unknown keys, a wrong secret, a wrong token, expired credentials and unsigned calls', async function () {
      const { Credentials: c } = await assume({ DurationSeconds: 900 });
      const good = { AccessKeyId: c?.AccessKeyId ?? '', SecretAccessKey: c?.SecretAccessKey ?? '', SessionToken: c?.SessionToken ?? '' };
      const cases: [typeof good, string][] = [
        [{ ...good, AccessKeyId: 'ASIAAAAAAAAAAAAAAAAA' }, 'InvalidClientTokenId'],
        // One character changed (never to itself: a secret may start with x).
        [{ ...good, SecretAccessKey: `${good.SecretAccessKey.startsWith('x') ? 'y' : 'x'}${good.SecretAccessKey.slice(1)}` }, 'SignatureDoesNotMatch'],
        [{ ...good, SessionToken: 'forged' }, 'InvalidClientTokenId'],
      ];
      for (const [creds, code] of cases) {
        const err = await rejected(callerIdentity(creds));
        expect(err.name).to.equal(code);
        expect(err.$metadata.httpStatusCode).to.equal(403);
      }
      clock = new Date(Date.now() + 901_000);
      expect((await rejected(callerIdentity(good))).name).to.equal('ExpiredToken');
      const res = await post({ Action: 'GetCallerIdentity', Version: '2011-06-15' });
      expect(res.status).to.equal(403);
      expect(await res.text()).to.include('<Code>MissingAuthenticationToken</Code>');
    });

    it('works for /usr/bin/aws sts get-caller-identity --endpoint-url', async function () {
      requirePeer(this, existsSync('/usr/bin/aws'), 'AWS CLI v2 at /usr/bin/aws');
      const { Credentials: c } = await assume();
      const home = mkdtempSync(join(tmpdir(), 'awsl-sts-'));
      try {
        const { stdout } = await promisify(execFile)('/usr/bin/aws', ['sts', 'get-caller-identity', '--endpoint-url', sts.url, '--output', 'json'], {
          env: {
            PATH: process.env.PATH, HOME: home,
            AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
            AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: c?.AccessKeyId, AWS_SECRET_ACCESS_KEY: c?.SecretAccessKey, AWS_SESSION_TOKEN: c?.SessionToken,
          },
        });
        expect(JSON.parse(stdout)).to.include({ Account: '444444444444', Arn: 'arn:aws:sts::444444444444:assumed-role/Admin/duo-user@example.org' });
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  });
});
