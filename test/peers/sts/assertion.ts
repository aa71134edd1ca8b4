/**
 * What STS reads from a SAMLAssertion, taken only from XML whose signature verified against the
 * provider's certificate (never from the certificate in KeyInfo, never from unsigned siblings).
 */
import { SignedXml } from 'xml-crypto';
import { AWS_ATTRIBUTE, NS, STATUS, childElement, childElements, parseXmlStrict } from '../saml-fixtures.js';
import { decryptAssertion } from './decrypt.js';

export class StsError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

export interface SamlClaims {
  issuer: string;
  nameId: string;
  nameIdFormat?: string;
  destination?: string;
  recipients: string[];
  audiences: string[];
  notBefore: Date[];
  notOnOrAfter: Date[];
  /** Each Role value as a (role, provider) pair; values that are not such a pair are dropped. */
  roles: { roleArn: string; principalArn: string }[];
  roleSessionName?: string;
  sessionDuration?: string;
  sourceIdentity?: string;
  /** PrincipalTag:KEY attributes, key → value: the session tags STS attaches. */
  sessionTags: Record<string, string>;
  /** The assertion came encrypted. */
  encrypted: boolean;
}

/** How the SAML provider in IAM takes encrypted assertions (AssertionEncryptionMode, AddPrivateKey). */
export interface AssertionEncryption {
  privateKeyPem: string;
  mode: 'Allowed' | 'Required';
}

const invalid = (message: string): StsError => new StsError('InvalidIdentityToken', message);

function text(el: Element | undefined): string {
  return (el?.textContent ?? '').trim();
}

function instant(value: string | null | undefined): Date[] {
  if (!value) return [];
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid(`Invalid time value in SAML assertion: ${value}`);
  return [date];
}

/** Verifies one enveloped signature and returns the element it signed, re-parsed from the signed bytes. */
function signedElement(xml: string, signature: Element, signedId: string | null, certPem: string): Element {
  const references = childElements(childElement(signature, NS.ds, 'SignedInfo') ?? signature, NS.ds, 'Reference');
  // One reference, to the element that holds the signature: anything else invites wrapping attacks.
  if (!signedId || references.length !== 1 || references[0]?.getAttribute('URI') !== `#${signedId}`) {
    throw invalid('Response signature invalid');
  }
  const verifier = new SignedXml({ publicCert: certPem, getCertFromKeyInfo: () => null });
  let signedXml: string | undefined;
  try {
    verifier.loadSignature(signature);
    if (verifier.checkSignature(xml)) signedXml = verifier.getSignedReferences()[0];
  } catch {
    signedXml = undefined;
  }
  if (!signedXml) throw invalid('Response signature invalid');
  return parseXmlStrict(signedXml).documentElement;
}

function parseRole(value: string): { roleArn: string; principalArn: string } | undefined {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length !== 2) return undefined;
  const roleArn = parts.find((p) => /^arn:[\w-]+:iam::\d{12}:role\//.test(p));
  const principalArn = parts.find((p) => /^arn:[\w-]+:iam::\d{12}:saml-provider\//.test(p));
  return roleArn && principalArn ? { roleArn, principalArn } : undefined;
}

export function readSamlAssertion(base64: string, certPem: string, encryption?: AssertionEncryption): SamlClaims {
  const compact = base64.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) throw invalid('Invalid base64 SAMLResponse');
  const xml = Buffer.from(compact, 'base64').toString('utf8');
  let response: Element;
  try {
    response = parseXmlStrict(xml).documentElement;
  } catch {
    throw invalid('Invalid SAML response: not well-formed XML');
  }
  if (response.namespaceURI !== NS.protocol || response.localName !== 'Response') throw invalid('Invalid SAML response: the root element is not a SAML 2.0 Response');
  const statusCode = childElement(childElement(response, NS.protocol, 'Status') ?? response, NS.protocol, 'StatusCode');
  if (statusCode?.getAttribute('Value') !== STATUS.success) throw invalid('SAML response status is not Success');
  const encryptedAssertions = childElements(response, NS.assertion, 'EncryptedAssertion');
  if (encryptedAssertions.length && !encryption) throw invalid('Encrypted assertions are not accepted for this provider');
  const assertions = childElements(response, NS.assertion, encryptedAssertions.length ? 'EncryptedAssertion' : 'Assertion');
  if (assertions.length !== 1 || (encryptedAssertions.length && childElements(response, NS.assertion, 'Assertion').length)) {
    throw invalid(`Expected exactly one Assertion in the SAML response, found ${assertions.length}`);
  }
  if (!encryptedAssertions.length && encryption?.mode === 'Required') throw invalid('The SAML provider requires encrypted assertions');

  const responseSignature = childElement(response, NS.ds, 'Signature');
  const signedResponse = responseSignature && signedElement(xml, responseSignature, response.getAttribute('ID'), certPem);
  // An encrypted assertion is decrypted from the signed Response when that is signed, and its own signature checked on the plaintext.
  const [assertionXml, unsignedAssertion] = encryptedAssertions.length
    ? decrypted(childElement(signedResponse ?? response, NS.assertion, 'EncryptedAssertion') as Element, encryption as AssertionEncryption)
    : [xml, assertions[0] as Element];
  const assertionSignature = childElement(unsignedAssertion, NS.ds, 'Signature');
  if (!responseSignature && !assertionSignature) throw invalid('Response signature invalid: neither the Response nor the Assertion is signed');
  const assertion = assertionSignature
    ? signedElement(assertionXml, assertionSignature, unsignedAssertion.getAttribute('ID'), certPem)
    : encryptedAssertions.length ? unsignedAssertion : childElement(signedResponse as Element, NS.assertion, 'Assertion') as Element;

  const subject = childElement(assertion, NS.assertion, 'Subject');
  const nameId = subject && childElement(subject, NS.assertion, 'NameID');
  const confirmations = (subject ? childElements(subject, NS.assertion, 'SubjectConfirmation') : [])
    .filter((c) => c.getAttribute('Method') === 'urn:oasis:names:tc:SAML:2.0:cm:bearer')
    .flatMap((c) => childElements(c, NS.assertion, 'SubjectConfirmationData'));
  if (!confirmations.length) throw invalid('SAML assertion has no bearer SubjectConfirmationData');
  const conditions = childElement(assertion, NS.assertion, 'Conditions');
  const attributes = new Map<string, string[]>();
  for (const statement of childElements(assertion, NS.assertion, 'AttributeStatement')) {
    for (const attribute of childElements(statement, NS.assertion, 'Attribute')) {
      attributes.set(attribute.getAttribute('Name') ?? '', childElements(attribute, NS.assertion, 'AttributeValue').map(text));
    }
  }
  return {
    issuer: text(childElement(assertion, NS.assertion, 'Issuer')),
    nameId: text(nameId),
    nameIdFormat: nameId?.getAttribute('Format') ?? undefined,
    destination: (signedResponse ?? response).getAttribute('Destination') ?? undefined,
    recipients: confirmations.map((c) => c.getAttribute('Recipient') ?? ''),
    audiences: (conditions ? childElements(conditions, NS.assertion, 'AudienceRestriction') : [])
      .flatMap((r) => childElements(r, NS.assertion, 'Audience').map(text)),
    notBefore: instant(conditions?.getAttribute('NotBefore')),
    notOnOrAfter: [...instant(conditions?.getAttribute('NotOnOrAfter')), ...confirmations.flatMap((c) => instant(c.getAttribute('NotOnOrAfter')))],
    roles: (attributes.get(AWS_ATTRIBUTE.role) ?? []).flatMap((v) => parseRole(v) ?? []),
    roleSessionName: attributes.get(AWS_ATTRIBUTE.roleSessionName)?.[0],
    sessionDuration: attributes.get(AWS_ATTRIBUTE.sessionDuration)?.[0],
    sourceIdentity: attributes.get(AWS_ATTRIBUTE.sourceIdentity)?.[0],
    sessionTags: Object.fromEntries([...attributes].filter(([name]) => name.startsWith(AWS_ATTRIBUTE.principalTagPrefix))
      .map(([name, values]) => [name.slice(AWS_ATTRIBUTE.principalTagPrefix.length), values[0] ?? ''])),
    encrypted: encryptedAssertions.length > 0,
  };
}

function decrypted(encryptedAssertion: Element, encryption: AssertionEncryption): [string, Element] {
  const plain = decryptAssertion(encryptedAssertion, encryption.privateKeyPem);
  let assertion: Element;
  try {
    assertion = parseXmlStrict(plain).documentElement;
  } catch {
    throw invalid('Invalid SAML assertion: the decrypted assertion is not well-formed XML');
  }
  if (assertion.namespaceURI !== NS.assertion || assertion.localName !== 'Assertion') throw invalid('Invalid SAML assertion: the encrypted element is not an Assertion');
  return [plain, assertion];
}
