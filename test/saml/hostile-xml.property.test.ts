/**
 * Hostile and broken XML against every XML entry point of awsl (src/saml/xml.ts, ecp.ts,
 * response.ts, signature.ts, metadata.ts), property-based (fast-check) and from a corpus: random
 * strings, random XML-shaped documents, every truncation and random mutations of a real reply,
 * huge and deeply nested input, entity expansion, external entities, DOCTYPEs, wrong namespaces,
 * duplicates. Each input must end in success or a typed AwslError — never another exception —
 * within a deadline, inside a worker whose heap is capped (hostile-harness.ts).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { NS } from '../../src/saml/xml.js';
import { buildSamlResponse, throwawayKeyPair } from '../peers/saml-fixtures.js';
import { HostileHarness, WORKER_HEAP_MB, type Outcome, type Target } from './fixtures/hostile-harness.js';
import type { Accepted } from './fixtures/hostile-worker.js';

const TARGETS: Target[] = ['xml', 'ecp', 'response', 'signature', 'metadata'];
const ADMIN = 'arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/idp';
/** Per input, on a slow CI machine; the work is linear in the (≤ 1 MiB) input. */
const INPUT_BUDGET_MS = 1000;
const CORPUS_BUDGET_MS = 5000;

const keyPair = throwawayKeyPair('hostile-idp');
/** The AuthnRequest the ecp and signature targets' replies answer. */
const REQUEST_ID = '_0123456789ABCDEF0123456789ABCDEF';
/** Built when the file loads, judged whenever the suite reaches it: valid for a day, not Shibboleth's 5 minutes. */
const lifetimeSeconds = 24 * 3600;
const shibboleth = buildSamlResponse({ issuer: 'https://idp.example.org/idp', roles: [ADMIN], roleSessionName: 'alice', keyPair, sessionDuration: 3600, inResponseTo: REQUEST_ID, lifetimeSeconds });
const simpleSaml = buildSamlResponse({ issuer: 'https://idp.example.org/idp', roles: [ADMIN], roleSessionName: 'alice', keyPair, sign: 'both', prefixes: { protocol: 'samlp', assertion: 'saml' }, inResponseTo: REQUEST_ID, lifetimeSeconds });
/** Only the Assertion signed, as Shibboleth signs: the Response around it is the attacker's to edit. */
const assertionSigned = buildSamlResponse({ issuer: 'https://idp.example.org/idp', roles: [ADMIN], roleSessionName: 'alice', keyPair, inResponseTo: REQUEST_ID, lifetimeSeconds });

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<soap11:Envelope xmlns:soap11="${NS.soap}"><soap11:Header><ecp:Response AssertionConsumerServiceURL="https://signin.aws.amazon.com/saml" soap11:actor="http://schemas.xmlsoap.org/soap/actor/next" soap11:mustUnderstand="1" xmlns:ecp="${NS.ecp}"/></soap11:Header><soap11:Body>${body}</soap11:Body></soap11:Envelope>`;
}

/** The input each target takes when all is well. */
const REAL: Record<Target, string> = {
  xml: envelope(shibboleth.xml),
  ecp: envelope(shibboleth.xml),
  response: shibboleth.xml,
  signature: simpleSaml.xml,
  metadata: `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="${NS.ds}" entityID="https://idp.example.org/idp"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${keyPair.cert.replace(/-----[A-Z ]+-----|\s/g, '')}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor></md:EntityDescriptor>`,
};

function describeOutcome(input: string, outcome: Outcome): string {
  return `${outcome.outcome} ${outcome.name ?? ''} after ${Math.round(outcome.ms)} ms: ${outcome.message ?? ''}\ninput (${input.length} chars): ${JSON.stringify(input.slice(0, 300))}`;
}

/** A message a user can read: a capitalised sentence (or one that starts with awsl's name), no markup, no double spaces, no base64 blob. */
function expectReadable(text: string, context: string): void {
  expect(text, context).to.match(/^([A-Z]|awsl )/).and.match(/[.!?]$/);
  expect(text, context).to.not.match(/<[A-Za-z_!?/]/);
  expect(text, context).to.not.include('  ');
  expect(text, context).to.not.match(/[A-Za-z0-9+/]{40,}/);
}

const xmlText = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The signature oracle: whatever awsl accepts with signature checking on, it must have read from
 * what the IdP signed. Each role, the session name, the recipient and the request answered are
 * in the signed bytes; and an edit of a signed input that still verifies means what it meant.
 */
function expectSigned(outcome: Outcome, context: string, meant?: Accepted): void {
  const accepted = outcome.accepted!;
  const signed = accepted.signedXml!;
  for (const value of [...accepted.roles.flatMap((role) => role.split(',')), accepted.roleSessionName, accepted.recipient, accepted.inResponseTo]) {
    expect(value, `${context}: a value read is missing`).to.be.a('string');
    expect(signed.includes(xmlText(value!)) || signed.includes(value!), `${context}: "${value}" is not in the signed XML`).to.equal(true);
  }
  if (meant) expect({ ...accepted, signedXml: undefined }, context).to.deep.equal({ ...meant, signedXml: undefined });
}

/** Success or a typed error with a readable message, within the budget; with the oracle for accepted signed input. */
function expectTyped(target: Target, inputs: string[], outcomes: Outcome[], meant?: Accepted, budgetMs = INPUT_BUDGET_MS): void {
  outcomes.forEach((outcome, index) => {
    const context = describeOutcome(inputs[index]!, outcome);
    expect(outcome.outcome, context).to.be.oneOf(['ok', 'awsl']);
    expect(outcome.ms, context).to.be.below(budgetMs);
    if (outcome.outcome === 'awsl') {
      expectReadable(outcome.message!, context);
      if (outcome.hint !== undefined) expectReadable(outcome.hint, context);
    }
    if (outcome.outcome === 'ok' && target === 'signature') expectSigned(outcome, context, meant);
  });
}

// ---- generators ----

const NAMES = ['Envelope', 'Body', 'Header', 'Fault', 'faultstring', 'Response', 'Assertion', 'EncryptedAssertion', 'Issuer', 'Status', 'StatusCode',
  'Subject', 'NameID', 'SubjectConfirmation', 'SubjectConfirmationData', 'Conditions', 'AttributeStatement', 'Attribute', 'AttributeValue',
  'Signature', 'SignedInfo', 'Reference', 'Object', 'Extensions', 'EntityDescriptor', 'IDPSSODescriptor', 'KeyDescriptor', 'KeyInfo', 'X509Data', 'X509Certificate', 'x'];
const URIS = [NS.soap, NS.samlp, NS.saml, NS.ds, NS.ecp, 'urn:oasis:names:tc:SAML:2.0:metadata', 'urn:oasis:names:tc:SAML:1.0:protocol', 'http://www.w3.org/2003/05/soap-envelope', 'urn:wrong', ''];
const PREFIXES = ['', 'S', 'soap11', 'saml2p', 'samlp', 'saml2', 'saml', 'ds', 'md', 'p'];
const ATTRIBUTES = ['ID', 'Value', 'Name', 'InResponseTo', 'Destination', 'Recipient', 'NotOnOrAfter', 'NotBefore', 'use', 'entityID', 'URI', 'Algorithm'];
const TEXTS = ['&amp;', '&lt;', '&#x41;', '&#65;', '&#x110000;', '&#99999999;', '&#0;', '&#xD800;', '&xxe;', '&', '<!-- c -->', '<!---->', '<![CDATA[x]]>', '<?pi x?>', ADMIN,
  'urn:oasis:names:tc:SAML:2.0:status:Success', '2030-01-01T00:00:00Z', 'not a date', 'https://signin.aws.amazon.com/saml', '\u0000', '\uFFFE', '\uD800', ']]>', '  '];

const textArbitrary = fc.oneof(fc.constantFrom(...TEXTS), fc.string({ maxLength: 20 }));
const attributeValue = fc.oneof(fc.constantFrom(...TEXTS, '"', '<', 'a"b'), fc.string({ maxLength: 12 }));

const { node } = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, textArbitrary, tie('element')),
  element: fc.record({
    prefix: fc.constantFrom(...PREFIXES),
    name: fc.constantFrom(...NAMES),
    declare: fc.option(fc.record({ prefix: fc.constantFrom(...PREFIXES), uri: fc.constantFrom(...URIS) })),
    attributes: fc.array(fc.tuple(fc.constantFrom(...ATTRIBUTES), attributeValue), { maxLength: 3 }),
    children: fc.array(tie('node'), { maxLength: 4 }),
    selfClosing: fc.boolean(),
  }),
}));

type Tree = string | { prefix: string; name: string; declare: { prefix: string; uri: string } | null; attributes: [string, string][]; children: Tree[]; selfClosing: boolean };

function serialise(tree: Tree): string {
  if (typeof tree === 'string') return tree;
  const name = tree.prefix ? `${tree.prefix}:${tree.name}` : tree.name;
  const declaration = tree.declare ? ` ${tree.declare.prefix ? `xmlns:${tree.declare.prefix}` : 'xmlns'}="${tree.declare.uri}"` : '';
  const attributes = tree.attributes.map(([key, value]) => ` ${key}="${value}"`).join('');
  if (tree.selfClosing && tree.children.length === 0) return `<${name}${declaration}${attributes}/>`;
  return `<${name}${declaration}${attributes}>${tree.children.map(serialise).join('')}</${name}>`;
}

/** A random element tree, sometimes wrapped in the real reply's envelope and Response. */
const xmlDocument = fc.tuple(node, fc.constantFrom('bare', 'envelope', 'response', 'assertion')).map(([tree, wrap]) => {
  const xml = serialise(tree as Tree);
  if (wrap === 'envelope') return envelope(xml);
  if (wrap === 'response') return envelope(shibboleth.xml.replace('</saml2p:Response>', `${xml}</saml2p:Response>`));
  if (wrap === 'assertion') return shibboleth.xml.replace('</saml2:Assertion>', `${xml}</saml2:Assertion>`);
  return xml;
});

/** One edit of a real input: delete, insert or replace a few characters anywhere. */
function mutation(real: string) {
  return fc.record({
    at: fc.nat({ max: real.length - 1 }),
    remove: fc.nat({ max: 8 }),
    insert: fc.oneof(fc.constantFrom('<', '>', '/', '"', '&', '=', ':', 'x', '<!--', ']]>', '<!DOCTYPE x>', '&xxe;', '</saml2:Assertion>', '<saml2:Assertion>', '\u0000'), fc.string({ maxLength: 4 })),
  }).map(({ at, remove, insert }) => real.slice(0, at) + insert + real.slice(at + remove));
}

// ---- the corpus ----

const deep = (depth: number) => `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;
const lol = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
  + '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
  + '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
  + '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
  + '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>';
const withRole = (role: string) => shibboleth.xml.replace(ADMIN, role);
const assertionXml = /<saml2:Assertion[\s\S]*<\/saml2:Assertion>/.exec(shibboleth.xml)![0];
const roleAttribute = /<saml2:Attribute [^>]*Name="https:\/\/aws.amazon.com\/SAML\/Attributes\/Role"[\s\S]*?<\/saml2:Attribute>/.exec(shibboleth.xml)![0];

interface CorpusCase {
  name: string;
  /** The input per target; a string goes to every target (wrapped in the envelope for ecp). */
  input: string | Partial<Record<Target, string>>;
  /** What each target must answer: a typed error (optionally with this message), or either. */
  expect: 'awsl' | 'ok-or-awsl' | RegExp;
  /** Text that must not appear in any message (file contents an entity would have pulled in). */
  never?: RegExp;
}

const CORPUS: CorpusCase[] = [
  { name: 'huge input (1.5 MiB)', input: `<a>${'x'.repeat(1.5 * 1024 * 1024)}</a>`, expect: /larger than 1048576 bytes/ },
  { name: 'huge reply that starts like a real one', input: { ecp: envelope(`${shibboleth.xml}<!--${'x'.repeat(1.1 * 1024 * 1024)}-->`), signature: `${simpleSaml.xml}${' '.repeat(1.1 * 1024 * 1024)}` }, expect: /larger than/ },
  { name: '10 000-deep nesting', input: deep(10_000), expect: 'awsl' },
  { name: '10 000-deep nesting inside a real envelope', input: { ecp: envelope(deep(10_000)), signature: simpleSaml.xml.replace('</samlp:Response>', `${deep(10_000)}</samlp:Response>`) }, expect: 'awsl' },
  { name: '100 000-deep nesting (0.7 MiB)', input: deep(100_000), expect: 'awsl' },
  { name: '65 levels: one more than allowed', input: { ecp: envelope(deep(63)), response: shibboleth.xml.replace('</saml2p:Response>', `${deep(65)}</saml2p:Response>`) }, expect: 'awsl' },
  { name: 'billion laughs', input: `${lol}<lolz>&lol9;</lolz>`, expect: /DOCTYPE/ },
  { name: 'billion laughs around a real Response', input: { ecp: `${lol}${envelope(withRole('&lol9;'))}`.replace('<?xml version="1.0" encoding="UTF-8"?>\n', ''), response: `${lol}${withRole('&lol9;')}`, signature: `${lol}${simpleSaml.xml}` }, expect: /DOCTYPE/ },
  { name: 'external entity (SYSTEM file:///etc/passwd)', input: `<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${withRole('&xxe;')}`, expect: /DOCTYPE/, never: /root:/ },
  { name: 'external parameter entity', input: '<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><r/>', expect: /DOCTYPE/, never: /root:/ },
  { name: 'external DTD', input: `<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">${shibboleth.xml}`, expect: /DOCTYPE/ },
  { name: 'lower-case doctype after a comment', input: `<!-- hello --><!doctype r [<!ENTITY a "b">]>${shibboleth.xml}`, expect: /DOCTYPE/ },
  { name: 'an entity reference without a DOCTYPE is left alone', input: { response: withRole('&xxe;'), ecp: envelope(withRole('&xxe;')) }, expect: 'awsl', never: /root:/ },
  { name: 'character references out of range or to a surrogate', input: { response: withRole('&#x110000;'), ecp: envelope(withRole('&#99999999999;')), xml: '<a>&#xD800;</a>' }, expect: 'awsl' },
  { name: 'SOAP 1.2 envelope (right local names, wrong namespace)', input: { ecp: envelope(shibboleth.xml).replaceAll(NS.soap, 'http://www.w3.org/2003/05/soap-envelope') }, expect: /not a SOAP envelope/ },
  { name: 'SAML 1.x protocol namespace on the Response', input: { ecp: envelope(shibboleth.xml.replace(NS.samlp, 'urn:oasis:names:tc:SAML:1.0:protocol')), response: shibboleth.xml.replace(NS.samlp, 'urn:oasis:names:tc:SAML:1.0:protocol'), signature: simpleSaml.xml.replace(NS.samlp, 'urn:wrong') }, expect: /(a SAML 1\.x Response|samlp:Response), not a SAML 2\.0 Response\./ },
  { name: 'the Assertion in a wrong namespace', input: { ecp: envelope(shibboleth.xml.replaceAll(NS.saml, 'urn:oasis:names:tc:SAML:1.0:assertion')), response: shibboleth.xml.replaceAll(NS.saml, 'urn:wrong') }, expect: /no Assertion/ },
  { name: 'the Role attribute in a wrong namespace (read as no role)', input: { response: shibboleth.xml.replace(roleAttribute, roleAttribute.replace('<saml2:Attribute ', '<w:Attribute xmlns:w="urn:wrong" ').replace(/<\/saml2:Attribute>$/, '</w:Attribute>')) }, expect: /no https:\/\/aws.amazon.com\/SAML\/Attributes\/Role values/ },
  { name: 'a prefix rebound to another namespace inside the Assertion', input: { response: shibboleth.xml.replace('<saml2:Subject>', `<saml2:Subject xmlns:saml2="urn:wrong">`) }, expect: 'ok-or-awsl' },
  { name: 'an undeclared prefix', input: { xml: '<u:a/>', response: shibboleth.xml.replace('<saml2:Subject>', '<zz:Subject>').replace('</saml2:Subject>', '</zz:Subject>') }, expect: 'awsl' },
  { name: 'two Assertions', input: { ecp: envelope(shibboleth.xml.replace(assertionXml, assertionXml + assertionXml)), response: shibboleth.xml.replace(assertionXml, assertionXml + assertionXml), signature: simpleSaml.xml.replace('</samlp:Response>', `${assertionXml}</samlp:Response>`) }, expect: /2 Assertion/ },
  { name: 'an Assertion and an EncryptedAssertion', input: { response: shibboleth.xml.replace(assertionXml, `${assertionXml}<saml2:EncryptedAssertion xmlns:saml2="${NS.saml}"/>`) }, expect: /encrypted assertion/ },
  { name: 'the Role attribute twice', input: { ecp: envelope(shibboleth.xml.replace(roleAttribute, roleAttribute + roleAttribute)), response: shibboleth.xml.replace(roleAttribute, roleAttribute + roleAttribute) }, expect: /repeats the attribute/ },
  { name: 'two Status elements', input: { response: shibboleth.xml.replace(/(<saml2p:Status>[\s\S]*?<\/saml2p:Status>)/, '$1$1') }, expect: /2 Status/ },
  { name: 'two Subjects', input: { response: shibboleth.xml.replace(/(<saml2:Subject>[\s\S]*?<\/saml2:Subject>)/, '$1$1') }, expect: /2 Subject/ },
  { name: 'two Responses in the SOAP Body', input: { ecp: envelope(shibboleth.xml + shibboleth.xml) }, expect: /no single element/ },
  { name: 'two SOAP Bodies', input: { ecp: envelope(shibboleth.xml).replace('</soap11:Body>', `</soap11:Body><soap11:Body>${shibboleth.xml}</soap11:Body>`) }, expect: /no single SOAP Body/ },
  { name: 'a quarter of a million empty elements', input: { ecp: envelope('<a/>'.repeat(250_000)), xml: `<r>${'<a/>'.repeat(250_000)}</r>` }, expect: 'ok-or-awsl' },
  { name: '60 000 attributes on one element', input: { xml: `<a ${Array.from({ length: 60_000 }, (_, index) => `x${index}="1"`).join(' ')}/>` }, expect: 'ok-or-awsl' },
  { name: '30 000 namespace declarations above 60 levels', input: { xml: `<a ${Array.from({ length: 30_000 }, (_, index) => `xmlns:p${index}="u${index}"`).join(' ')}>${deep(60)}</a>` }, expect: 'ok-or-awsl' },
  { name: 'a signature with a thousand references', input: { signature: simpleSaml.xml.replace(/(<ds:Reference [\s\S]*?<\/ds:Reference>)/, (reference) => reference.repeat(1000)) }, expect: /references where awsl accepts exactly one/ },
  { name: 'metadata with 700 signing certificates', input: { metadata: REAL.metadata.replace(/(<md:KeyDescriptor[\s\S]*<\/md:KeyDescriptor>)/, (key) => key.repeat(700)) }, expect: 'ok-or-awsl' },
  { name: 'UTF-16 and a NUL before the root', input: { ecp: Buffer.from(envelope(shibboleth.xml), 'utf16le').toString('latin1'), response: `\u0000${shibboleth.xml}` }, expect: 'awsl' },
  { name: 'a byte order mark and NUL characters in text', input: { xml: '\uFEFF<a>\u0000</a>', response: withRole(`${ADMIN}\u0000`) }, expect: 'ok-or-awsl' },
  { name: 'an unterminated comment, CDATA and processing instruction', input: { xml: '<a><!-- never closed', ecp: envelope('<![CDATA[never'), response: `${shibboleth.xml}<?pi` }, expect: 'awsl' },
];

describe('hostile XML (property-based and corpus), in a worker capped at ' + WORKER_HEAP_MB + ' MiB of heap', function () {
  this.timeout(120_000);
  const harness = new HostileHarness([keyPair.cert], REQUEST_ID);
  /** What each target accepts from its real input: what an edit that still verifies must mean too. */
  const meant: Partial<Record<Target, Accepted>> = {};

  after(async () => {
    await harness.stop();
  });

  it('the real inputs pass every target (the baseline the mutations start from)', async function () {
    for (const target of TARGETS) {
      const { outcomes } = await harness.run(target, [REAL[target]], CORPUS_BUDGET_MS);
      expect(outcomes[0]!.outcome, `${target}: ${describeOutcome(REAL[target], outcomes[0]!)}`).to.equal('ok');
      meant[target] = outcomes[0]!.accepted;
    }
    expect(meant.signature).to.deep.include({ roles: [ADMIN], roleSessionName: 'alice', recipient: 'https://signin.aws.amazon.com/saml', inResponseTo: REQUEST_ID });
  });

  it('random edits of a Response whose Assertion alone is signed: what is accepted was signed, and means what it meant', async function () {
    const { outcomes: [baseline] } = await harness.run('signature', [assertionSigned.xml], CORPUS_BUDGET_MS);
    expect(baseline!.outcome, describeOutcome(assertionSigned.xml, baseline!)).to.equal('ok');
    await fc.assert(fc.asyncProperty(fc.array(mutation(assertionSigned.xml), { minLength: 1, maxLength: 25 }), async (inputs) => {
      const { outcomes } = await harness.run('signature', inputs, 10_000);
      expectTyped('signature', inputs, outcomes, baseline!.accepted);
    }), { numRuns: 40 });
  });

  for (const target of TARGETS) {
    describe(`target ${target}`, function () {
      it('random strings: success or a typed error, never another exception, each within its budget', async function () {
        await fc.assert(fc.asyncProperty(fc.array(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })), { minLength: 1, maxLength: 25 }), async (inputs) => {
          const { outcomes } = await harness.run(target, inputs, 10_000);
          expectTyped(target, inputs, outcomes);
        }), { numRuns: 40 });
      });

      it('random XML-shaped documents (real names, right and wrong namespaces, entities, comments)', async function () {
        await fc.assert(fc.asyncProperty(fc.array(xmlDocument, { minLength: 1, maxLength: 25 }), async (inputs) => {
          const { outcomes } = await harness.run(target, inputs, 10_000);
          expectTyped(target, inputs, outcomes);
        }), { numRuns: 40 });
      });

      it('random edits of the real input', async function () {
        await fc.assert(fc.asyncProperty(fc.array(mutation(REAL[target]), { minLength: 1, maxLength: 25 }), async (inputs) => {
          const { outcomes } = await harness.run(target, inputs, 10_000);
          expectTyped(target, inputs, outcomes, meant[target]);
        }), { numRuns: 40 });
      });

      it('every truncation of the real input is a typed error', async function () {
        const real = REAL[target];
        for (let start = 0; start < real.length; start += 400) {
          const inputs = Array.from({ length: Math.min(400, real.length - start) }, (_, index) => real.slice(0, start + index));
          const { outcomes } = await harness.run(target, inputs, 20_000);
          outcomes.forEach((outcome, index) => {
            expect(outcome.outcome, describeOutcome(inputs[index]!, outcome)).to.equal('awsl');
            expect(outcome.ms).to.be.below(INPUT_BUDGET_MS);
            expectReadable(outcome.message!, describeOutcome(inputs[index]!, outcome));
          });
        }
      });
    });
  }

  describe('corpus', function () {
    for (const corpusCase of CORPUS) {
      it(corpusCase.name, async function () {
        const inputs = typeof corpusCase.input === 'string'
          ? Object.fromEntries(TARGETS.map((target) => [target, target === 'ecp' ? envelope(corpusCase.input as string).replace(/^<\?xml[^>]*>\n/, '') : corpusCase.input]))
          : corpusCase.input;
        for (const [target, input] of Object.entries(inputs) as [Target, string][]) {
          // A string corpus input that is not an envelope goes into the Body; one that starts with a
          // DOCTYPE must stay in front, so it is given to ecp as it is.
          const given = typeof corpusCase.input === 'string' && /^<!/.test(corpusCase.input) && target === 'ecp' ? corpusCase.input : input;
          const { outcomes, heapUsed } = await harness.run(target, [given], CORPUS_BUDGET_MS);
          const outcome = outcomes[0]!;
          const context = `${target}: ${describeOutcome(given, outcome)}`;
          expect(outcome.outcome, context).to.be.oneOf(corpusCase.expect === 'ok-or-awsl' ? ['ok', 'awsl'] : ['awsl']);
          if (corpusCase.expect instanceof RegExp) expect(outcome.message, context).to.match(corpusCase.expect);
          if (corpusCase.never) expect(outcome.message ?? '', context).to.not.match(corpusCase.never);
          if (outcome.outcome === 'awsl') expectReadable(outcome.message!, context);
          if (outcome.outcome === 'ok' && target === 'signature') expectSigned(outcome, context);
          expect(outcome.ms, context).to.be.below(CORPUS_BUDGET_MS);
          expect(heapUsed, `${target}: heap after the case`).to.be.below(WORKER_HEAP_MB * 1024 * 1024);
        }
      });
    }
  });
});
