/** The ECP (PAOS) request awsl sends as the AWS service provider, and the SOAP reply it unwraps. */
import { IdpResponseError } from '../errors.js';
import { NS, attribute, childrenNamed, describeElement, parseXml, readable, type XmlElement } from './xml.js';

export const AWS_SP_ENTITY_ID = 'urn:amazon:webservices';
export const PAOS_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:PAOS';

export interface AuthnRequestOptions {
  /** `_` followed by 32 hex digits; see newRequestId. */
  id: string;
  issueInstant: Date;
  acsUrl: string;
  forceAuthn?: boolean;
}

export function newRequestId(randomHex: string): string {
  return `_${randomHex.toUpperCase()}`;
}

/** Shibboleth IdP 4 refuses an IssueInstant without the Z; fractions are left out as IdPs expect. */
export function formatIssueInstant(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function buildEcpAuthnRequest(options: AuthnRequestOptions): string {
  const force = options.forceAuthn ? ' ForceAuthn="true"' : '';
  return '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol">'
    + `<S:Body><saml2p:AuthnRequest AssertionConsumerServiceURL="${escapeAttribute(options.acsUrl)}"${force} ID="${options.id}" `
    + `IssueInstant="${formatIssueInstant(options.issueInstant)}" ProtocolBinding="${PAOS_BINDING}" Version="2.0">`
    + `<saml2:Issuer>${AWS_SP_ENTITY_ID}</saml2:Issuer></saml2p:AuthnRequest></S:Body></S:Envelope>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export interface EcpReply {
  /** The samlp:Response element, parsed from exactly the bytes that go to STS. */
  response: XmlElement;
  /** base64 of the samlp:Response element with its inherited namespace declarations. */
  samlResponse: string;
  /** ecp:Response AssertionConsumerServiceURL from the SOAP header, when present. */
  ecpAcsUrl: string | undefined;
}

/**
 * Unwraps the IdP's SOAP reply. A SOAP fault becomes an IdpResponseError carrying the fault text.
 * What goes to STS is the Response element itself, sliced from the reply with only those of the
 * envelope's namespace declarations that it uses: an IdP signs the Response on its own, and
 * inclusive c14n signs every declaration in scope, so one unused declaration more breaks the
 * signature. The Response awsl reads is parsed back from that slice: what awsl checks is what STS
 * gets.
 */
export function unwrapEcpReply(xml: string, endpoint: string): EcpReply {
  const what = `The reply of ${endpoint}`;
  const envelope = parseXml(xml, what);
  if (envelope.namespace !== NS.soap || envelope.localName !== 'Envelope') {
    throw new IdpResponseError(`${what} is XML but not a SOAP envelope (root element ${describeElement(envelope)}).`, ecpHint);
  }
  const body = single(childrenNamed(envelope, NS.soap, 'Body'), `${what} has no single SOAP Body.`);
  const content = single(body.children, `${what} has no single element in its SOAP Body.`);
  if (content.namespace === NS.soap && content.localName === 'Fault') {
    const faultString = content.children.find((child) => child.localName === 'faultstring')?.text.trim();
    const faultCode = content.children.find((child) => child.localName === 'faultcode')?.text.trim().replace(/^[^:]*:/, '');
    throw new SoapFaultError(faultString || 'no fault string', faultCode || undefined);
  }
  if (content.namespace !== NS.samlp || content.localName !== 'Response') {
    throw new IdpResponseError(`${what} carries ${describeElement(content)}, not a SAML 2.0 Response.`, ecpHint);
  }
  const header = childrenNamed(envelope, NS.soap, 'Header')[0];
  const ecpResponse = header?.children.find((child) => child.namespace === NS.ecp && child.localName === 'Response');
  const inherited = { ...envelope.declarations, ...body.declarations };
  const needed = Object.fromEntries(Object.entries(inherited).filter(([prefix]) => inheritedPrefixesUsed(content, inherited).has(prefix)));
  const responseXml = sliceElement(xml, body, content, needed);
  const response = parseXml(responseXml, what);
  return {
    response,
    samlResponse: Buffer.from(responseXml, 'utf8').toString('base64'),
    ecpAcsUrl: ecpResponse ? attribute(ecpResponse, 'AssertionConsumerServiceURL') : undefined,
  };
}

/** A SOAP fault from the IdP, such as a refused login; the provider decides what it means. */
export class SoapFaultError extends IdpResponseError {
  /** `faultCode` without its prefix: Client (the request or the login was refused) or Server. */
  constructor(readonly faultString: string, readonly faultCode?: string) {
    super(`The IdP answered with a SOAP fault: ${readable(faultString)}.`, 'Run with AWSL_LOG=debug for details, or ask your IdP administrator.');
  }
}

const ecpHint = 'Check that the profile\'s endpoint URL is the IdP\'s SAML2 SOAP ECP endpoint.';

function single(elements: readonly XmlElement[], problem: string): XmlElement {
  if (elements.length !== 1) throw new IdpResponseError(problem, ecpHint);
  return elements[0]!;
}

function sliceElement(xml: string, parent: XmlElement, element: XmlElement, inherited: Record<string, string>): string {
  const parentOpen = xml.indexOf(`<${parent.qualifiedName}`);
  const name = element.qualifiedName;
  const start = findTagStart(xml, `<${name}`, parentOpen);
  let depth = 0;
  const pattern = new RegExp(`<(/?)${name.replace(/[.]/g, '\\.')}(?=[\\s/>])`, 'g');
  pattern.lastIndex = start;
  for (let match = pattern.exec(xml); match; match = pattern.exec(xml)) {
    const tagEnd = xml.indexOf('>', match.index);
    if (match[1] === '/') depth -= 1;
    else if (xml[tagEnd - 1] !== '/') depth += 1;
    else if (depth === 0) return addDeclarations(xml.slice(start, tagEnd + 1), name, element, inherited);
    if (depth === 0) return addDeclarations(xml.slice(start, tagEnd + 1), name, element, inherited);
  }
  throw new IdpResponseError('The SAML Response element is not closed.', ecpHint);
}

function findTagStart(xml: string, open: string, from: number): number {
  for (let index = xml.indexOf(open, from); index >= 0; index = xml.indexOf(open, index + 1)) {
    if (/[\s/>]/.test(xml[index + open.length] ?? '')) return index;
  }
  throw new IdpResponseError('The SAML Response element could not be located in the reply.', ecpHint);
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * The prefixes `element` and its descendants use without declaring them themselves: in element
 * and attribute names, and in xsi:type values (QNames, which schema validation resolves).
 * `inherited` is what the envelope declares around it.
 */
function inheritedPrefixesUsed(element: XmlElement, inherited: Readonly<Record<string, string>>, declaredInside: ReadonlySet<string> = new Set()): Set<string> {
  const declared = new Set([...declaredInside, ...Object.keys(element.declarations)]);
  const used = new Set<string>();
  const use = (qualifiedName: string, unprefixed: string | undefined): void => {
    const colon = qualifiedName.indexOf(':');
    const prefix = colon < 0 ? unprefixed : qualifiedName.slice(0, colon);
    if (prefix !== undefined && !declared.has(prefix)) used.add(prefix);
  };
  // An unprefixed element is in the default namespace; an unprefixed attribute is in none.
  use(element.qualifiedName, '');
  for (const [name, value] of Object.entries(element.attributes)) {
    use(name, undefined);
    const [prefix, local] = name.split(':');
    if (local === 'type' && prefix !== undefined && namespaceOf(prefix, element, inherited, declared) === XSI) use(value.trim(), '');
  }
  for (const child of element.children) for (const prefix of inheritedPrefixesUsed(child, inherited, declared)) used.add(prefix);
  return used;
}

/** The namespace of `prefix` at `element`: its own declaration, or the envelope's when none inside the Response redeclares it. */
function namespaceOf(prefix: string, element: XmlElement, inherited: Readonly<Record<string, string>>, declared: ReadonlySet<string>): string | undefined {
  if (prefix in element.declarations) return element.declarations[prefix];
  return declared.has(prefix) ? undefined : inherited[prefix];
}

function addDeclarations(elementXml: string, name: string, element: XmlElement, inherited: Record<string, string>): string {
  const missing = Object.entries(inherited).filter(([prefix]) => !(prefix in element.declarations));
  if (missing.length === 0) return elementXml;
  const declarations = missing.map(([prefix, uri]) => ` ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${escapeAttribute(uri)}"`).join('');
  return `<${name}${declarations}${elementXml.slice(name.length + 1)}`;
}
