import { expect } from 'chai';
import { buildEcpAuthnRequest, formatIssueInstant, newRequestId, SoapFaultError, unwrapEcpReply } from '../../src/saml/ecp.js';
import { IdpResponseError } from '../../src/errors.js';
import { verifySamlSignature } from '../../src/saml/signature.js';
import { parseXml, NS } from '../../src/saml/xml.js';
import { buildSamlResponse, throwawayKeyPair } from '../peers/saml-fixtures.js';
import { available as xmlsec1Available, xmlsec1Verify } from '../peers/xmlsec1.js';
import { requirePeer } from '../support/peers.js';

const RESPONSE_BODY = '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" InResponseTo="_ABC" Version="2.0"><saml:Issuer>idp</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>';

function envelope(body: string, prefix = 'SOAP-ENV'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${prefix}:Envelope xmlns:${prefix}="http://schemas.xmlsoap.org/soap/envelope/" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><${prefix}:Header><ecp:Response xmlns:ecp="urn:oasis:names:tc:SAML:2.0:profiles:SSO:ecp" ${prefix}:mustUnderstand="1" ${prefix}:actor="http://schemas.xmlsoap.org/soap/actor/next" AssertionConsumerServiceURL="https://signin.aws.amazon.com/saml"/></${prefix}:Header><${prefix}:Body>${body}</${prefix}:Body></${prefix}:Envelope>`;
}

describe('saml/ecp', () => {
  describe('buildEcpAuthnRequest', () => {
    it('builds the PAOS AuthnRequest awscli-login sends, byte for byte', () => {
      const xml = buildEcpAuthnRequest({ id: '_37435E75D88945F3A8ECFD538C1F6BCC', issueInstant: new Date('2018-04-05T16:06:50.123Z'), acsUrl: 'https://signin.aws.amazon.com/saml' });
      expect(xml).to.equal('<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol">'
        + '<S:Body><saml2p:AuthnRequest AssertionConsumerServiceURL="https://signin.aws.amazon.com/saml" ID="_37435E75D88945F3A8ECFD538C1F6BCC" IssueInstant="2018-04-05T16:06:50Z" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:PAOS" Version="2.0">'
        + '<saml2:Issuer>urn:amazon:webservices</saml2:Issuer></saml2p:AuthnRequest></S:Body></S:Envelope>');
    });

    it('uses the partition ACS URL and can force a fresh login', () => {
      const xml = buildEcpAuthnRequest({ id: '_A', issueInstant: new Date(0), acsUrl: 'https://signin.amazonaws-us-gov.com/saml', forceAuthn: true });
      const request = parseXml(xml, 'request').children[0]!.children[0]!;
      expect(request.attributes.AssertionConsumerServiceURL).to.equal('https://signin.amazonaws-us-gov.com/saml');
      expect(request.attributes.ForceAuthn).to.equal('true');
    });

    it('makes request IDs that start with an underscore and an IssueInstant that ends in Z', () => {
      expect(newRequestId('0a1b')).to.equal('_0A1B');
      expect(formatIssueInstant(new Date('2026-01-02T03:04:05.678Z'))).to.equal('2026-01-02T03:04:05Z');
    });
  });

  describe('unwrapEcpReply', () => {
    it('returns the Response element, whatever the prefixes, without the envelope\'s declarations it does not use', () => {
      const reply = unwrapEcpReply(envelope(RESPONSE_BODY, 'soap11'), 'https://idp');
      const xml = Buffer.from(reply.samlResponse, 'base64').toString('utf8');
      expect(xml).to.equal(RESPONSE_BODY);
      expect(reply.response.namespace).to.equal(NS.samlp);
      expect(reply.response.attributes.InResponseTo).to.equal('_ABC');
      expect(reply.ecpAcsUrl).to.equal('https://signin.aws.amazon.com/saml');
    });

    it('adds the envelope\'s declarations of the prefixes the Response uses: in element and attribute names and in xsi:type values', () => {
      const body = '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0"><saml:Issuer>idp</saml:Issuer>'
        + '<saml:Assertion xmlns:xsd="urn:redeclared"><saml:AttributeValue xsi:type="xsd:string" ds:extra="1"/></saml:Assertion>'
        + '<saml:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:int"/></samlp:Response>';
      const reply = `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`
        + ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:unused="urn:unused">'
        + `<S:Body>${body}</S:Body></S:Envelope>`;
      const xml = Buffer.from(unwrapEcpReply(reply, 'https://idp').samlResponse, 'base64').toString('utf8');
      const declared = /^<samlp:Response([^>]*)>/.exec(xml)![1]!.match(/xmlns:\w+/g);
      // xsd is redeclared where it is used, xsi is used both inside and outside its own declaration.
      expect(declared).to.have.members(['xmlns:samlp', 'xmlns:saml', 'xmlns:xsi', 'xmlns:xs', 'xmlns:ds']);
      expect(xml.slice(xml.indexOf('>') + 1)).to.equal(body.slice(body.indexOf('>') + 1));
      expect(parseXml(xml, 'the slice').children.map((child) => child.namespace)).to.deep.equal([NS.saml, NS.saml, NS.saml]);
    });

    it('names a SAML 1.x Response in the SOAP body as such', () => {
      const saml1 = RESPONSE_BODY.replace('urn:oasis:names:tc:SAML:2.0:protocol', 'urn:oasis:names:tc:SAML:1.0:protocol');
      expect(() => unwrapEcpReply(envelope(saml1), 'https://idp')).to.throw(IdpResponseError, 'The reply of https://idp carries a SAML 1.x Response, not a SAML 2.0 Response.');
    });

    it('turns a SOAP fault into a SoapFaultError with the fault text', () => {
      const fault = '<S:Fault><faultcode>S:Server</faultcode><faultstring>Duo authentication denied</faultstring></S:Fault>';
      expect(() => unwrapEcpReply(envelope(fault, 'S'), 'https://idp')).to.throw(SoapFaultError, 'Duo authentication denied')
        .with.property('faultCode', 'Server');
    });

    it('refuses XML that is not a SOAP envelope, HTML, DOCTYPEs and entity declarations', () => {
      expect(() => unwrapEcpReply(RESPONSE_BODY, 'https://idp')).to.throw(IdpResponseError, 'not a SOAP envelope');
      expect(() => unwrapEcpReply('<html><body>Login</body>', 'https://idp')).to.throw(IdpResponseError, 'not well-formed');
      expect(() => unwrapEcpReply('<!DOCTYPE lolz [<!ENTITY lol "lol">]><lolz>&lol;</lolz>', 'https://idp')).to.throw(IdpResponseError, 'DOCTYPE');
    });

    it('refuses two elements in the SOAP body', () => {
      expect(() => unwrapEcpReply(envelope(RESPONSE_BODY + RESPONSE_BODY), 'https://idp')).to.throw(IdpResponseError, 'no single element');
    });

    describe('the bytes that go to STS still verify (xmlsec1 as the judge)', () => {
      const keyPair = () => throwawayKeyPair('ecp-bytes');
      // Shibboleth-style envelope: declarations the Response does not use, and xsd for its xsi:type values.
      const wrap = (response: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<soap11:Envelope xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:unused="urn:example:unused">`
        + '<soap11:Header><ecp:Response xmlns:ecp="urn:oasis:names:tc:SAML:2.0:profiles:SSO:ecp" soap11:mustUnderstand="1" soap11:actor="http://schemas.xmlsoap.org/soap/actor/next" AssertionConsumerServiceURL="https://signin.aws.amazon.com/saml"/></soap11:Header>'
        + `<soap11:Body>${response}</soap11:Body></soap11:Envelope>`;

      before(function () {
        requirePeer(this, xmlsec1Available(), 'xmlsec1 (Debian xmlsec1)');
      });

      // Inclusive c14n signs every declaration in scope, so the Response must arrive with none added;
      // an exclusive-c14n IdP that leaves xsd (used only in xsi:type values) to the envelope needs it added.
      for (const [canonicalization, declareXsd] of [['inclusive', true], ['exclusive', false]] as const) {
        for (const sign of ['response', 'assertion'] as const) {
          it(`the ${sign} signed with ${canonicalization} c14n, in an envelope declaring prefixes it does not use${declareXsd ? '' : ' and xsd'}`, async () => {
            const built = buildSamlResponse({ issuer: 'https://idp.example.org/idp', roles: ['arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/idp'],
              roleSessionName: 'alice', keyPair: keyPair(), sign, canonicalization, declareXsd });
            const sent = Buffer.from(unwrapEcpReply(wrap(built.xml), 'https://idp').samlResponse, 'base64').toString('utf8');
            const judged = await xmlsec1Verify(sent, keyPair().cert, sign === 'response' ? 'Response' : 'Assertion');
            expect(judged.verified, judged.output).to.equal(true);
            expect(judged.output).to.match(/^OK/m);
            expect(verifySamlSignature(sent, [keyPair().cert], 'the sliced Response').covers).to.equal(sign === 'response' ? 'Response' : 'Assertion');
            expect(sent).to.not.include('urn:example:unused').and.not.include('soap11');
            expect(sent.startsWith(declareXsd ? built.xml : `<saml2p:Response xmlns:xsd="http://www.w3.org/2001/XMLSchema" ${built.xml.slice('<saml2p:Response '.length)}`)).to.equal(true);
          });
        }
      }
    });

    it('refuses deeply nested input without overflowing the stack', () => {
      const deep = `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`;
      expect(() => unwrapEcpReply(envelope(deep), 'https://idp')).to.throw(IdpResponseError);
    });
  });
});
