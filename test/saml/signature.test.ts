/**
 * Optional IdP signature verification (src/saml/signature.ts): what verifies, what is refused,
 * and that the roles come only from what the signature covers — against the signature-wrapping
 * shapes of the literature (second Assertion, signed Assertion moved under Extensions or
 * ds:Object, comment-injected NameID, attributes added outside the signed element).
 */
import { expect } from 'chai';
import { SignedXml } from 'xml-crypto';
import { IdpResponseError } from '../../src/errors.js';
import { readIdpMetadata } from '../../src/saml/metadata.js';
import { checkAssertion, readAssertion } from '../../src/saml/response.js';
import { certificateFromBase64, pemCertificates, SamlSignatureError, verifySamlSignature } from '../../src/saml/signature.js';
import { NS, parseXml, type XmlElement } from '../../src/saml/xml.js';
import { buildSamlResponse, throwawayKeyPair, type SamlResponseSpec } from '../peers/saml-fixtures.js';

const ADMIN = 'arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/idp';
const EVIL = 'arn:aws:iam::999999999999:role/Evil,arn:aws:iam::999999999999:saml-provider/idp';
const idp = () => throwawayKeyPair('signature-idp');
const other = () => throwawayKeyPair('signature-other');

function signed(spec: Partial<SamlResponseSpec> = {}) {
  return buildSamlResponse({ issuer: 'https://idp.example.org/idp', roles: [ADMIN], roleSessionName: 'alice', keyPair: idp(), ...spec });
}

/** The whole saml2:Assertion element of a built response. */
function assertionOf(xml: string): string {
  const match = /<saml2:Assertion[\s\S]*<\/saml2:Assertion>/.exec(xml);
  if (!match) throw new Error('no assertion');
  return match[0];
}

const withoutSignature = (xml: string) => xml.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '');
const verify = (xml: string, certificates = [idp().cert]) => verifySamlSignature(xml, certificates, 'the test Response');
const assertionIn = (response: XmlElement) => response.children.find((child) => child.namespace === NS.saml && child.localName === 'Assertion');
const hasSignature = (element: XmlElement | undefined) => element?.children.some((child) => child.namespace === NS.ds && child.localName === 'Signature');
const rolesOf = (xml: string, certificates?: string[]) => readAssertion(verify(xml, certificates).response).roles.map((role) => role.roleArn);

describe('saml/signature', () => {
  describe('what verifies', () => {
    it('an Assertion signed as Shibboleth signs it: roles are read from the signed Assertion', () => {
      const { xml } = signed();
      const result = verify(xml);
      expect(result.covers).to.equal('Assertion');
      expect(result.signedXml).to.match(/^<saml2:Assertion /).and.not.include('Signature');
      expect(readAssertion(result.response).roles.map((role) => role.roleArn)).to.deep.equal(['arn:aws:iam::111111111111:role/Admin']);
      // The Assertion read is the signed copy (its enveloped Signature left out), not the one received.
      expect(assertionIn(result.response)).to.deep.equal(parseXml(result.signedXml, 'signed'));
      expect(hasSignature(assertionIn(parseXml(xml, 'received')))).to.equal(true);
    });

    it('only the Assertion signed: the request it answers is the signed one, and a Response element naming another is refused', () => {
      const { xml } = signed({ inResponseTo: '_OLD' });
      const replayed = xml.replace(/(<saml2p:Response [^>]*)InResponseTo="_OLD"/, '$1InResponseTo="_NEW"');
      expect(replayed).to.not.equal(xml);
      const info = readAssertion(verify(replayed).response);
      expect(info).to.include({ inResponseTo: '_OLD', responseInResponseTo: '_NEW' });
      expect(() => checkAssertion(info, { inResponseTo: '_NEW', acsUrl: 'https://signin.aws.amazon.com/saml', now: new Date() }))
        .to.throw(IdpResponseError, 'says it answers request _NEW, but its Assertion answers request _OLD');
      expect(() => verify(xml.replace(/(<saml2:SubjectConfirmationData [^>]*)InResponseTo="_OLD"/, '$1InResponseTo="_NEW"'))).to.throw(SamlSignatureError);
    });

    it('a signed Response (with or without a signed Assertion in it): the Response is what is read', () => {
      for (const sign of ['response', 'both'] as const) {
        const { xml } = signed({ sign, inResponseTo: '_REQ' });
        const result = verify(xml);
        expect(result.covers, sign).to.equal('Response');
        expect(readAssertion(result.response)).to.include({ inResponseTo: '_REQ' });
        expect(result.response, sign).to.deep.equal(parseXml(result.signedXml, 'signed'));
        expect(hasSignature(result.response), sign).to.equal(false);
      }
    });

    it('any of several certificates (a key rollover), in any order', () => {
      expect(rolesOf(signed().xml, [other().cert, idp().cert])).to.have.length(1);
    });

    it('reads the certificates of a PEM bundle and of base64 metadata values', () => {
      expect(pemCertificates(`junk\n${idp().cert}\n${other().cert}`)).to.have.length(2);
      const base64 = idp().cert.replace(/-----[A-Z ]+-----|\s/g, '');
      expect(certificateFromBase64(`\n  ${base64}\n`)).to.include('BEGIN CERTIFICATE');
      expect(certificateFromBase64('not base64!')).to.equal(undefined);
    });
  });

  describe('what is refused', () => {
    it('unsigned input, naming the signature', () => {
      expect(() => verify(signed({ sign: 'none' }).xml)).to.throw(SamlSignatureError, /not signed/);
    });

    it('a signature by another key: exit 9, naming the signature', () => {
      const error = catchError(() => verify(signed().xml, [other().cert]));
      expect(error).to.be.instanceOf(SamlSignatureError).and.instanceOf(IdpResponseError);
      expect((error as IdpResponseError).exitCode).to.equal(9);
      expect((error as Error).message).to.equal('The IdP signature of the Assertion in the test Response does not verify against the configured IdP certificate: it was made with another key.');
      expect((error as IdpResponseError).hint).to.include('If the IdP rolled its key over, update them.');
    });

    it('tampering is named as such, with no advice to update the certificate: content, SignedInfo, wrapping', () => {
      const { xml } = signed();
      const { xml: byAnotherKey } = signed({ keyPair: other() });
      const cases: [string, string, RegExp][] = [
        ['content', xml.replace('role/Admin', 'role/Evil'), /does not verify: the signed content no longer matches its digest\. The reply was altered after the IdP signed it; awsl refuses it\.$/],
        ['DigestValue', xml.replace(/<ds:DigestValue>./, (start) => `${start.slice(0, -1)}${start.endsWith('A') ? 'B' : 'A'}`), /does not verify: the signed content no longer matches its digest\./],
        // The message carries the configured certificate, so the key is right and what it signed changed.
        ['SignedInfo', xml.replace('<ds:SignedInfo>', '<ds:SignedInfo Id="altered">'), /does not verify: its SignedInfo was altered after signing\./],
        ['wrapping', xml.replace(assertionOf(xml), `<saml2p:Extensions>${assertionOf(xml)}</saml2p:Extensions>${assertionOf(xml).replace(/ID="[^"]+"/, 'ID="_forged"')}`), /not the Assertion it is in \(#_forged\)|does not verify: cannot validate a document which contains multiple Signature elements/],
      ];
      for (const [what, tampered, message] of cases) {
        const error = catchError(() => verify(tampered)) as IdpResponseError;
        expect(error, what).to.be.instanceOf(SamlSignatureError);
        expect(error.message, `${what}: ${error.message}`).to.match(message);
        expect(error.hint, what).to.include('do not update the IdP certificate').and.not.include('rolled');
      }
      // Another key's signature over content that was never altered: the certificate advice.
      expect((catchError(() => verify(byAnotherKey)) as IdpResponseError).hint).to.include('rolled its key over');
    });

    it('a Role added inside the signed Assertion (the digest no longer matches)', () => {
      const { xml } = signed();
      const tampered = xml.replace(`>${ADMIN.replace(/,/g, ',')}<`, `>${ADMIN}</saml2:AttributeValue><saml2:AttributeValue>${EVIL}<`);
      expect(tampered).to.not.equal(xml);
      expect(() => verify(tampered)).to.throw(SamlSignatureError, /does not verify/);
    });

    it('a second, unsigned Assertion next to the signed one', () => {
      const { xml } = signed();
      const evil = withoutSignature(assertionOf(signed({ roles: [EVIL] }).xml));
      expect(() => verify(xml.replace('</saml2p:Response>', `${evil}</saml2p:Response>`))).to.throw(SamlSignatureError, /2 Assertions/);
    });

    it('the signed Assertion moved under samlp:Extensions, an unsigned one in its place', () => {
      const { xml } = signed();
      const original = assertionOf(xml);
      const evil = withoutSignature(assertionOf(signed({ roles: [EVIL] }).xml));
      const wrapped = xml.replace(original, `<saml2p:Extensions>${original}</saml2p:Extensions>${evil}`);
      expect(() => verify(wrapped)).to.throw(SamlSignatureError, /not signed/);
    });

    it('the signed Assertion moved under samlp:Extensions, its signature moved into the forged one', () => {
      // The digest of the moved Assertion still matches (the enveloped signature is what was left out
      // of it), so xml-crypto accepts the signature: awsl refuses it for not covering its own parent.
      const { xml, assertionId } = signed();
      const original = assertionOf(xml);
      const forged = original.replace(`ID="${assertionId}"`, 'ID="_forged"').replace(ADMIN, EVIL);
      const wrapped = xml.replace(original, `<saml2p:Extensions>${withoutSignature(original)}</saml2p:Extensions>${forged}`);
      expect(() => verify(wrapped)).to.throw(SamlSignatureError, /covers "#_[0-9a-f]+", not the Assertion it is in \(#_forged\)/);
    });

    it('the signed Assertion moved under samlp:Extensions, its signature copied into the forged one', () => {
      const { xml, assertionId } = signed();
      const original = assertionOf(xml);
      const forged = original.replace(`ID="${assertionId}"`, 'ID="_forged"').replace(ADMIN, EVIL);
      const wrapped = xml.replace(original, `<saml2p:Extensions>${original}</saml2p:Extensions>${forged}`);
      expect(() => verify(wrapped)).to.throw(SamlSignatureError, /does not verify: cannot validate a document which contains multiple Signature elements with the same SignatureValue/);
    });

    it('the same, with the forged Assertion carrying the signed one\'s ID', () => {
      const { xml } = signed();
      const original = assertionOf(xml);
      const forged = original.replace(ADMIN, EVIL);
      const wrapped = xml.replace(original, `<saml2p:Extensions>${original}</saml2p:Extensions>${forged}`);
      expect(() => verify(wrapped)).to.throw(SamlSignatureError, /same value for the ID|does not verify/);
    });

    it('the signed Assertion hidden in a ds:Object of the forged Assertion\'s signature', () => {
      const { xml, assertionId } = signed();
      const original = assertionOf(xml);
      const forged = original.replace(`ID="${assertionId}"`, 'ID="_forged"').replace(ADMIN, EVIL)
        .replace('</ds:Signature>', `<ds:Object>${original}</ds:Object></ds:Signature>`);
      expect(() => verify(xml.replace(original, forged))).to.throw(SamlSignatureError);
    });

    it('a signed Response wrapped in a forged Response', () => {
      const { xml } = signed({ sign: 'both' });
      const evil = withoutSignature(assertionOf(signed({ roles: [EVIL], sign: 'none' }).xml));
      const wrapper = `<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" ID="_wrapper" Version="2.0"><saml2p:Extensions>${xml}</saml2p:Extensions>${evil}</saml2p:Response>`;
      expect(() => verify(wrapper)).to.throw(SamlSignatureError, /not signed/);
    });

    it('a signature whose reference is the whole document (URI="")', () => {
      const { xml, id } = signed({ sign: 'none' });
      const signer = new SignedXml({ privateKey: idp().key, publicCert: idp().cert, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
      signer.addReference({ xpath: `//*[@ID='${id}']`, isEmptyUri: true, transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
      signer.computeSignature(xml, { prefix: 'ds', location: { reference: `//*[@ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' } });
      expect(() => verify(signer.getSignedXml())).to.throw(SamlSignatureError, /whole document/);
    });

    it('HMAC signatures, which would take the public certificate for a shared secret', () => {
      const { xml } = signed();
      const hmac = xml.replace('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2000/09/xmldsig#hmac-sha1');
      expect(() => verify(hmac)).to.throw(SamlSignatureError);
    });

    it('DOCTYPEs and entities, before any signature processing', () => {
      const { xml } = signed();
      const laughs = `<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>${xml}`;
      expect(() => verify(laughs)).to.throw(IdpResponseError, /DOCTYPE/);
    });

    it('no certificate at all', () => {
      expect(() => verify(signed().xml, [])).to.throw(SamlSignatureError, /No IdP certificate/);
    });
  });

  describe('what is ignored because it is outside the signed element', () => {
    it('a Role attribute added to the Response outside the signed Assertion', () => {
      const { xml } = signed();
      const statement = `<saml2:AttributeStatement xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"><saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml2:AttributeValue>${EVIL}</saml2:AttributeValue></saml2:Attribute></saml2:AttributeStatement>`;
      const extended = xml.replace('</saml2p:Response>', `<saml2p:Extensions>${statement}</saml2p:Extensions>${statement}</saml2p:Response>`);
      expect(rolesOf(extended)).to.deep.equal(['arn:aws:iam::111111111111:role/Admin']);
    });

    it('a comment injected into the NameID and a Role value: the whole signed text is read, not its first piece', () => {
      const { xml } = signed({ nameId: 'admin@example.com.evil.example' });
      const injected = xml.replace('admin@example.com.evil.example<', 'admin@example.com<!-- x -->.evil.example<')
        .replace('role/Admin,', 'role/Ad<!---->min,');
      expect(injected).to.not.equal(xml);
      const info = readAssertion(verify(injected).response);
      expect(info.subject).to.equal('admin@example.com.evil.example');
      expect(info.roles.map((role) => role.roleArn)).to.deep.equal(['arn:aws:iam::111111111111:role/Admin']);
    });
  });

  describe('what awsl reads is what was signed, however it is written', () => {
    it('a CDATA section is literal text, as in the signed copy: no entity inside it is decoded', () => {
      const { xml } = signed({ roleSessionName: 'a&amp;b' });
      const cdata = xml.replace('>a&amp;amp;b<', '><![CDATA[a&amp;b]]><');
      expect(cdata).to.not.equal(xml);
      // c14n writes CDATA as text: the signature still verifies, and both readings agree.
      expect(readAssertion(verify(cdata).response).roleSessionName).to.equal('a&amp;b');
      expect(readAssertion(parseXml(cdata, 'received')).roleSessionName).to.equal('a&amp;b');
    });
  });

  describe('IdP metadata', () => {
    const metadata = (descriptors: string) => `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.org/idp">${descriptors}</md:EntityDescriptor>`;
    const key = (pem: string, use?: string) => `<md:KeyDescriptor${use ? ` use="${use}"` : ''}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${pem.replace(/-----[A-Z ]+-----/g, '')}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;

    it('takes the signing certificates of the IDPSSODescriptor, not the encryption ones', () => {
      const xml = metadata(`<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${key(idp().cert, 'signing')}${key(other().cert, 'encryption')}</md:IDPSSODescriptor>`);
      const read = readIdpMetadata(xml, 'test');
      expect(read.entityId).to.equal('https://idp.example.org/idp');
      expect(read.signingCertificates).to.have.length(1);
      expect(rolesOf(signed().xml, read.signingCertificates)).to.have.length(1);
    });

    it('refuses metadata without an IdP, with several IdPs, without a certificate, or with a DOCTYPE', () => {
      expect(() => readIdpMetadata(metadata('<md:SPSSODescriptor/>'), 'test')).to.throw(IdpResponseError, '0 identity providers');
      const idpDescriptor = `<md:IDPSSODescriptor>${key(idp().cert)}</md:IDPSSODescriptor>`;
      const two = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${metadata(idpDescriptor)}${metadata(idpDescriptor)}</md:EntitiesDescriptor>`;
      expect(() => readIdpMetadata(two, 'test')).to.throw(IdpResponseError, '2 identity providers');
      expect(() => readIdpMetadata(metadata('<md:IDPSSODescriptor/>'), 'test')).to.throw(IdpResponseError, 'no signing certificate');
      expect(() => readIdpMetadata(`<!DOCTYPE x SYSTEM "file:///etc/passwd">${metadata(idpDescriptor)}`, 'test')).to.throw(IdpResponseError, 'DOCTYPE');
    });
  });

  describe('encrypted assertions', () => {
    const aws = () => throwawayKeyPair('aws-saml-provider');

    it('a signed Response around an EncryptedAssertion verifies, and what is read is the encrypted shape', () => {
      const result = verify(signed({ encryptFor: aws().cert, sign: 'response' }).xml);
      expect(result.covers).to.equal('Response');
      expect(readAssertion(result.response)).to.include({ encrypted: true });
    });

    it('only a signature inside the encryption: refused, saying why and what to do', () => {
      const error = catchError(() => verify(signed({ encryptFor: aws().cert, sign: 'assertion' }).xml));
      expect(error).to.be.instanceOf(SamlSignatureError);
      expect((error as SamlSignatureError).describe()).to.equal('The test Response carries an encrypted assertion and no Response signature, so awsl has no IdP signature it can verify, but this profile requires one.\n'
        + 'Ask your IdP administrator to sign the Response as well, or leave the signature check to AWS: awsl login configure --idp-certificate "" --idp-metadata-url ""');
    });
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
