/**
 * Shared by the project's stand-ins (STS, Shibboleth-style IdP) and by unit tests: throwaway
 * keys, SAML Responses shaped like Shibboleth's, XML signing, strict XML parsing and loopback
 * HTTP(S) plumbing.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as http from 'node:http';
import * as https from 'node:https';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { listenOnLoopback } from './process.js';

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  ecp: 'urn:oasis:names:tc:SAML:2.0:profiles:SSO:ecp',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

export const STATUS = {
  success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  authnFailed: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
} as const;

export const AWS_AUDIENCE = 'urn:amazon:webservices';
export const PAOS_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:PAOS';

const AWS_ATTRIBUTE_PREFIX = 'https://aws.amazon.com/SAML/Attributes/';
export const AWS_ATTRIBUTE = {
  role: `${AWS_ATTRIBUTE_PREFIX}Role`,
  roleSessionName: `${AWS_ATTRIBUTE_PREFIX}RoleSessionName`,
  sessionDuration: `${AWS_ATTRIBUTE_PREFIX}SessionDuration`,
  sourceIdentity: `${AWS_ATTRIBUTE_PREFIX}SourceIdentity`,
  /** Followed by the tag key. */
  principalTagPrefix: `${AWS_ATTRIBUTE_PREFIX}PrincipalTag:`,
} as const;

export type AwsPartition = 'aws' | 'aws-us-gov' | 'aws-cn';

/** The SAML sign-in (ACS) URL of each AWS partition. */
export const AWS_SIGNIN_URL: Record<AwsPartition, string> = {
  aws: 'https://signin.aws.amazon.com/saml',
  'aws-us-gov': 'https://signin.amazonaws-us-gov.com/saml',
  'aws-cn': 'https://signin.amazonaws.cn/saml',
};

export interface KeyPair {
  /** PEM private key. */
  key: string;
  /** Self-signed X.509 PEM certificate, valid for localhost and 127.0.0.1. */
  cert: string;
}

const keyPairs = new Map<string, KeyPair>();

/** A throwaway RSA key and self-signed certificate, one per name for the life of the process. */
export function throwawayKeyPair(name = 'idp'): KeyPair {
  const cached = keyPairs.get(name);
  if (cached) return cached;
  // Node can parse certificates but not issue them, hence openssl.
  const dir = mkdtempSync(join(tmpdir(), 'awsl-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-sha256',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-subj', `/CN=${name}.awsl.test`, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ], { stdio: 'pipe' });
    const pair = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    keyPairs.set(name, pair);
    return pair;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function randomSamlId(): string {
  return `_${randomBytes(16).toString('hex')}`;
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export const CANONICALIZATION = {
  exclusive: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  /** Inclusive C14N 1.0: every namespace in scope of the signed element is part of what is signed. */
  inclusive: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
} as const;

export interface SignOptions {
  keyPair: KeyPair;
  /** The ID attribute of the element to sign; the Signature goes right after its Issuer child. */
  id: string;
  /** Default exclusive, as Shibboleth and SimpleSAMLphp sign. */
  canonicalization?: keyof typeof CANONICALIZATION;
}

/** Enveloped rsa-sha256 signature (exc-c14n unless told), placed where the SAML schema wants it. */
export function signXml(xml: string, { keyPair, id, canonicalization = 'exclusive' }: SignOptions): string {
  const signer = new SignedXml({
    privateKey: keyPair.key,
    publicCert: keyPair.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: CANONICALIZATION[canonicalization],
  });
  signer.addReference({
    xpath: `//*[@ID='${id}']`,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', CANONICALIZATION[canonicalization]],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `//*[@ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}

export interface SamlStatus {
  code: string;
  subCode?: string;
  message?: string;
}

export interface SamlResponseSpec {
  /** IdP entityID, written as the Response's and the Assertion's Issuer. */
  issuer: string;
  /** Response Destination; default the aws partition's sign-in URL; null leaves it out. */
  destination?: string | null;
  /** SubjectConfirmationData Recipient; default the destination or the aws sign-in URL. */
  recipient?: string;
  audience?: string;
  inResponseTo?: string;
  nameId?: string;
  nameIdFormat?: string;
  /** Values of the AWS Role attribute, written as given (`role,provider` or `provider,role`). */
  roles?: string[];
  roleSessionName?: string;
  sessionDuration?: number;
  attributes?: Record<string, string[]>;
  issueInstant?: Date;
  /** Lifetime of SubjectConfirmationData and Conditions; default 300 s, as Shibboleth. */
  lifetimeSeconds?: number;
  /** Overrides NotOnOrAfter (both places). */
  notOnOrAfter?: Date;
  authnInstant?: Date;
  /** A non-success status produces a Response without an Assertion. */
  status?: SamlStatus;
  /** Namespace prefixes: Shibboleth `saml2p`/`saml2` (default), SimpleSAMLphp `samlp`/`saml`. */
  prefixes?: { protocol: string; assertion: string };
  /** What to sign; default the Assertion only, as Shibboleth does for AWS. */
  sign?: 'assertion' | 'response' | 'both' | 'none';
  canonicalization?: SignOptions['canonicalization'];
  /** Declare xsd on the Assertion (default), or leave it to an enclosing element (a SOAP envelope). */
  declareXsd?: boolean;
  keyPair?: KeyPair;
  subjectAddress?: string;
  /** Encrypt the (signed) Assertion to this PEM certificate into an EncryptedAssertion, before any Response signature. */
  encryptFor?: string;
}

export interface BuiltSamlResponse {
  /** The Response element alone, no XML declaration. */
  xml: string;
  /** What goes to STS as SAMLAssertion. */
  base64: string;
  id: string;
  assertionId?: string;
}

function attributeXml(a: string, name: string, values: string[]): string {
  const friendly = name.startsWith(AWS_ATTRIBUTE_PREFIX) ? ` FriendlyName="${escapeXml(name.slice(AWS_ATTRIBUTE_PREFIX.length))}"` : '';
  const valueXml = values.map((v) => `<${a}:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xsd:string">${escapeXml(v)}</${a}:AttributeValue>`).join('');
  return `<${a}:Attribute${friendly} Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${valueXml}</${a}:Attribute>`;
}

/** A SAML 2.0 Response laid out the way Shibboleth IdP 4 writes one for AWS. */
export function buildSamlResponse(spec: SamlResponseSpec): BuiltSamlResponse {
  const p = spec.prefixes?.protocol ?? 'saml2p';
  const a = spec.prefixes?.assertion ?? 'saml2';
  const keyPair = spec.keyPair ?? throwawayKeyPair();
  const sign = spec.sign ?? 'assertion';
  const issued = spec.issueInstant ?? new Date();
  const expires = spec.notOnOrAfter ?? new Date(issued.getTime() + (spec.lifetimeSeconds ?? 300) * 1000);
  const destination = spec.destination === undefined ? AWS_SIGNIN_URL.aws : spec.destination;
  const recipient = spec.recipient ?? destination ?? AWS_SIGNIN_URL.aws;
  const status = spec.status ?? { code: STATUS.success };
  const id = randomSamlId();
  const inResponseTo = spec.inResponseTo ? ` InResponseTo="${escapeXml(spec.inResponseTo)}"` : '';
  const issuerXml = `<${a}:Issuer xmlns:${a}="${NS.assertion}">${escapeXml(spec.issuer)}</${a}:Issuer>`;
  const subCode = status.subCode ? `<${p}:StatusCode Value="${escapeXml(status.subCode)}"/>` : '';
  const statusXml = `<${p}:Status><${p}:StatusCode Value="${escapeXml(status.code)}">${subCode}</${p}:StatusCode>`
    + (status.message ? `<${p}:StatusMessage>${escapeXml(status.message)}</${p}:StatusMessage>` : '') + `</${p}:Status>`;

  let assertionXml = '';
  let assertionId: string | undefined;
  if (status.code === STATUS.success) {
    assertionId = randomSamlId();
    const attributes: [string, string[]][] = [];
    if (spec.roles) attributes.push([AWS_ATTRIBUTE.role, spec.roles]);
    if (spec.roleSessionName !== undefined) attributes.push([AWS_ATTRIBUTE.roleSessionName, [spec.roleSessionName]]);
    if (spec.sessionDuration !== undefined) attributes.push([AWS_ATTRIBUTE.sessionDuration, [String(spec.sessionDuration)]]);
    attributes.push(...Object.entries(spec.attributes ?? {}));
    const address = spec.subjectAddress ?? '127.0.0.1';
    assertionXml = `<${a}:Assertion ID="${assertionId}" IssueInstant="${issued.toISOString()}" Version="2.0" xmlns:${a}="${NS.assertion}"${spec.declareXsd === false ? '' : ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"'}>`
      + `<${a}:Issuer>${escapeXml(spec.issuer)}</${a}:Issuer>`
      + `<${a}:Subject><${a}:NameID Format="${escapeXml(spec.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient')}" NameQualifier="${escapeXml(spec.issuer)}" SPNameQualifier="${AWS_AUDIENCE}">${escapeXml(spec.nameId ?? randomSamlId())}</${a}:NameID>`
      + `<${a}:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><${a}:SubjectConfirmationData Address="${escapeXml(address)}"${inResponseTo} NotOnOrAfter="${expires.toISOString()}" Recipient="${escapeXml(recipient)}"/></${a}:SubjectConfirmation></${a}:Subject>`
      + `<${a}:Conditions NotBefore="${issued.toISOString()}" NotOnOrAfter="${expires.toISOString()}"><${a}:AudienceRestriction><${a}:Audience>${escapeXml(spec.audience ?? AWS_AUDIENCE)}</${a}:Audience></${a}:AudienceRestriction></${a}:Conditions>`
      + `<${a}:AuthnStatement AuthnInstant="${(spec.authnInstant ?? issued).toISOString()}" SessionIndex="${randomSamlId()}"><${a}:SubjectLocality Address="${escapeXml(address)}"/><${a}:AuthnContext><${a}:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</${a}:AuthnContextClassRef></${a}:AuthnContext></${a}:AuthnStatement>`
      + (attributes.length ? `<${a}:AttributeStatement>${attributes.map(([n, v]) => attributeXml(a, n, v)).join('')}</${a}:AttributeStatement>` : '')
      + `</${a}:Assertion>`;
  }

  let xml = `<${p}:Response${destination === null ? '' : ` Destination="${escapeXml(destination)}"`} ID="${id}"${inResponseTo} IssueInstant="${issued.toISOString()}" Version="2.0" xmlns:${p}="${NS.protocol}">`
    + issuerXml + statusXml + assertionXml + `</${p}:Response>`;
  const { canonicalization } = spec;
  if (assertionId && (sign === 'assertion' || sign === 'both')) xml = signXml(xml, { keyPair, id: assertionId, canonicalization });
  if (assertionId && spec.encryptFor) xml = encryptAssertion(xml, spec.encryptFor, a);
  if (sign === 'response' || sign === 'both') xml = signXml(xml, { keyPair, id, canonicalization });
  return { xml, base64: Buffer.from(xml, 'utf8').toString('base64'), id, assertionId };
}

const XMLENC = 'http://www.w3.org/2001/04/xmlenc#';

/**
 * The Response with its Assertion replaced by an EncryptedAssertion for `certificatePem`, made by
 * xmlsec1 (Debian xmlsec1: libxmlsec, not awsl's or the stand-in's code): AES-256-GCM data,
 * RSA-OAEP (MGF1-SHA1) key transport, the EncryptedKey in the EncryptedData's KeyInfo.
 */
export function encryptAssertion(responseXml: string, certificatePem: string, assertionPrefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'awsl-xmlenc-'));
  try {
    const template = `<xenc:EncryptedData xmlns:xenc="${XMLENC}" Type="${XMLENC}Element"><xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm"/>`
      + `<ds:KeyInfo xmlns:ds="${NS.ds}"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="${XMLENC}rsa-oaep-mgf1p"/><xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo>`
      + '<xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedData>';
    for (const [name, text] of [['response.xml', responseXml], ['template.xml', template], ['sp.crt', certificatePem]] as const) writeFileSync(join(dir, name), text);
    const encrypted = execFileSync('xmlsec1', ['--encrypt', '--pubkey-cert-pem', join(dir, 'sp.crt'), '--session-key', 'aes-256', '--xml-data', join(dir, 'response.xml'),
      '--node-name', `${NS.assertion}:Assertion`, join(dir, 'template.xml')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return encrypted.replace(/^<\?xml[^>]*>\s*/, '').trimEnd()
      .replace(/<xenc:EncryptedData[\s\S]*<\/xenc:EncryptedData>/, (data) => `<${assertionPrefix}:EncryptedAssertion xmlns:${assertionPrefix}="${NS.assertion}">${data}</${assertionPrefix}:EncryptedAssertion>`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses XML, throwing on any parser complaint and on DTDs (which no SAML peer accepts). */
export function parseXmlStrict(text: string): Document {
  if (/<!DOCTYPE/i.test(text)) throw new Error('DTDs are not allowed');
  const problems: string[] = [];
  const record = (msg: unknown): void => { problems.push(String(msg)); };
  const doc = new DOMParser({ errorHandler: { warning: record, error: record, fatalError: record } }).parseFromString(text, 'text/xml');
  if (problems.length || !doc.documentElement) throw new Error(`Malformed XML: ${problems[0] ?? 'no root element'}`);
  return doc;
}

/** Child elements of `parent` with this namespace URI and local name (prefixes never matter). */
export function childElements(parent: Element, ns: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === localName) found.push(n as Element);
  }
  return found;
}

export function childElement(parent: Element, ns: string, localName: string): Element | undefined {
  return childElements(parent, ns, localName)[0];
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;

export interface LoopbackServer {
  url: string;
  stop(): Promise<void>;
}

/** Serves `handler` on 127.0.0.1 at a free port; a handler that throws answers 500 with the error. */
export async function startLoopbackServer(handler: Handler, tls?: { key: string; cert: string }): Promise<LoopbackServer> {
  const wrapped = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (res.headersSent) { res.destroy(); return; }
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`stand-in failure: ${err instanceof Error ? err.stack : String(err)}`);
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, wrapped) : http.createServer(wrapped);
  const port = await listenOnLoopback(server);
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export class BodyTooLargeError extends Error {}

export async function readBody(req: http.IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
