import { expect } from 'chai';
import { buildEcpAuthnRequest, formatIssueInstant, newRequestId, SoapFaultError, unwrapEcpReply } from '../../src/saml/ecp.js';
import { IdpResponseError } from '../../src/errors.js';
import { parseXml, NS } from '../../src/saml/xml.js';

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
    it('returns the Response element with the namespaces it inherits, whatever the prefixes', () => {
      const reply = unwrapEcpReply(envelope(RESPONSE_BODY, 'soap11'), 'https://idp');
      const xml = Buffer.from(reply.samlResponse, 'base64').toString('utf8');
      expect(xml.startsWith('<samlp:Response xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/" xmlns:samlp=')).to.equal(true);
      expect(xml.endsWith('</samlp:Response>')).to.equal(true);
      expect(reply.response.namespace).to.equal(NS.samlp);
      expect(reply.response.attributes.InResponseTo).to.equal('_ABC');
      expect(reply.ecpAcsUrl).to.equal('https://signin.aws.amazon.com/saml');
    });

    it('turns a SOAP fault into a SoapFaultError with the fault text', () => {
      const fault = '<S:Fault><faultcode>S:Server</faultcode><faultstring>Duo authentication denied</faultstring></S:Fault>';
      expect(() => unwrapEcpReply(envelope(fault, 'S'), 'https://idp')).to.throw(SoapFaultError, 'Duo authentication denied');
    });

    it('refuses XML that is not a SOAP envelope, HTML, DOCTYPEs and entity declarations', () => {
      expect(() => unwrapEcpReply(RESPONSE_BODY, 'https://idp')).to.throw(IdpResponseError, 'not a SOAP envelope');
      expect(() => unwrapEcpReply('<html><body>Login</body>', 'https://idp')).to.throw(IdpResponseError, 'not well-formed');
      expect(() => unwrapEcpReply('<!DOCTYPE lolz [<!ENTITY lol "lol">]><lolz>&lol;</lolz>', 'https://idp')).to.throw(IdpResponseError, 'DOCTYPE');
    });

    it('refuses two elements in the SOAP body', () => {
      expect(() => unwrapEcpReply(envelope(RESPONSE_BODY + RESPONSE_BODY), 'https://idp')).to.throw(IdpResponseError, 'no single element');
    });

    it('refuses deeply nested input without overflowing the stack', () => {
      const deep = `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`;
      expect(() => unwrapEcpReply(envelope(deep), 'https://idp')).to.throw(IdpResponseError);
    });
  });
});
