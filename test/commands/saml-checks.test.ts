/**
 * The SAML checks of src/saml/response.ts and src/saml/signature.ts, end to end (exit 9 with the
 * message, no credentials): a Response to another request (the Shibboleth stand-in's canned
 * reply), and — from a scripted ECP IdP that answers awsl's own request ID with exactly the
 * Response a test asks for — expired and not-yet-valid assertions, the clock-skew allowance,
 * wrong Destination and Recipient, and unsigned or wrapped Responses when verification is on.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { NS, buildSamlResponse, readBody, startLoopbackServer, throwawayKeyPair, type LoopbackServer, type SamlResponseSpec } from '../peers/saml-fixtures.js';
import type { RunResult } from '../support/cli.js';
import { ecpIdp, expectSuccess, startWorld, type World, type WorldHome } from '../support/world.js';
import { startDuoWorld, type DuoWorld } from './duo-world.js';

const ROLE = 'arn:aws:iam::444444444444:role/Admin';
const PROVIDER = 'arn:aws:iam::444444444444:saml-provider/scripted';

function ecpEnvelope(responseXml: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<soap11:Envelope xmlns:soap11="${NS.soap11}"><soap11:Header><ecp:Response AssertionConsumerServiceURL="https://signin.aws.amazon.com/saml" soap11:actor="http://schemas.xmlsoap.org/soap/actor/next" soap11:mustUnderstand="1" xmlns:ecp="${NS.ecp}"/></soap11:Header><soap11:Body>${responseXml}</soap11:Body></soap11:Envelope>\n`;
}

describe('SAML checks, end to end', function () {
  describe('with the Shibboleth stand-in', function () {
    let world: DuoWorld;

    before(async function () {
      world = await startDuoWorld();
    });

    after(async function () {
      await world?.stop();
    });

    it('exits 9 when the Response answers another request (InResponseTo), and writes nothing', async function () {
      const user = await world.user({ username: 'plain-user' });
      const reply = buildSamlResponse({
        issuer: world.idp.entityId, inResponseTo: '_0123456789ABCDEF0123456789ABCDEF', keyPair: throwawayKeyPair('shibboleth'),
        roles: world.idp.users.get('plain-user')!.roles, roleSessionName: 'plain-user@example.org',
      });
      world.idp.respondWith({ status: 200, headers: { 'Content-Type': 'text/xml' }, body: ecpEnvelope(reply.xml) });
      const result = await user.login([], 'plain-password');
      expect(result.code, result.stderr).to.equal(9);
      expect(result.stderr).to.match(/The SAML Response answers request _0123456789ABCDEF0123456789ABCDEF, not awsl's request _[0-9A-F]{32}\./);
      expect(user.credentials()).to.equal(undefined);
      expect(world.sts.requests).to.have.length(0);
    });
  });

  describe('with a scripted ECP IdP answering awsl\'s own request', function () {
    const keyPair = throwawayKeyPair('scripted-idp');
    let world: World<LoopbackServer> | undefined;
    let home: WorldHome;
    /** How the next Responses differ from a good one. */
    let shape: Partial<SamlResponseSpec> & { wrap?: boolean } = {};

    before(async function () {
      const idp = await startLoopbackServer(async (req, res) => {
        const body = (await readBody(req)).toString('utf8');
        const id = /AuthnRequest [^>]*ID="([^"]+)"/.exec(body)?.[1];
        const { wrap, ...spec } = shape;
        const good = buildSamlResponse({ issuer: 'https://scripted.example.org/idp', inResponseTo: id, roles: [`${ROLE},${PROVIDER}`], roleSessionName: 'alice', keyPair, ...spec });
        let xml = good.xml;
        if (wrap) {
          // The signed Assertion moved under Extensions; an unsigned one granting another role in its place.
          const signed = /<saml2:Assertion[\s\S]*<\/saml2:Assertion>/.exec(xml)![0];
          const forged = signed.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '').replace(ROLE, 'arn:aws:iam::444444444444:role/Evil');
          xml = xml.replace(signed, `<saml2p:Extensions>${signed}</saml2p:Extensions>${forged}`);
        }
        res.writeHead(200, { 'Content-Type': 'text/xml' }).end(ecpEnvelope(xml));
      });
      // A lenient STS, so that only awsl's own clock check decides.
      world = await startWorld(ecpIdp(idp, `${idp.url}/ecp`, { trustedProviders: { [PROVIDER]: keyPair.cert }, defaultUser: 'alice', password: () => 'pw' }), { sts: { clockSkewSeconds: 600 } });
      home = world.home();
      const pem = join(home.sandbox.home, 'idp.pem');
      writeFileSync(pem, keyPair.cert);
      for (const [profile, extra] of [['plain', []], ['verified', ['--idp-certificate', pem]]] as const) {
        expectSuccess(await home.configure(profile, { extra: ['--role-arn', ROLE, ...extra] }));
      }
    });

    beforeEach(function () {
      shape = {};
    });

    after(async function () {
      await world?.stop();
    });

    const login = (profile = 'plain'): Promise<RunResult> => home.login(profile);
    const expectRefused = (result: RunResult, message: RegExp) => {
      expect(result.code, result.stderr).to.equal(9);
      expect(result.stderr).to.match(message);
      expect(result.stdout).to.equal('');
    };

    it('logs in with a good Response (the baseline), with and without signature verification', async function () {
      for (const profile of ['plain', 'verified']) {
        const result = await login(profile);
        expect(result.code, result.stderr).to.equal(0);
      }
    });

    it('exits 9 on a Response that names no request (no InResponseTo), with and without signature verification', async function () {
      shape = { inResponseTo: undefined };
      for (const profile of ['plain', 'verified']) {
        expectRefused(await login(profile), /The SAML assertion does not say which request it answers \(no InResponseTo in its SubjectConfirmationData\); awsl sent request _[0-9A-F]{32}\./);
      }
    });

    it('exits 9 on an expired assertion, naming both times, the difference and the allowed skew', async function () {
      shape = { issueInstant: new Date(Date.now() - 3600_000), lifetimeSeconds: 300 };
      const result = await login();
      expectRefused(result, /The assertion expired at \S+Z; this machine's clock reads \S+Z, 3\d\d\d s later\./);
      expect(result.stderr).to.include('more than 180 s');
    });

    it('accepts an assertion that expired less than the clock-skew allowance (180 s) ago', async function () {
      shape = { notOnOrAfter: new Date(Date.now() - 100_000), issueInstant: new Date(Date.now() - 200_000) };
      const result = await login();
      expect(result.code, result.stderr).to.equal(0);
    });

    it('exits 9 on an assertion not valid yet, naming the skew', async function () {
      shape = { issueInstant: new Date(Date.now() + 3600_000) };
      const result = await login();
      expectRefused(result, /The assertion is valid only from \S+Z; this machine's clock reads \S+Z, 3\d\d\d s earlier\./);
      expect(result.stderr).to.include('off by more than 180 s');
    });

    it('exits 9 when the Destination is not the AWS sign-in URL', async function () {
      shape = { destination: 'https://evil.example.org/saml', recipient: 'https://signin.aws.amazon.com/saml' };
      expectRefused(await login(), /addressed to https:\/\/evil\.example\.org\/saml \(Destination\), not to an AWS sign-in SAML endpoint such as https:\/\/signin\.aws\.amazon\.com\/saml\./);
    });

    it('accepts a Response addressed to a regional AWS sign-in endpoint without awsl_acs_url', async function () {
      shape = { destination: 'https://ap-northeast-1.signin.aws.amazon.com/saml', recipient: 'https://signin.aws.amazon.com/static/saml' };
      const result = await login();
      expect(result.code, result.stderr).to.equal(0);
    });

    it('exits 9 when the Recipient is another partition\'s sign-in URL', async function () {
      shape = { recipient: 'https://signin.amazonaws-us-gov.com/saml' };
      expectRefused(await login(), /addressed to https:\/\/signin\.amazonaws-us-gov\.com\/saml \(Recipient\)/);
    });

    it('with verification on, exits 9 on an unsigned Response', async function () {
      shape = { sign: 'none' };
      expectRefused(await login('verified'), /is not signed .*requires a valid IdP signature/);
    });

    it('with verification on, exits 9 on a signature-wrapped Response (signed Assertion moved under Extensions)', async function () {
      shape = { wrap: true };
      expectRefused(await login('verified'), /not signed/);
    });
  });
});
