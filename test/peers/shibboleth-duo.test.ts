import { randomUUID } from 'node:crypto';
import { AssumeRoleWithSAMLCommand, STSClient } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { Agent, fetch as undiciFetch } from 'undici';
import {
  AWS_ATTRIBUTE, AWS_SIGNIN_URL, NS, PAOS_BINDING, STATUS, childElement, childElements, parseXmlStrict, throwawayKeyPair,
} from './saml-fixtures.js';
import { startShibbolethDuoIdp, type ShibbolethDuoIdp, type ShibbolethDuoOptions } from './shibboleth-duo/index.js';
import { startStsStandIn } from './sts/index.js';

interface AuthnRequestSpec {
  id?: string;
  issuer?: string;
  acs?: string;
  binding?: string | null;
  forceAuthn?: boolean;
  issueInstant?: string;
}

/** The envelope awscli-login sends (its authnrequest.xml), with an optional ForceAuthn. */
function authnRequest(spec: AuthnRequestSpec = {}): { id: string; xml: string } {
  const id = spec.id ?? `_${randomUUID().replace(/-/g, '').toUpperCase()}`;
  const binding = spec.binding === null ? '' : ` ProtocolBinding="${spec.binding ?? PAOS_BINDING}"`;
  const force = spec.forceAuthn ? ' ForceAuthn="true"' : '';
  const instant = spec.issueInstant ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    id,
    xml: '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol">'
      + `<S:Body><saml2p:AuthnRequest AssertionConsumerServiceURL="${spec.acs ?? AWS_SIGNIN_URL.aws}"${force} ID="${id}" IssueInstant="${instant}"${binding} Version="2.0">`
      + `<saml2:Issuer>${spec.issuer ?? 'urn:amazon:webservices'}</saml2:Issuer></saml2p:AuthnRequest></S:Body></S:Envelope>`,
  };
}

interface Login {
  user?: string;
  password?: string;
  factor?: string;
  passcode?: string;
  cookie?: string;
  headers?: Record<string, string>;
  request?: AuthnRequestSpec;
  signal?: AbortSignal;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function ecpHeaders(login: Login): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'text/xml', ...login.headers };
  if (login.user !== undefined) headers.Authorization = basic(login.user, login.password ?? '');
  if (login.factor !== undefined) headers['X-Shibboleth-Duo-Factor'] = login.factor;
  if (login.passcode !== undefined) headers['X-Shibboleth-Duo-Passcode'] = login.passcode;
  if (login.cookie !== undefined) headers.Cookie = login.cookie;
  return headers;
}

function parseEcpReply(xml: string): { envelope: Element; response: Element; responseXml: string; ecpAcs: string | null } {
  const envelope = parseXmlStrict(xml).documentElement;
  expect(envelope.namespaceURI).to.equal(NS.soap11);
  const header = childElement(envelope, NS.soap11, 'Header');
  const ecp = header && childElement(header, NS.ecp, 'Response');
  const response = childElement(childElement(envelope, NS.soap11, 'Body') as Element, NS.protocol, 'Response');
  if (!response) throw new Error(`no SAML Response in ${xml.slice(0, 300)}`);
  const responseXml = xml.slice(xml.indexOf('<saml2p:Response'), xml.indexOf('</saml2p:Response>') + '</saml2p:Response>'.length);
  return { envelope, response, responseXml, ecpAcs: ecp?.getAttribute('AssertionConsumerServiceURL') ?? null };
}

function attributes(response: Element): Map<string, string[]> {
  const assertion = childElement(response, NS.assertion, 'Assertion') as Element;
  const statement = childElement(assertion, NS.assertion, 'AttributeStatement') as Element;
  return new Map(childElements(statement, NS.assertion, 'Attribute').map((a) => [
    a.getAttribute('Name') ?? '', childElements(a, NS.assertion, 'AttributeValue').map((v) => v.textContent ?? ''),
  ]));
}

function topStatus(response: Element): string[] {
  const code = childElement(childElement(response, NS.protocol, 'Status') as Element, NS.protocol, 'StatusCode') as Element;
  const sub = childElement(code, NS.protocol, 'StatusCode');
  return [code.getAttribute('Value') ?? '', ...(sub ? [sub.getAttribute('Value') ?? ''] : [])];
}

describe('Shibboleth-style ECP IdP with Duo stand-in', function () {
  let idp: ShibbolethDuoIdp;

  async function start(options?: ShibbolethDuoOptions): Promise<void> {
    await idp?.stop();
    idp = await startShibbolethDuoIdp(options);
    idp.duo.pushDelayMs = 150;
    idp.duo.timeoutMs = 300;
  }

  function ecp(login: Login = {}): Promise<Response> & { id: string } {
    const request = authnRequest(login.request);
    return Object.assign(fetch(idp.url, { method: 'POST', headers: ecpHeaders(login), body: request.xml, redirect: 'manual', signal: login.signal }), { id: request.id });
  }

  beforeEach(async function () {
    await start();
  });

  afterEach(async function () {
    await idp.stop();
  });

  describe('success', function () {
    it('answers a Shibboleth-shaped SOAP reply for a user without Duo', async function () {
      const pending = ecp({ user: 'plain-user', password: 'plain-password' });
      const res = await pending;
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/xml');
      expect(res.headers.get('set-cookie')).to.match(/^shib_idp_session=[0-9a-f]{64}; Path=\/idp; HttpOnly; SameSite=None$/);
      const text = await res.text();
      expect(text).to.match(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<soap11:Envelope /);
      expect(text).to.include('<saml2p:Response ').and.include('<saml2:Assertion ');
      const { response, ecpAcs } = parseEcpReply(text);
      expect(ecpAcs).to.equal(AWS_SIGNIN_URL.aws);
      expect(response.getAttribute('InResponseTo')).to.equal(pending.id);
      expect(response.getAttribute('Destination')).to.equal(AWS_SIGNIN_URL.aws);
      expect(topStatus(response)).to.deep.equal([STATUS.success]);
      expect(childElement(response, NS.ds, 'Signature'), 'the Response itself is not signed').to.equal(undefined);
      const assertion = childElement(response, NS.assertion, 'Assertion') as Element;
      const signature = childElement(assertion, NS.ds, 'Signature') as Element;
      expect(signature.previousSibling && (signature.previousSibling as Element).localName).to.equal('Issuer');
      expect(signature.getElementsByTagNameNS(NS.ds, 'SignatureMethod')[0]?.getAttribute('Algorithm')).to.equal('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
      expect(text).to.include('<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>');
      const confirmation = assertion.getElementsByTagNameNS(NS.assertion, 'SubjectConfirmationData')[0] as Element;
      expect(confirmation.getAttribute('Recipient')).to.equal(AWS_SIGNIN_URL.aws);
      expect(confirmation.getAttribute('InResponseTo')).to.equal(pending.id);
      const lifetime = Date.parse(confirmation.getAttribute('NotOnOrAfter') ?? '') - Date.parse(assertion.getAttribute('IssueInstant') ?? '');
      expect(lifetime).to.equal(300_000);
      expect(assertion.getElementsByTagNameNS(NS.assertion, 'Audience')[0]?.textContent).to.equal('urn:amazon:webservices');
      expect(assertion.getElementsByTagNameNS(NS.assertion, 'AuthnStatement')).to.have.length(1);
      const attrs = attributes(response);
      expect(attrs.get(AWS_ATTRIBUTE.role)).to.deep.equal([`${idp.providerArn('444444444444')},arn:aws:iam::444444444444:role/Developer`]);
      expect(attrs.get(AWS_ATTRIBUTE.roleSessionName)).to.deep.equal(['plain-user@example.org']);
      expect(attrs.has(AWS_ATTRIBUTE.sessionDuration)).to.equal(false);
      expect(idp.duo.attempts).to.have.length(0);
      expect(idp.requests).to.have.length(1);
      expect(idp.requests[0]).to.include({ outcome: 'success', user: 'plain-user', usedSession: false, status: 200 });
      expect(idp.requests[0]?.headers.authorization).to.equal('Basic plain-user:***');
    });

    it('releases both roles (either order), SessionDuration, and an assertion the STS stand-in accepts', async function () {
      const res = await ecp({ user: 'duo-user', password: 'duo-password', factor: 'push' });
      expect(res.status).to.equal(200);
      const { response, responseXml } = parseEcpReply(await res.text());
      const attrs = attributes(response);
      expect(attrs.get(AWS_ATTRIBUTE.role)).to.deep.equal([
        'arn:aws:iam::444444444444:saml-provider/shibboleth,arn:aws:iam::444444444444:role/Admin',
        'arn:aws:iam::555555555555:role/engineering/ReadOnly,arn:aws:iam::555555555555:saml-provider/shibboleth',
      ]);
      expect(attrs.get(AWS_ATTRIBUTE.sessionDuration)).to.deep.equal(['28800']);
      const sts = await startStsStandIn({
        trustedProviders: { [idp.providerArn('444444444444')]: idp.certificatePem, [idp.providerArn('555555555555')]: idp.certificatePem },
        maxSessionDuration: { 'arn:aws:iam::555555555555:role/engineering/ReadOnly': 28800 },
      });
      const client = new STSClient({ region: 'us-east-1', endpoint: sts.url, maxAttempts: 1 });
      try {
        const SAMLAssertion = Buffer.from(responseXml).toString('base64');
        const admin = await client.send(new AssumeRoleWithSAMLCommand({ RoleArn: 'arn:aws:iam::444444444444:role/Admin', PrincipalArn: idp.providerArn('444444444444'), SAMLAssertion }));
        expect(admin.AssumedRoleUser?.Arn).to.equal('arn:aws:sts::444444444444:assumed-role/Admin/duo-user@example.org');
        expect(admin.Issuer).to.equal(idp.entityId);
        const reader = await client.send(new AssumeRoleWithSAMLCommand({ RoleArn: 'arn:aws:iam::555555555555:role/engineering/ReadOnly', PrincipalArn: idp.providerArn('555555555555'), SAMLAssertion, DurationSeconds: 28800 }));
        expect(reader.AssumedRoleUser?.Arn).to.equal('arn:aws:sts::555555555555:assumed-role/ReadOnly/duo-user@example.org');
      } finally {
        client.destroy();
        await sts.stop();
      }
    });

    it('answers for the aws-us-gov and aws-cn sign-in URLs', async function () {
      for (const acs of [AWS_SIGNIN_URL['aws-us-gov'], AWS_SIGNIN_URL['aws-cn']]) {
        const res = await ecp({ user: 'plain-user', password: 'plain-password', request: { acs } });
        const { response, ecpAcs } = parseEcpReply(await res.text());
        expect(ecpAcs).to.equal(acs);
        expect(response.getAttribute('Destination')).to.equal(acs);
        expect(response.getElementsByTagNameNS(NS.assertion, 'SubjectConfirmationData')[0]?.getAttribute('Recipient')).to.equal(acs);
      }
    });

    it('accepts every AWS sign-in ACS form and addresses the Response to it', async function () {
      for (const acs of ['https://eu-west-1.signin.aws.amazon.com/saml', 'https://signin.aws.amazon.com/static/saml', 'https://us-east-2.signin.aws.amazon.com/saml/acs/abc-123']) {
        const { response } = parseEcpReply(await (await ecp({ user: 'plain-user', password: 'plain-password', request: { acs } })).text());
        expect(response.getAttribute('Destination')).to.equal(acs);
      }
    });

    it('serves HTTPS with the given key and certificate, and marks the cookie Secure', async function () {
      const tls = throwawayKeyPair('tls');
      await start({ https: tls });
      expect(idp.url).to.match(/^https:\/\/127\.0\.0\.1:\d+\/idp\/profile\/SAML2\/SOAP\/ECP$/);
      const dispatcher = new Agent({ connect: { ca: tls.cert } });
      try {
        const res = await undiciFetch(idp.url, { method: 'POST', headers: ecpHeaders({ user: 'plain-user', password: 'plain-password' }), body: authnRequest().xml, dispatcher });
        expect(res.status).to.equal(200);
        expect(res.headers.get('set-cookie')).to.match(/; Secure$/);
      } finally {
        await dispatcher.close();
      }
    });
  });

  describe('HTTP Basic authentication', function () {
    const refusals = [
      ['no credentials', {}],
      ['a wrong password', { user: 'plain-user', password: 'nope' }],
      ['an unknown user', { user: 'nobody', password: 'plain-password' }],
    ] as const;

    for (const [what, login] of refusals) {
      it(`checked by the IdP (default): answers ${what} with the AuthnFailed error Response of a Duo refusal, no challenge`, async function () {
        const pending = ecp(login);
        const res = await pending;
        expect(res.status).to.equal(200);
        expect(res.headers.get('www-authenticate')).to.equal(null);
        expect(res.headers.get('content-type')).to.equal('text/xml');
        expect(res.headers.get('set-cookie')).to.equal(null);
        const { response } = parseEcpReply(await res.text());
        expect(response.getAttribute('InResponseTo')).to.equal(pending.id);
        expect(topStatus(response)).to.deep.equal([STATUS.requester, STATUS.authnFailed]);
        expect(response.getElementsByTagNameNS(NS.protocol, 'StatusMessage')[0]?.textContent).to.equal('An error occurred.');
        expect(childElements(response, NS.assertion, 'Assertion')).to.have.length(0);
        expect(idp.requests[0]).to.include({ outcome: 'unauthorized', status: 200 });
      });

      it(`checked by the web server: answers ${what} with 401, a Basic challenge and an HTML page`, async function () {
        await start({ passwordCheck: 'web-server' });
        const res = await ecp(login);
        expect(res.status).to.equal(401);
        expect(res.headers.get('www-authenticate')).to.equal('Basic realm="Shibboleth"');
        expect(res.headers.get('content-type')).to.match(/^text\/html/);
        expect(res.headers.get('set-cookie')).to.equal(null);
        expect(await res.text()).to.include('<title>401 Unauthorized</title>');
        expect(idp.requests[0]).to.include({ outcome: 'unauthorized', status: 401 });
      });
    }

    it('never runs Duo for a wrong password, whoever checks it', async function () {
      await ecp({ user: 'duo-user', password: 'nope', factor: 'push' });
      await start({ passwordCheck: 'web-server' });
      await ecp({ user: 'duo-user', password: 'nope', factor: 'push' });
      expect(idp.duo.attempts).to.have.length(0);
    });
  });

  describe('requests the IdP refuses', function () {
    it('unknown SP → 200 HTML error page', async function () {
      const res = await ecp({ user: 'plain-user', password: 'plain-password', request: { issuer: 'https://sp.example.org/shibboleth' } });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/html/);
      expect(await res.text()).to.include('Unsupported Request');
    });

    it('unknown ACS or a binding other than PAOS → 200 HTML error page', async function () {
      for (const request of [{ acs: 'https://evil.example.org/saml' }, { binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST' }]) {
        const res = await ecp({ user: 'plain-user', password: 'plain-password', request });
        expect(res.status).to.equal(200);
        expect(res.headers.get('content-type')).to.match(/^text\/html/);
        expect(await res.text()).to.include('Unable to Respond');
      }
    });

    it('no ProtocolBinding → 302 to the HTML login form', async function () {
      const res = await ecp({ user: 'plain-user', password: 'plain-password', request: { binding: null } });
      expect(res.status).to.equal(302);
      const location = res.headers.get('location') ?? '';
      expect(location).to.equal(`${idp.baseUrl}/idp/profile/SAML2/Redirect/SSO?execution=e1s1`);
      const form = await fetch(location);
      expect(form.status).to.equal(200);
      expect(form.headers.get('content-type')).to.match(/^text\/html/);
      expect(await form.text()).to.include('name="j_password"');
    });

    it('a body that is not a SOAP AuthnRequest, a PAOS media type, a replay or a stale request → SOAP Fault, HTTP 500', async function () {
      const replayed = authnRequest();
      await fetch(idp.url, { method: 'POST', headers: ecpHeaders({ user: 'plain-user', password: 'plain-password' }), body: replayed.xml });
      const cases: [string, RequestInit][] = [
        ['garbage', { body: 'this is not xml', headers: { 'Content-Type': 'text/xml' } }],
        ['not SOAP', { body: '<saml2p:AuthnRequest xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol"/>', headers: { 'Content-Type': 'text/xml' } }],
        ['PAOS media type', { body: authnRequest().xml, headers: { 'Content-Type': 'application/vnd.paos+xml' } }],
        ['replay', { body: replayed.xml, headers: ecpHeaders({ user: 'plain-user', password: 'plain-password' }) }],
        ['stale', { body: authnRequest({ issueInstant: new Date(Date.now() - 3_600_000).toISOString() }).xml, headers: { 'Content-Type': 'text/xml' } }],
        ['no time zone', { body: authnRequest({ issueInstant: new Date().toISOString().slice(0, 19) }).xml, headers: { 'Content-Type': 'text/xml' } }],
      ];
      for (const [what, init] of cases) {
        const res = await fetch(idp.url, { method: 'POST', ...init });
        expect(res.status, what).to.equal(500);
        expect(res.headers.get('content-type'), what).to.equal('text/xml');
        const fault = parseXmlStrict(await res.text()).getElementsByTagNameNS(NS.soap11, 'Fault')[0] as Element;
        expect(fault.getElementsByTagName('faultcode')[0]?.textContent, what).to.equal('soap11:Client');
      }
    });

    it('GET on the ECP endpoint → 405', async function () {
      const res = await fetch(idp.url);
      expect(res.status).to.equal(405);
      expect(res.headers.get('allow')).to.equal('POST');
    });
  });

  describe('IdP session', function () {
    async function loginCookie(): Promise<string> {
      const res = await ecp({ user: 'duo-user', password: 'duo-password', factor: 'push' });
      expect(res.status).to.equal(200);
      return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    }

    it('reuses the session without credentials or Duo', async function () {
      const cookie = await loginCookie();
      const res = await ecp({ cookie });
      expect(res.status).to.equal(200);
      expect(res.headers.get('set-cookie')).to.equal(null);
      expect(attributes(parseEcpReply(await res.text()).response).get(AWS_ATTRIBUTE.roleSessionName)).to.deep.equal(['duo-user@example.org']);
      expect(idp.duo.attempts).to.have.length(1);
      expect(idp.requests[1]).to.include({ usedSession: true, user: 'duo-user', outcome: 'success' });
    });

    it('ignores Basic credentials while the session lasts, as Shibboleth does', async function () {
      const cookie = await loginCookie();
      const res = await ecp({ cookie, user: 'plain-user', password: 'plain-password' });
      expect(attributes(parseEcpReply(await res.text()).response).get(AWS_ATTRIBUTE.roleSessionName)).to.deep.equal(['duo-user@example.org']);
    });

    it('ForceAuthn="true" ignores the session and runs Duo again', async function () {
      const cookie = await loginCookie();
      const forced = parseEcpReply(await (await ecp({ cookie, request: { forceAuthn: true } })).text()).response;
      expect(topStatus(forced)).to.deep.equal([STATUS.requester, STATUS.authnFailed]);
      const res = await ecp({ cookie, user: 'duo-user', password: 'duo-password', factor: 'push', request: { forceAuthn: true } });
      expect(res.status).to.equal(200);
      expect(res.headers.get('set-cookie')).to.match(/^shib_idp_session=/);
      expect(idp.duo.attempts).to.have.length(2);
    });

    it('an expired or unknown session needs credentials again', async function () {
      const cookie = await loginCookie();
      idp.expireSessions();
      await ecp({ cookie });
      await ecp({ cookie: 'shib_idp_session=forged' });
      expect(idp.requests.slice(1).map((request) => request.outcome)).to.deep.equal(['unauthorized', 'unauthorized']);
    });
  });

  describe('Duo', function () {
    it('push, phone and auto (also when no factor header is sent) hold the request until approved', async function () {
      idp.duo.pushDelayMs = 250;
      for (const factor of ['push', 'phone', 'auto', undefined]) {
        const started = Date.now();
        const res = await ecp({ user: 'duo-user', password: 'duo-password', factor });
        expect(res.status, String(factor)).to.equal(200);
        expect(Date.now() - started, String(factor)).to.be.at.least(240);
      }
      expect(idp.duo.attempts.map((a) => [a.factor, a.result])).to.deep.equal([['push', 'allow'], ['phone', 'allow'], ['auto', 'allow'], ['auto', 'allow']]);
    });

    it('a denied push → SAML error Response (Requester/AuthnFailed) in a 200 SOAP reply, no session', async function () {
      idp.duo.nextPush = 'deny';
      const pending = ecp({ user: 'duo-user', password: 'duo-password', factor: 'push' });
      const res = await pending;
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/xml');
      expect(res.headers.get('set-cookie')).to.equal(null);
      const { response, ecpAcs } = parseEcpReply(await res.text());
      expect(ecpAcs).to.equal(AWS_SIGNIN_URL.aws);
      expect(response.getAttribute('InResponseTo')).to.equal(pending.id);
      expect(topStatus(response)).to.deep.equal([STATUS.requester, STATUS.authnFailed]);
      expect(response.getElementsByTagNameNS(NS.protocol, 'StatusMessage')[0]?.textContent).to.equal('An error occurred.');
      expect(childElements(response, NS.assertion, 'Assertion')).to.have.length(0);
      expect(idp.duo.attempts[0]).to.include({ result: 'deny', message: 'Login request denied.' });
      expect(idp.requests[0]?.outcome).to.equal('duo-failed');
      expect(idp.duo.nextPush, 'nextPush is one-shot').to.equal('approve');
      expect((await ecp({ user: 'duo-user', password: 'duo-password', factor: 'push' })).status).to.equal(200);
    });

    it('gives a wrong password and a denied push byte-for-byte the same answer, apart from the IDs and times', async function () {
      const shape = async (login: Login): Promise<string> => {
        const res = await ecp(login);
        expect(res.status).to.equal(200);
        return (await res.text()).replace(/(ID|InResponseTo|IssueInstant)="[^"]*"/g, '$1=""');
      };
      idp.duo.nextPush = 'deny';
      const denied = await shape({ user: 'duo-user', password: 'duo-password', factor: 'push' });
      const wrongPassword = await shape({ user: 'duo-user', password: 'nope', factor: 'push' });
      expect(wrongPassword).to.equal(denied);
      expect(idp.requests.map((request) => request.outcome)).to.deep.equal(['duo-failed', 'unauthorized']);
    });

    it('with authnFailure "soap-fault": a denied push and a wrong password get the same SOAP Fault, HTTP 500', async function () {
      await start({ authnFailure: 'soap-fault' });
      idp.duo.nextPush = 'deny';
      for (const password of ['duo-password', 'nope']) {
        const res = await ecp({ user: 'duo-user', password, factor: 'push' });
        expect(res.status, password).to.equal(500);
        expect(res.headers.get('content-type')).to.equal('text/xml');
        const fault = parseXmlStrict(await res.text()).getElementsByTagNameNS(NS.soap11, 'Fault')[0] as Element;
        expect(fault.getElementsByTagName('faultcode')[0]?.textContent).to.equal('soap11:Client');
        expect(fault.getElementsByTagName('faultstring')[0]?.textContent).to.equal('An error occurred.');
      }
      expect(idp.requests.map((request) => request.outcome)).to.deep.equal(['duo-failed', 'unauthorized']);
    });

    it('a push nobody answers fails after the timeout', async function () {
      idp.duo.nextPush = 'timeout';
      idp.duo.timeoutMs = 400;
      const started = Date.now();
      const res = await ecp({ user: 'duo-user', password: 'duo-password', factor: 'phone' });
      expect(Date.now() - started).to.be.at.least(390);
      expect(topStatus(parseEcpReply(await res.text()).response)).to.deep.equal([STATUS.requester, STATUS.authnFailed]);
      expect(idp.duo.attempts[0]).to.include({ factor: 'phone', result: 'timeout', message: 'Login timed out.' });
    });

    it('passcodes: a valid one works once; wrong, reused or missing ones fail', async function () {
      const login = (passcode?: string) => ecp({ user: 'duo-user', password: 'duo-password', factor: 'passcode', passcode });
      expect((await login('123456')).status).to.equal(200);
      for (const passcode of ['123456', '999999', undefined]) {
        const res = await login(passcode);
        expect(topStatus(parseEcpReply(await res.text()).response), String(passcode)).to.deep.equal([STATUS.requester, STATUS.authnFailed]);
      }
      expect(idp.duo.attempts.map((a) => a.result)).to.deep.equal(['allow', 'deny', 'deny', 'deny']);
      expect(idp.duo.attempts[1]?.message).to.equal('Incorrect passcode. Please try again.');
    });

    it('sms sends codes and fails; one of those codes then logs in as a passcode', async function () {
      const first = await ecp({ user: 'duo-user', password: 'duo-password', factor: 'sms' });
      expect(topStatus(parseEcpReply(await first.text()).response)).to.deep.equal([STATUS.requester, STATUS.authnFailed]);
      const codes = idp.duo.smsCodesSent('duo-user');
      expect(codes).to.have.length(3);
      codes.forEach((c) => expect(c).to.match(/^\d{7}$/));
      expect(idp.duo.attempts[0]).to.include({ factor: 'sms', result: 'sent', message: 'New SMS passcodes sent.' });
      const second = await ecp({ user: 'duo-user', password: 'duo-password', factor: 'passcode', passcode: codes[1] });
      expect(second.status).to.equal(200);
      expect(idp.duo.smsCodesSent('plain-user')).to.deep.equal([]);
    });

    it('an unknown factor fails', async function () {
      const res = await ecp({ user: 'duo-user', password: 'duo-password', factor: 'yubikey' });
      expect(topStatus(parseEcpReply(await res.text()).response)).to.deep.equal([STATUS.requester, STATUS.authnFailed]);
      expect(idp.duo.attempts[0]?.message).to.equal('Invalid factor: yubikey');
    });

    it('reads the factor and passcode from configured header names only', async function () {
      await start({ factorHeader: 'X-Duo-Factor', passcodeHeader: 'X-Duo-Passcode' });
      const res = await ecp({ user: 'duo-user', password: 'duo-password', headers: { 'X-Duo-Factor': 'passcode', 'X-Duo-Passcode': '234567' } });
      expect(res.status).to.equal(200);
      await ecp({ user: 'duo-user', password: 'duo-password', factor: 'passcode', passcode: '123456' });
      expect(idp.duo.attempts.map((a) => a.factor)).to.deep.equal(['passcode', 'auto']);
    });

    it('sends a push or call to the device the device header names, auto when absent', async function () {
      for (const device of ['phone2', 'auto']) {
        const res = await ecp({ user: 'duo-user', password: 'duo-password', factor: 'push', headers: { 'X-Shibboleth-Duo-Device': device } });
        expect(res.status).to.equal(200);
        expect(parseEcpReply(await res.text()).response.getElementsByTagNameNS(NS.assertion, 'Assertion')).to.have.length(1);
      }
      await ecp({ user: 'duo-user', password: 'duo-password', factor: 'phone' });
      expect(idp.duo.attempts.map((a) => [a.factor, a.device, a.result])).to.deep.equal([['push', 'phone2', 'allow'], ['push', 'auto', 'allow'], ['phone', 'auto', 'allow']]);
    });

    it('a device the user does not have fails as Auth API\'s invalid parameter; a passcode ignores the device', async function () {
      const res = await ecp({ user: 'duo-user', password: 'duo-password', factor: 'push', headers: { 'X-Shibboleth-Duo-Device': 'phone9' } });
      expect(topStatus(parseEcpReply(await res.text()).response)).to.deep.equal([STATUS.requester, STATUS.authnFailed]);
      expect(idp.duo.attempts[0]?.message).to.equal('Invalid request parameters (device)');
      const passcode = await ecp({ user: 'duo-user', password: 'duo-password', factor: 'passcode', passcode: '123456', headers: { 'X-Shibboleth-Duo-Device': 'phone9' } });
      expect(passcode.status).to.equal(200);
      expect(idp.duo.attempts[1]?.result).to.equal('allow');
    });

    it('a client that hangs up during a push stops the wait', async function () {
      idp.duo.pushDelayMs = 5000;
      const abort = new AbortController();
      const pending = ecp({ user: 'duo-user', password: 'duo-password', factor: 'push', signal: abort.signal });
      await new Promise((resolve) => setTimeout(resolve, 100));
      abort.abort();
      await pending.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(idp.duo.attempts[0]?.result).to.equal('aborted');
      expect(idp.requests[0]?.outcome).to.equal('duo-aborted');
    });

    it('users are editable: a user without Duo enrolment skips the factor', async function () {
      const user = idp.users.get('duo-user');
      if (user) user.duo = false;
      expect((await ecp({ user: 'duo-user', password: 'duo-password', factor: 'push' })).status).to.equal(200);
      expect(idp.duo.attempts).to.have.length(0);
    });
  });

  describe('respondWith', function () {
    it('answers the next request only with an HTML page, a redirect, garbage or a raw reply', async function () {
      idp.respondWith('html-login-page');
      const page = await ecp({ user: 'plain-user', password: 'plain-password' });
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.match(/^text\/html/);
      expect((await ecp({ user: 'plain-user', password: 'plain-password' })).status, 'one request only').to.equal(200);

      idp.respondWith('redirect');
      const redirect = await ecp({ user: 'plain-user', password: 'plain-password' });
      expect(redirect.status).to.equal(302);
      expect(redirect.headers.get('location')).to.match(/\/idp\/profile\/SAML2\/Redirect\/SSO\?execution=e1s1$/);

      idp.respondWith('garbage');
      const garbage = await ecp({ user: 'plain-user', password: 'plain-password' });
      const garbageText = Buffer.from(await garbage.arrayBuffer()).toString('latin1');
      expect(() => parseXmlStrict(garbageText)).to.throw();

      idp.respondWith({ status: 503, headers: { 'Content-Type': 'text/plain', 'Retry-After': '1' }, body: 'down for maintenance' });
      const raw = await ecp({ user: 'plain-user', password: 'plain-password' });
      expect(raw.status).to.equal(503);
      expect(await raw.text()).to.equal('down for maintenance');
      expect(idp.requests.map((r) => r.outcome)).to.deep.equal(['canned', 'success', 'canned', 'canned', 'canned']);
    });

    it('streams a huge body until the client gives up', async function () {
      idp.respondWith('huge');
      const abort = new AbortController();
      const res = await ecp({ user: 'plain-user', password: 'plain-password', signal: abort.signal });
      const reader = res.body?.getReader();
      let received = 0;
      while (reader && received < 8 * 1024 * 1024) received += (await reader.read()).value?.length ?? 0;
      abort.abort();
      expect(received).to.be.at.least(8 * 1024 * 1024);
    });
  });
});
