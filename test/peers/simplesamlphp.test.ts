/**
 * What the real SimpleSAMLphp 1.19 ECP IdP answers, checked with plain fetch: the facts the ecp
 * provider and saml/ are built on, and proof that the harness configures the IdP as documented.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { expect } from 'chai';
import { SignedXml } from 'xml-crypto';
import { requirePeer } from '../support/peers.js';
import { throwawayKeyPair } from './saml-fixtures.js';
import { readSamlAssertion } from './sts/assertion.js';
import { AWS_ACS_URLS, AWS_SAML_ATTRIBUTE, AWS_SP_ENTITY_ID, SIMPLESAMLPHP_USERS, available, startSimpleSamlPhp, type SimpleSamlPhp, type SimpleSamlPhpUser } from './simplesamlphp/index.js';

const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  ecp: 'urn:oasis:names:tc:SAML:2.0:profiles:SSO:ecp',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
};
const PAOS = 'urn:oasis:names:tc:SAML:2.0:bindings:PAOS';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const NAMEFORMAT_URI = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';

interface RequestOptions {
  credentials?: { username: string; password: string };
  cookies?: string;
  acsUrl?: string;
  issuer?: string;
  protocolBinding?: string | null;
  forceAuthn?: boolean;
  contentType?: string;
}

function authnRequest(id: string, { acsUrl = AWS_ACS_URLS[0], issuer = AWS_SP_ENTITY_ID, protocolBinding = PAOS, forceAuthn = false }: RequestOptions): string {
  const binding = protocolBinding === null ? '' : ` ProtocolBinding="${protocolBinding}"`;
  const force = forceAuthn ? ' ForceAuthn="true"' : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<S:Envelope xmlns:S="${NS.soap}"><S:Body>
<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${id}" Version="2.0" IssueInstant="${new Date().toISOString()}"${binding}${force} AssertionConsumerServiceURL="${acsUrl}"><saml:Issuer>${issuer}</saml:Issuer></samlp:AuthnRequest>
</S:Body></S:Envelope>`;
}

interface EcpAnswer {
  requestId: string;
  response: Response;
  body: string;
  cookies: Map<string, string>;
}

async function ecp(idp: SimpleSamlPhp, options: RequestOptions = {}): Promise<EcpAnswer> {
  const requestId = `_${randomBytes(16).toString('hex')}`;
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'text/xml' };
  if (options.credentials) headers.authorization = `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`;
  if (options.cookies) headers.cookie = options.cookies;
  const response = await fetch(idp.url, { method: 'POST', headers, body: authnRequest(requestId, options), redirect: 'manual' });
  const cookies = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const [pair = ''] = header.split(';');
    const equals = pair.indexOf('=');
    cookies.set(pair.slice(0, equals), pair.slice(equals + 1));
  }
  return { requestId, response, body: await response.text(), cookies };
}

function cookieHeader(cookies: Map<string, string>, names: readonly string[]): string {
  return names.map((name) => `${name}=${cookies.get(name) ?? ''}`).join('; ');
}

function only(parent: Document | Element, ns: string, localName: string): Element {
  const found = parent.getElementsByTagNameNS(ns, localName);
  expect(found.length, `number of ${localName} elements`).to.equal(1);
  return found[0] as Element;
}

/** Direct children only: getElementsByTagNameNS would also find the assertion's signature inside a response. */
function child(parent: Element, ns: string, localName: string): Element | undefined {
  return Array.from(parent.childNodes).find((node): node is Element => node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === localName);
}

/** The samlp:Response element, as the base64 that would go to STS would decode. */
function samlResponse(body: string): { xml: string; element: Element } {
  const envelope = new DOMParser().parseFromString(body, 'text/xml');
  const element = only(envelope, NS.samlp, 'Response');
  expect((element.parentNode as Element | null)?.namespaceURI).to.equal(NS.soap);
  return { xml: new XMLSerializer().serializeToString(element), element };
}

function statusOf(response: Element): { code: string | null; message: string | undefined } {
  const status = only(response, NS.samlp, 'Status');
  return { code: only(status, NS.samlp, 'StatusCode').getAttribute('Value'), message: child(status, NS.samlp, 'StatusMessage')?.textContent ?? undefined };
}

/** Checks the signature that is a direct child of signed (Response or Assertion) against the IdP's certificate. */
function expectSignedWith(signed: Element, xml: string, certificatePem: string): void {
  const signature = child(signed, NS.ds, 'Signature');
  expect(signature, `${signed.localName} is signed`).to.not.equal(undefined);
  expect(only(signature as Element, NS.ds, 'SignatureMethod').getAttribute('Algorithm')).to.equal(RSA_SHA256);
  expect(only(signature as Element, NS.ds, 'Reference').getAttribute('URI')).to.equal(`#${signed.getAttribute('ID')}`);
  const verifier = new SignedXml({ publicCert: certificatePem });
  verifier.loadSignature(signature as Element);
  expect(verifier.checkSignature(xml), `${signed.localName} signature verifies`).to.equal(true);
}

/** Attribute name → values, each attribute checked to use the uri NameFormat. */
function attributesOf(assertion: Element): Record<string, string[]> {
  const attributes: Record<string, string[]> = {};
  for (const attribute of Array.from(assertion.getElementsByTagNameNS(NS.saml, 'Attribute'))) {
    expect(attribute.getAttribute('NameFormat')).to.equal(NAMEFORMAT_URI);
    const name = attribute.getAttribute('Name') ?? '';
    attributes[name] = Array.from(attribute.getElementsByTagNameNS(NS.saml, 'AttributeValue')).map((value) => value.textContent ?? '');
  }
  return attributes;
}

function expectAssertionFor(answer: EcpAnswer, idp: SimpleSamlPhp, user: SimpleSamlPhpUser, acsUrl: string = AWS_ACS_URLS[0]): void {
  expect(answer.response.status).to.equal(200);
  expect(answer.response.headers.get('content-type')).to.match(/^text\/xml\b/);
  const envelope = new DOMParser().parseFromString(answer.body, 'text/xml');
  expect(only(envelope, NS.ecp, 'Response').getAttribute('AssertionConsumerServiceURL')).to.equal(acsUrl);
  const { xml, element } = samlResponse(answer.body);
  expect(statusOf(element).code).to.equal('urn:oasis:names:tc:SAML:2.0:status:Success');
  expect(element.getAttribute('InResponseTo')).to.equal(answer.requestId);
  expect(element.getAttribute('Destination')).to.equal(acsUrl);
  expect(child(element, NS.saml, 'Issuer')?.textContent).to.equal(idp.entityId);
  expectSignedWith(element, xml, idp.certificatePem);
  const assertion = only(element, NS.saml, 'Assertion');
  expectSignedWith(assertion, xml, idp.certificatePem);
  expect(only(assertion, NS.saml, 'Audience').textContent).to.equal(AWS_SP_ENTITY_ID);
  expect(only(assertion, NS.saml, 'SubjectConfirmationData').getAttribute('Recipient')).to.equal(acsUrl);
  expect(attributesOf(assertion)).to.deep.equal(user.attributes);
}

function expectWrongUserPass(answer: EcpAnswer, idp: SimpleSamlPhp): void {
  expect(answer.response.status).to.equal(200);
  expect(answer.response.headers.get('content-type')).to.match(/^text\/xml\b/);
  const { xml, element } = samlResponse(answer.body);
  const status = statusOf(element);
  expect(status.code).to.equal('urn:oasis:names:tc:SAML:2.0:status:Responder');
  expect(status.message).to.contain('WRONGUSERPASS');
  expect(element.getElementsByTagNameNS(NS.saml, 'Assertion').length).to.equal(0);
  expectSignedWith(element, xml, idp.certificatePem);
}

describe('peer: SimpleSAMLphp ECP IdP', function () {
  let idp: SimpleSamlPhp;
  const { alice, bob } = SIMPLESAMLPHP_USERS;

  before(async function () {
    requirePeer(this, available(), 'SimpleSAMLphp (Debian simplesamlphp + php-cli)');
    idp = await startSimpleSamlPhp();
  });

  after(async function () {
    await idp?.stop();
  });

  it('serves the ECP endpoint at /saml2/idp/SSOService.php on loopback', function () {
    expect(idp.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/saml2\/idp\/SSOService\.php$/);
    expect(idp.url.startsWith(`${idp.baseUrl}/`)).to.equal(true);
  });

  for (const user of Object.values(SIMPLESAMLPHP_USERS)) {
    it(`answers ${user.username}'s Basic credentials with a signed Response and Assertion carrying exactly their attributes`, async function () {
      expectAssertionFor(await ecp(idp, { credentials: user }), idp, user);
    });
  }

  it('asserts both of alice\'s Role values, the provider-first one unchanged', async function () {
    const { element } = samlResponse((await ecp(idp, { credentials: alice })).body);
    expect(attributesOf(only(element, NS.saml, 'Assertion'))[AWS_SAML_ATTRIBUTE.role]).to.deep.equal([
      'arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/simplesamlphp',
      'arn:aws:iam::222222222222:saml-provider/simplesamlphp,arn:aws:iam::222222222222:role/ReadOnly',
    ]);
  });

  for (const acsUrl of AWS_ACS_URLS.slice(1)) {
    it(`accepts the partition ACS URL ${acsUrl} and addresses the Response to it`, async function () {
      expectAssertionFor(await ecp(idp, { credentials: SIMPLESAMLPHP_USERS.gus, acsUrl }), idp, SIMPLESAMLPHP_USERS.gus, acsUrl);
    });
  }

  it('answers a wrong password with a signed Responder status, WRONGUSERPASS and no assertion', async function () {
    expectWrongUserPass(await ecp(idp, { credentials: { username: 'alice', password: 'not-her-password' } }), idp);
  });

  it('answers an unknown user and missing credentials the same way', async function () {
    expectWrongUserPass(await ecp(idp, { credentials: { username: 'mallory', password: 'x' } }), idp);
    expectWrongUserPass(await ecp(idp), idp);
  });

  describe('session cookies', function () {
    let login: EcpAnswer;

    before(async function () {
      login = await ecp(idp, { credentials: alice });
    });

    it('sets SimpleSAML and SimpleSAMLAuthToken on a successful login', function () {
      expect([...login.cookies.keys()]).to.include.members(['SimpleSAML', 'SimpleSAMLAuthToken']);
    });

    it('reuses the session without credentials when both cookies are sent', async function () {
      expectAssertionFor(await ecp(idp, { cookies: cookieHeader(login.cookies, ['SimpleSAML', 'SimpleSAMLAuthToken']) }), idp, alice);
    });

    it('does not reuse the session with the SimpleSAML cookie alone', async function () {
      expectWrongUserPass(await ecp(idp, { cookies: cookieHeader(login.cookies, ['SimpleSAML']) }), idp);
    });

    it('ignores Basic credentials while the session lasts: bob gets alice\'s assertion', async function () {
      const answer = await ecp(idp, { credentials: bob, cookies: cookieHeader(login.cookies, ['SimpleSAML', 'SimpleSAMLAuthToken']) });
      expectAssertionFor(answer, idp, alice);
    });

    it('logs in afresh with ForceAuthn="true"', async function () {
      const answer = await ecp(idp, { credentials: bob, forceAuthn: true, cookies: cookieHeader(login.cookies, ['SimpleSAML', 'SimpleSAMLAuthToken']) });
      expectAssertionFor(answer, idp, bob);
    });

    it('sets no SimpleSAMLAuthToken when the login fails', async function () {
      const answer = await ecp(idp, { credentials: { username: 'alice', password: 'wrong' } });
      expect(answer.cookies.has('SimpleSAMLAuthToken')).to.equal(false);
    });
  });

  describe('requests it does not answer with a SAML Response', function () {
    it('refuses the PAOS media type with 405', async function () {
      const answer = await ecp(idp, { credentials: alice, contentType: 'application/vnd.paos+xml' });
      expect(answer.response.status).to.equal(405);
    });

    it('redirects (303) to its HTML login form when ProtocolBinding is missing', async function () {
      const answer = await ecp(idp, { credentials: alice, protocolBinding: null });
      expect(answer.response.status).to.equal(303);
      expect(answer.response.headers.get('location')).to.contain('/module.php/core/loginuserpass.php');
    });

    it('answers an unknown SP with an HTML error page', async function () {
      const answer = await ecp(idp, { credentials: alice, issuer: 'urn:example:unknown-sp' });
      expect(answer.response.status).to.equal(200);
      expect(answer.response.headers.get('content-type')).to.match(/^text\/html\b/);
    });

    it('redirects (303) when the ACS URL is not registered for the SP', async function () {
      const answer = await ecp(idp, { credentials: alice, acsUrl: 'https://evil.example.org/saml' });
      expect(answer.response.status).to.equal(303);
    });
  });

  describe('the AWS SP registered with a regional ACS URL, encrypting assertions', function () {
    const regional = 'https://eu-west-1.signin.aws.amazon.com/saml';
    const awsKey = throwawayKeyPair('aws-saml-provider');
    let encrypting: SimpleSamlPhp;

    before(async function () {
      encrypting = await startSimpleSamlPhp({ acsUrls: [regional], encryptionCertificatePem: awsKey.cert });
    });

    after(async function () {
      await encrypting?.stop();
    });

    it('answers the regional ACS URL only: the global one is not registered (303)', async function () {
      expect((await ecp(encrypting, { credentials: bob })).response.status).to.equal(303);
      const answer = await ecp(encrypting, { credentials: bob, acsUrl: regional });
      expect(answer.response.status).to.equal(200);
      expect(samlResponse(answer.body).element.getAttribute('Destination')).to.equal(regional);
    });

    it('sends an EncryptedAssertion and no readable one; the signed assertion inside decrypts with the AWS provider\'s key', async function () {
      const answer = await ecp(encrypting, { credentials: SIMPLESAMLPHP_USERS.dora, acsUrl: regional });
      const { xml, element } = samlResponse(answer.body);
      expect(element.getElementsByTagNameNS(NS.saml, 'Assertion').length).to.equal(0);
      only(element, NS.saml, 'EncryptedAssertion');
      const provider = SIMPLESAMLPHP_USERS.dora.roles[0]!.principalArn;
      const claims = readSamlAssertion(Buffer.from(xml).toString('base64'), encrypting.certificatePem, { privateKeyPem: awsKey.key, mode: 'Required' });
      expect(claims).to.include({ encrypted: true, roleSessionName: 'dora@example.org', sourceIdentity: 'dora.m', destination: regional });
      expect(claims.roles).to.deep.equal([{ roleArn: 'arn:aws:iam::111111111111:role/Auditor', principalArn: provider }]);
    });
  });

  describe('harness', function () {
    it('stop() ends php -S and all its workers, leaving not even a zombie', async function () {
      const second = await startSimpleSamlPhp({ workers: 3 });
      const pgid = second.process.pid;
      expect(await groupMembers(pgid)).to.have.length(4);
      await second.stop();
      expect(await groupMembers(pgid)).to.deep.equal([]);
      let refused: unknown;
      await fetch(second.url).catch((error: unknown) => { refused = error; });
      expect(refused, 'connection refused after stop').to.be.instanceOf(Error);
    });
  });
});

/** States of every process in the group, zombies included. */
async function groupMembers(pgid: number): Promise<string[]> {
  const states: string[] = [];
  for (const entry of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (stat && Number(fields[2]) === pgid) states.push(fields[0] ?? '');
  }
  return states;
}
