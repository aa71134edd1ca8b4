/**
 * A small namespace-aware view over fast-xml-parser's output. Elements are matched by namespace
 * URI and local name, never by prefix (SimpleSAMLphp writes samlp:, Shibboleth saml2p:). Input is
 * bounded in size and depth, and DOCTYPEs are refused outright, so no entity can be expanded.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { IdpResponseError } from '../errors.js';

export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ecp: 'urn:oasis:names:tc:SAML:2.0:profiles:SSO:ecp',
  paos: 'urn:liberty:paos:2003-08',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

export interface XmlElement {
  namespace: string;
  localName: string;
  /** As written, with its prefix. */
  qualifiedName: string;
  attributes: Readonly<Record<string, string>>;
  children: readonly XmlElement[];
  /** Concatenated text content directly inside this element. */
  text: string;
  /** xmlns declarations made on this element (prefix '' is the default namespace). */
  declarations: Readonly<Record<string, string>>;
}

export const MAX_XML_BYTES = 1024 * 1024;
const MAX_DEPTH = 64;

type RawNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
});

/** Parses XML into namespace-resolved elements, or throws IdpResponseError saying what is wrong. */
export function parseXml(xml: string, what: string): XmlElement {
  if (Buffer.byteLength(xml, 'utf8') > MAX_XML_BYTES) {
    throw new IdpResponseError(`${sentenceStart(what)} is larger than ${MAX_XML_BYTES} bytes.`, 'Check that the URL points at a SAML endpoint.');
  }
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new IdpResponseError(`${sentenceStart(what)} contains a DOCTYPE or entity declaration, which SAML forbids; awsl refuses it.`,
      'Check that the URL points at the right IdP endpoint.');
  }
  let nodes: RawNode[];
  try {
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      throw new IdpResponseError(`${sentenceStart(what)} is not well-formed XML (line ${valid.err.line}: ${readable(valid.err.msg)}).`,
        'Check that the URL points at a SAML endpoint.');
    }
    nodes = parser.parse(xml) as RawNode[];
  } catch (error) {
    if (error instanceof IdpResponseError) throw error;
    throw new IdpResponseError(`${sentenceStart(what)} could not be parsed as XML: ${readable((error as Error).message)}.`, 'Check that the URL points at a SAML endpoint.');
  }
  const roots = nodes.filter((node) => elementName(node) !== undefined);
  if (roots.length !== 1) throw new IdpResponseError(`${sentenceStart(what)} has no single root element.`, 'Check that the URL points at a SAML endpoint.');
  return toElement(roots[0]!, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), 0, what);
}

function elementName(node: RawNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text' && key !== '#cdata' && !key.startsWith('?') && key !== '#comment');
}

function toElement(node: RawNode, parentScope: Map<string, string>, depth: number, what: string): XmlElement {
  if (depth > MAX_DEPTH) throw new IdpResponseError(`${sentenceStart(what)} is nested more than ${MAX_DEPTH} levels deep; awsl refuses it.`);
  const qualifiedName = elementName(node)!;
  const attributes: Record<string, string> = {};
  const declarations: Record<string, string> = {};
  for (const [name, value] of Object.entries((node[':@'] as Record<string, string> | undefined) ?? {})) {
    if (name === 'xmlns') declarations[''] = value;
    else if (name.startsWith('xmlns:')) declarations[name.slice(6)] = value;
    else attributes[name] = value;
  }
  const scope = Object.keys(declarations).length ? new Map([...parentScope, ...Object.entries(declarations)]) : parentScope;
  const colon = qualifiedName.indexOf(':');
  const prefix = colon < 0 ? '' : qualifiedName.slice(0, colon);
  const namespace = scope.get(prefix);
  if (namespace === undefined && prefix !== '') {
    throw new IdpResponseError(`${sentenceStart(what)} uses the undeclared namespace prefix "${readable(prefix, 40)}".`);
  }
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[qualifiedName] as RawNode[]) ?? []) {
    if ('#text' in child) text += decodeEntities(String(child['#text']));
    // CDATA is literal text: nothing in it is an entity (c14n, and so the signed copy, agree).
    else if ('#cdata' in child) text += (child['#cdata'] as RawNode[]).map((part) => String(part['#text'] ?? '')).join('');
    else if (elementName(child) !== undefined) children.push(toElement(child, scope, depth + 1, what));
  }
  return {
    namespace: namespace ?? '',
    localName: colon < 0 ? qualifiedName : qualifiedName.slice(colon + 1),
    qualifiedName,
    attributes,
    children,
    text,
    declarations,
  };
}

/** The five predefined entities and character references; nothing else is expanded. */
export function decodeEntities(value: string): string {
  return value.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    switch (entity) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        const codePoint = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
        // XML's Char production: no NUL, no surrogates, nothing past U+10FFFF.
        if (!(codePoint === 0x9 || codePoint === 0xa || codePoint === 0xd || (codePoint >= 0x20 && codePoint <= 0xd7ff)
          || (codePoint >= 0xe000 && codePoint <= 0xfffd) || (codePoint >= 0x10000 && codePoint <= 0x10ffff))) {
          throw new IdpResponseError(`The XML contains the character reference &${entity.slice(0, 12)}; to a character XML does not allow; awsl refuses it.`,
            'Check that the URL points at a SAML endpoint.');
        }
        return String.fromCodePoint(codePoint);
      }
    }
  });
}

/**
 * Text from a reply or a library made fit for a message: one line, markup and base64 blobs left
 * out, at most `max` characters (cut at a word), a sentence without its final period (the message has its own).
 */
export function readable(text: string, max = 160): string {
  const words = text.replace(/<[/!?]?[A-Za-z_][^<>]{0,200}>/g, ' … ').replace(/<+(?=[A-Za-z_!?/])/g, '').replace(/[\p{Cc}\s]+/gu, ' ').trim()
    .split(' ').map((word) => (/[A-Za-z0-9+/=]{40,}/.test(word) ? '(base64)' : word));
  let line = '';
  for (const word of words) {
    if (line.length + word.length >= max) return `${line} …`;
    line = line ? `${line} ${word}` : word;
  }
  // A sentence's own final period goes (the message adds one); a URL's or an ID's stays.
  return (line.includes(' ') ? line.replace(/[.\s]+$/, '') : line) || '(nothing)';
}

/** `what` ("the SAML Response from …") at the start of a sentence. */
export function sentenceStart(what: string): string {
  return what.charAt(0).toUpperCase() + what.slice(1);
}

const SAML1 = /^urn:oasis:names:tc:SAML:1\.[01]:/;

/** An element as messages name it: SAML 1.x by its version, since AWS takes only SAML 2.0. */
export function describeElement(element: XmlElement): string {
  if (SAML1.test(element.namespace)) return `a SAML 1.x ${readable(element.localName, 40)}`;
  return readable(element.qualifiedName, 80);
}

export function attribute(element: XmlElement, name: string): string | undefined {
  const value = element.attributes[name];
  return value === undefined ? undefined : decodeEntities(value);
}

export function childrenNamed(element: XmlElement, namespace: string, localName: string): XmlElement[] {
  return element.children.filter((child) => child.namespace === namespace && child.localName === localName);
}

/** The only child of that name; more than one is refused (signature-wrapping shapes duplicate elements). */
export function onlyChild(element: XmlElement, namespace: string, localName: string, what: string): XmlElement | undefined {
  const found = childrenNamed(element, namespace, localName);
  if (found.length > 1) throw new IdpResponseError(`${sentenceStart(what)} contains ${found.length} ${localName} elements where one is allowed; awsl refuses it.`);
  return found[0];
}
