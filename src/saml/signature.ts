/**
 * Optional verification of the IdP's XML signature (awsl_idp_certificate, awsl_idp_metadata_url).
 * Pure: XML and PEM certificates in, the verified Response out, or a SamlSignatureError.
 *
 * Only a Signature that is a direct child of the Response, or of the Response's one Assertion,
 * counts, and only when its single Reference points at that very parent (by ID) with the
 * enveloped-signature transform. What awsl then reads is the XML the signature covers, as
 * xml-crypto canonicalised and digested it (getSignedReferences): never the original document.
 * Signature-wrapping shapes (a second Assertion, the signed Assertion moved under Extensions or
 * ds:Object, comments in a NameID, attributes added outside the signed element) are refused or,
 * being outside what was signed, never read.
 */
import { X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { IdpResponseError } from '../errors.js';
import { NS, describeElement, parseXml, readable, sentenceStart, type XmlElement } from './xml.js';

const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** The signature is missing, does not verify, or covers the wrong element. Exit 9. */
export class SamlSignatureError extends IdpResponseError {}

export interface VerifiedResponse {
  /** The element the signature covers. */
  covers: 'Response' | 'Assertion';
  /** Exactly what the signature covers: canonical XML of that element, its Signature removed. */
  signedXml: string;
  /**
   * The Response to read the assertion from: the signed Response itself, or (only the Assertion
   * signed) the Response's unsigned status and addressing with the signed Assertion in it.
   */
  response: XmlElement;
}

const HINT = 'Check awsl_idp_certificate / awsl_idp_metadata_url: they must hold the certificate the IdP signs with. If the IdP rolled its key over, update them.';
/** For a signature that no longer matches what it signed, or a wrapping shape: no key would help. */
const TAMPERED_HINT = 'Something between the IdP and awsl altered the reply; do not update the IdP certificate for it. Try again, and report it to your IdP administrator if it repeats.';

/** The PEM certificates in a text (a bundle may hold several, during a key rollover); none is an empty list. */
export function pemCertificates(text: string): string[] {
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((match) => match[0]);
}

/** A certificate from metadata (base64 DER in ds:X509Certificate) as PEM; undefined when it is not one. */
export function certificateFromBase64(base64: string): string | undefined {
  const body = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
  const pem = `-----BEGIN CERTIFICATE-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
    return pem;
  } catch {
    return undefined;
  }
}

/**
 * Verifies the Response's or its Assertion's enveloped signature against any of `certificates`
 * (PEM). Unsigned input is refused. `what` names the source in messages.
 */
export function verifySamlSignature(responseXml: string, certificates: readonly string[], what: string): VerifiedResponse {
  if (certificates.length === 0) throw new SamlSignatureError(`No IdP certificate to verify ${what} with.`, HINT);
  // Size, DOCTYPE, depth and well-formedness first, with the same limits as everything else.
  const parsed = parseXml(responseXml, what);
  if (parsed.namespace !== NS.samlp || parsed.localName !== 'Response') {
    throw new SamlSignatureError(`${sentenceStart(what)} is ${describeElement(parsed)}, not a SAML 2.0 Response.`);
  }
  const document = parseDom(responseXml, what);
  const root = document.documentElement!;
  const assertions = elementChildren(root).filter((child) => child.namespaceURI === NS.saml && child.localName === 'Assertion');
  if (assertions.length > 1) throw new SamlSignatureError(`${sentenceStart(what)} contains ${assertions.length} Assertions where one is allowed; awsl refuses it.`);
  const encrypted = elementChildren(root).some((child) => child.namespaceURI === NS.saml && child.localName === 'EncryptedAssertion');
  const candidates: { parent: Element; covers: VerifiedResponse['covers']; signature: Element }[] = [];
  for (const [parent, covers] of [[root, 'Response'], ...assertions.map((assertion) => [assertion, 'Assertion'])] as [Element, VerifiedResponse['covers']][]) {
    const signatures = elementChildren(parent).filter((child) => child.namespaceURI === NS.ds && child.localName === 'Signature');
    if (signatures.length > 1) throw new SamlSignatureError(`${sentenceStart(what)}: the ${covers} has ${signatures.length} signatures where one is allowed; awsl refuses it.`);
    if (signatures[0]) candidates.push({ parent, covers, signature: signatures[0] });
  }
  if (candidates.length === 0 && encrypted) {
    // An encrypted assertion's own signature is inside the encryption, for AWS alone to check.
    throw new SamlSignatureError(`${sentenceStart(what)} carries an encrypted assertion and no Response signature, so awsl has no IdP signature it can verify, but this profile requires one.`,
      'Ask your IdP administrator to sign the Response as well, or leave the signature check to AWS: awsl login configure --idp-certificate "" --idp-metadata-url ""');
  }
  if (candidates.length === 0) {
    throw new SamlSignatureError(`${sentenceStart(what)} is not signed (neither the Response nor its Assertion carries a signature), but this profile requires a valid IdP signature.`, HINT);
  }
  // Every signature present must verify; the Response's, when there is one, is the one read from.
  const verified = candidates.map((candidate) => ({ ...candidate, signedXml: verifyOne(responseXml, candidate.parent, candidate.signature, candidate.covers, certificates, what) }));
  const chosen = verified.find((candidate) => candidate.covers === 'Response') ?? verified[0]!;
  const signedElement = parseXml(chosen.signedXml, `The part of ${what} its signature covers`);
  if (signedElement.namespace !== (chosen.covers === 'Response' ? NS.samlp : NS.saml) || signedElement.localName !== chosen.covers) {
    throw new SamlSignatureError(`${sentenceStart(what)}: the signature covers ${describeElement(signedElement)}, not the ${chosen.covers}.`);
  }
  if (chosen.covers === 'Response') return { covers: 'Response', signedXml: chosen.signedXml, response: signedElement };
  // Only the Assertion is signed: keep the Response's own attributes, status and issuer (unsigned, as
  // Shibboleth sends them) and replace its Assertion with the signed one; nothing else is read from it.
  const response: XmlElement = {
    ...parsed,
    children: parsed.children.map((child) => (child.namespace === NS.saml && child.localName === 'Assertion' ? signedElement : child)),
  };
  return { covers: 'Assertion', signedXml: chosen.signedXml, response };
}

function verifyOne(xml: string, parent: Element, signature: Element, covers: string, certificates: readonly string[], what: string): string {
  const id = parent.getAttribute('ID');
  if (!id) throw new SamlSignatureError(`${sentenceStart(what)}: the signed ${covers} has no ID.`);
  // Bounded work before any digest: one SignedInfo with one Reference and a few transforms (a
  // thousand References to the whole Response would each canonicalise it).
  const signedInfo = elementChildren(signature).filter((child) => child.namespaceURI === NS.ds && child.localName === 'SignedInfo');
  const references = signedInfo.length === 1 ? elementChildren(signedInfo[0]!).filter((child) => child.namespaceURI === NS.ds && child.localName === 'Reference') : [];
  if (references.length !== 1) {
    throw new SamlSignatureError(`${sentenceStart(what)}: the ${covers}'s signature has ${signedInfo.length === 1 ? `${references.length} references` : `${signedInfo.length} SignedInfo elements`} where awsl accepts exactly one.`);
  }
  const transforms = references[0]!.getElementsByTagNameNS(NS.ds, 'Transform').length;
  if (transforms > 4) throw new SamlSignatureError(`${sentenceStart(what)}: the ${covers}'s signature has ${transforms} transforms; awsl accepts at most 4.`);
  // Why each certificate failed: the signature value not made with its key, or (whatever the key)
  // the signed content or shape no longer matching the signature.
  let tampering: string | undefined;
  for (const certificate of certificates) {
    // Only the configured certificate: a KeyInfo in the message is never trusted (xml-crypto's default).
    const verifier = new SignedXml({ publicCert: certificate });
    try {
      verifier.loadSignature(signature);
      if (!verifier.checkSignature(xml)) {
        // xml-crypto checks the signature value first: the key signed this, the content changed since.
        tampering = 'the signed content no longer matches its digest';
        break;
      }
    } catch (error) {
      const problem = (error as Error).message;
      if (/^invalid signature: the signature value \S+ is incorrect/.test(problem)) {
        // Made by another key, unless the message names a configured certificate: then its SignedInfo was altered.
        if (embedsCertificate(signature, certificate)) tampering = 'its SignedInfo was altered after signing';
        continue;
      }
      tampering = lowerFirst(readable(problem.replace(/the signature value \S+ is incorrect/, 'the signature value is incorrect')));
      break;
    }
    const loaded = verifier.getReferences();
    const signed = verifier.getSignedReferences();
    if (loaded.length !== 1 || signed.length !== 1) {
      throw new SamlSignatureError(`${sentenceStart(what)}: the ${covers}'s signature has ${loaded.length} references where awsl accepts exactly one.`);
    }
    const reference = loaded[0]!;
    if (reference.uri !== `#${id}`) {
      throw new SamlSignatureError(`${sentenceStart(what)}: the ${covers}'s signature covers "${reference.uri ? readable(reference.uri, 80) : '(the whole document)'}", not the ${covers} it is in (#${readable(id, 80)}); awsl refuses it.`, TAMPERED_HINT);
    }
    if (!reference.transforms.includes(ENVELOPED)) {
      throw new SamlSignatureError(`${sentenceStart(what)}: the ${covers}'s signature is not an enveloped signature; awsl refuses it.`);
    }
    return signed[0]!;
  }
  if (tampering) {
    throw new SamlSignatureError(`The IdP signature of the ${covers} in ${what} does not verify: ${tampering}. The reply was altered after the IdP signed it; awsl refuses it.`, TAMPERED_HINT);
  }
  throw new SamlSignatureError(`The IdP signature of the ${covers} in ${what} does not verify against the configured IdP certificate: it was made with another key.`, HINT);
}

/** xml-crypto's words continue awsl's sentence. */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Whether the Signature's KeyInfo carries this very certificate. */
function embedsCertificate(signature: Element, certificatePem: string): boolean {
  const der = certificatePem.replace(/-----[A-Z ]+-----|\s+/g, '');
  const embedded = signature.getElementsByTagNameNS(NS.ds, 'X509Certificate');
  for (let index = 0; index < embedded.length; index += 1) {
    if ((embedded.item(index)?.textContent ?? '').replace(/\s+/g, '') === der) return true;
  }
  return false;
}

function parseDom(xml: string, what: string): Document {
  const problems: string[] = [];
  const record = (message: unknown): void => { problems.push(String(message)); };
  const document = new DOMParser({ errorHandler: { warning: () => undefined, error: record, fatalError: record } }).parseFromString(xml, 'text/xml');
  if (problems.length > 0 || !document.documentElement) {
    throw new SamlSignatureError(`${sentenceStart(what)} could not be parsed for signature verification: ${readable(problems[0] ?? 'no root element')}.`);
  }
  return document as unknown as Document;
}

function elementChildren(parent: Element): Element[] {
  const children: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) if (node.nodeType === 1) children.push(node as Element);
  return children;
}
