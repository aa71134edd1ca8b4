import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import fc from 'fast-check';
import { FileUnreadableError, InvalidInputError } from '../../src/errors.js';
import { IniDocument } from '../../src/state/ini-document.js';
import { requirePeer } from '../support/peers.js';

/** A generated well-formed document, kept as structure so tests can predict every edit. */
interface Entry {
  /** Lines as written (no line ends). */
  lines: string[];
  /** Key and value as a reader must see them; undefined for comment and blank lines. */
  key?: string;
  value?: string;
}

interface Section {
  name: string;
  header: string;
  entries: Entry[];
}

interface Doc {
  eol: string;
  finalNewline: boolean;
  preamble: Entry[];
  sections: Section[];
}

const SECTION_POOL = ['default', 'profile prod', 'profile dev', 'sso-session corp', 'services local', 'prod', 'ci'];
const KEY_POOL = ['region', 'output', 'aws_access_key_id', 'aws_session_token', 'awsl_provider', 'awsl_username', 's3', 'sts'];

const gap = fc.constantFrom('', ' ', '  ', '\t');
const keyName = fc.oneof(fc.constantFrom(...KEY_POOL), fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_.-]{0,10}$/));
const sectionName = fc.oneof(fc.constantFrom(...SECTION_POOL), fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/));
/** Values every reader reads as written (AWS CLI and SDKs): no surrounding whitespace, nothing an SDK takes for a comment. */
const value = fc
  .stringMatching(/^[!-~]([ -~]{0,24}[!-~])?$/)
  .filter((text) => !/^[#;]|\s[#;]/.test(text));
/** Values as people write them, comment-like text included: the AWS CLI keeps " # Dublin" as part of the value. */
const writtenValue = fc.oneof(
  { weight: 4, arbitrary: value },
  { weight: 1, arbitrary: fc.tuple(value, fc.constantFrom(' # Dublin', '\t; note', ' ;', ' #x', '\t#')).map(([text, tail]) => text + tail) },
);
const commentText = fc.string({ maxLength: 20 }).map((text) => text.replace(/[\r\n]/g, ''));
/** After a value only whitespace: the AWS CLI has no inline comments (" # x" would be part of the value). */
const trailingSpace = fc.constantFrom('', ' ', '\t', ' \t');

const comment: fc.Arbitrary<Entry> = fc
  .tuple(fc.constantFrom('', ' ', '\t'), fc.constantFrom('#', ';'), commentText)
  .map(([indent, mark, text]) => ({ lines: [`${indent}${mark}${text}`] }));
const blank: fc.Arbitrary<Entry> = fc.constantFrom('', ' ', '\t ').map((text) => ({ lines: [text] }));

/** A value continued on deeper-indented lines: the AWS CLI reads the lines joined by newlines. */
const continuedKey: fc.Arbitrary<Entry> = fc
  .tuple(keyName, gap, writtenValue, fc.array(fc.tuple(fc.constantFrom('  ', '\t', '    '), writtenValue), { minLength: 1, maxLength: 2 }))
  .map(([key, before, first, more]) => ({
    key,
    value: [first, ...more.map(([, text]) => text)].join('\n'),
    lines: [`${key}${before}= ${first}`, ...more.map(([indent, text]) => `${indent}${text}`)],
  }));

const plainKey: fc.Arbitrary<Entry> = fc
  .tuple(keyName, gap, gap, fc.oneof({ weight: 5, arbitrary: writtenValue }, { weight: 1, arbitrary: fc.constant('') }), trailingSpace)
  .map(([key, before, after, text, trail]) => ({ key, value: text, lines: [`${key}${before}=${after}${text}${trail}`] }));

const subLine = fc
  .tuple(fc.constantFrom('  ', '    ', '\t'), keyName, gap, gap, writtenValue, trailingSpace)
  .map(([indent, key, before, after, text, trail]) => ({ line: `${indent}${key}${before}=${after}${text}${trail}`, content: `${key}${before}=${after}${text}` }));

const nestedKey: fc.Arbitrary<Entry> = fc
  .tuple(keyName, gap, trailingSpace, fc.array(fc.tuple(subLine, fc.option(comment, { freq: 4 })), { minLength: 1, maxLength: 3 }))
  .map(([key, before, trail, subs]) => ({
    key,
    value: `\n${subs.map(([sub]) => sub.content).join('\n')}`,
    // A comment or blank line inside the block belongs to it.
    lines: [`${key}${before}=${trail}`, ...subs.flatMap(([sub, inner], index) => (inner && index > 0 ? [...inner.lines, sub.line] : [sub.line]))],
  }));

const section: fc.Arbitrary<Section> = fc
  .tuple(
    sectionName,
    // Not indented: after a key, an indented header continues that key's value (unit tests cover it).
    fc.constant(''),
    fc.constantFrom('', ' # about it', ' ;x'),
    fc.array(fc.oneof({ weight: 6, arbitrary: plainKey }, { weight: 2, arbitrary: nestedKey }, { weight: 1, arbitrary: continuedKey }, { weight: 1, arbitrary: comment }, { weight: 1, arbitrary: blank }), { maxLength: 6 }),
  )
  // The AWS CLI refuses a key twice in a section (in any case): keep the first.
  .map(([name, lead, trail, entries]) => ({
    name,
    header: `${lead}[${name}]${trail}`,
    entries: entries.filter((entry, index) => entry.key === undefined
      || entries.findIndex((other) => other.key?.toLowerCase() === entry.key?.toLowerCase()) === index),
  }));

const doc: fc.Arbitrary<Doc> = fc.record({
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  finalNewline: fc.boolean(),
  preamble: fc.array(fc.oneof(comment, blank), { maxLength: 3 }),
  // The AWS CLI refuses a section twice.
  sections: fc.uniqueArray(section, { maxLength: 5, selector: (s) => s.name }),
});

function lines(document: Doc): string[] {
  return [
    ...document.preamble.flatMap((entry) => entry.lines),
    ...document.sections.flatMap((s) => [s.header, ...s.entries.flatMap((entry) => entry.lines)]),
  ];
}

function render(document: Doc): string {
  const all = lines(document);
  const body = all.join(document.eol) + (document.finalNewline && all.length > 0 ? document.eol : '');
  return body;
}

/** What a reader must see: keys in lower case. */
function model(document: Doc): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  for (const s of document.sections) {
    const values = sections.get(s.name) ?? new Map<string, string>();
    sections.set(s.name, values);
    for (const entry of s.entries) if (entry.key !== undefined) values.set(entry.key.toLowerCase(), entry.value ?? '');
  }
  return sections;
}

function expectMatchesModel(document: IniDocument, expected: Map<string, Map<string, string>>): void {
  expect(document.sections()).to.deep.equal([...expected.keys()]);
  for (const [name, values] of expected) expect(document.section(name)).to.deep.equal(Object.fromEntries(values));
}

function bodyLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The lines that differ once the common beginning and end are set aside. */
function difference(before: string[], after: string[]): { removed: string[]; added: string[] } {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head += 1;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail += 1;
  return { removed: before.slice(head, before.length - tail), added: after.slice(head, after.length - tail) };
}

function isSubsequence(small: string[], large: string[]): boolean {
  let position = 0;
  for (const line of large) if (line === small[position]) position += 1;
  return position === small.length;
}

const AWS_CLI = '/usr/bin/aws';
const run = promisify(execFile);

const lineEnds = (text: string) => new Set(text.match(/\r\n|\r|\n/g) ?? []);

describe('IniDocument properties', () => {
  it('parse then toString is the identity, and reads what was written', () => {
    fc.assert(
      fc.property(doc, (generated) => {
        const text = render(generated);
        const document = IniDocument.parse(text, 'f');
        expect(document.toString()).to.equal(text);
        expectMatchesModel(document, model(generated));
      }),
      { numRuns: 300 },
    );
  });

  it('reads every value the way /usr/bin/aws configure get reads it (sampled)', async function () {
    requirePeer(this, existsSync(AWS_CLI), 'the AWS CLI v2 (/usr/bin/aws, Debian awscli)');
    this.timeout(240_000);
    const folder = await mkdtemp(join(tmpdir(), 'awsl-ini-aws-'));
    const file = join(folder, 'config');
    const profileOf = (section: string) => (section === 'default' ? 'default' : /^profile ([a-z][a-z0-9_-]*)$/.exec(section)?.[1]);
    try {
      await fc.assert(
        fc.asyncProperty(doc, fc.nat(), async (generated, pick) => {
          const text = render(generated);
          // What `aws configure get` can name: a key of a profile section, or KEY.SUB of a nested block.
          const document = IniDocument.parse(text, file);
          let queries = document.sections().flatMap((name) => Object.entries(document.section(name) ?? {})
            .filter(([key]) => profileOf(name) !== undefined && !key.includes('.') && !key.startsWith('aws_'))
            .flatMap(([key, read]) => (read.startsWith('\n')
              ? read.slice(1).split('\n').filter((line) => line !== '').map((line) => [profileOf(name)!, `${key}.${line.slice(0, line.indexOf('=')).trim()}`, line.slice(line.indexOf('=') + 1).trim()])
              : [[profileOf(name)!, key, read]])));
          // `aws configure get` splits its argument at dots: a sub-key with a dot cannot be named.
          queries = queries.filter(([, key]) => key!.split('.').length <= 2 && !key!.endsWith('.'));
          fc.pre(queries.length > 0);
          const [profile, key, expected] = queries[pick % queries.length]!;
          // A nested block whose sub-keys repeat keeps the last, as botocore's dict does.
          const last = queries.filter(([p, k]) => p === profile && k === key).at(-1)![2];
          await writeFile(file, text);
          // A nested KEY.SUB is named with its profile (default.KEY.SUB, profile.P.KEY.SUB): with
          // --profile, the AWS CLI reads KEY.SUB as a nested value only for the keys it knows (s3, …).
          const nested = key!.includes('.');
          const args = nested ? [`${profile === 'default' ? 'default' : `profile.${profile}`}.${key}`] : [key!, '--profile', profile!];
          const { stdout } = await run(AWS_CLI, ['configure', 'get', ...args], {
            env: { PATH: process.env.PATH, HOME: folder, AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: join(folder, 'none') },
          });
          expect(stdout.replace(/\n$/, ''), `${key} of ${profile} in:\n${text}`).to.equal(last ?? expected);
        }),
        { numRuns: 12 },
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('set changes only the line of the key (or adds it) and reads back the new value', () => {
    fc.assert(
      fc.property(doc, fc.nat(), fc.nat(), sectionName, keyName, value, (generated, sectionPick, keyPick, otherSection, otherKey, newValue) => {
        const expected = model(generated);
        const names = [...expected.keys()];
        const target = sectionPick % (names.length + 1) < names.length ? (names[sectionPick % (names.length + 1)] as string) : otherSection;
        const keys = [...(expected.get(target)?.keys() ?? [])];
        const key = keyPick % (keys.length + 1) < keys.length ? (keys[keyPick % (keys.length + 1)] as string) : otherKey;
        const before = render(generated);
        const document = IniDocument.parse(before, 'f');
        document.set(target, key, newValue);
        const after = document.toString();

        const reread = IniDocument.parse(after, 'f');
        expect(reread.get(target, key)).to.equal(newValue);
        const values = expected.get(target) ?? new Map<string, string>();
        expected.set(target, values.set(key.toLowerCase(), newValue));
        expectMatchesModel(reread, expected);

        const { removed, added } = difference(bodyLines(before), bodyLines(after));
        const sectionExisted = names.includes(target);
        const occurrence = generated.sections
          .filter((s) => s.name === target)
          .flatMap((s) => s.entries)
          .filter((entry) => entry.key?.toLowerCase() === key.toLowerCase())
          .at(-1);
        if (occurrence) {
          expect(added.length).to.be.at.most(1);
          expect(removed.length).to.be.at.most(occurrence.lines.length);
        } else if (sectionExisted) {
          expect(removed).to.deep.equal([]);
          expect(added).to.have.length(1);
        } else {
          expect(removed).to.deep.equal([]);
          expect(added).to.include(`[${target}]`);
          expect(added.length).to.be.within(2, 3);
        }
        for (const line of added) {
          if (line !== '' && line !== `[${target}]`) expect(IniDocument.parse(`[x]\n${line}`, 'f').get('x', key)).to.equal(newValue);
        }
        if (before !== '') {
          expect(/[\r\n]$/.test(after)).to.equal(/[\r\n]$/.test(before));
          // New lines use one of the file's line ends; LF when the file has none yet.
          const allowed = new Set([...lineEnds(before), '\n']);
          for (const end of lineEnds(after)) expect(allowed).to.include(end);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('delete removes exactly the key\'s lines, everywhere in the section', () => {
    fc.assert(
      fc.property(doc, fc.nat(), fc.nat(), (generated, sectionPick, keyPick) => {
        const expected = model(generated);
        const names = [...expected.keys()];
        fc.pre(names.length > 0);
        const target = names[sectionPick % names.length] as string;
        const keys = [...(expected.get(target)?.keys() ?? [])];
        fc.pre(keys.length > 0);
        const key = keys[keyPick % keys.length] as string;

        const document = IniDocument.parse(render(generated), 'f');
        expect(document.delete(target, key)).to.equal(true);
        const pruned: Doc = {
          ...generated,
          sections: generated.sections.map((s) => (s.name === target ? { ...s, entries: s.entries.filter((entry) => entry.key?.toLowerCase() !== key) } : s)),
        };
        expect(document.toString()).to.equal(render(pruned));
        const reread = IniDocument.parse(document.toString(), 'f');
        expect(reread.get(target, key)).to.equal(undefined);
        expected.get(target)?.delete(key);
        expectMatchesModel(reread, expected);
      }),
      { numRuns: 300 },
    );
  });

  it('removeSection removes that section\'s lines and nothing of the others', () => {
    fc.assert(
      fc.property(doc, fc.nat(), (generated, sectionPick) => {
        const expected = model(generated);
        const names = [...expected.keys()];
        fc.pre(names.length > 0);
        const target = names[sectionPick % names.length] as string;
        const before = render(generated);
        const document = IniDocument.parse(before, 'f');
        expect(document.removeSection(target)).to.equal(true);
        const after = document.toString();

        const reread = IniDocument.parse(after, 'f');
        expected.delete(target);
        expectMatchesModel(reread, expected);
        expect(isSubsequence(bodyLines(after).filter((line) => line !== ''), bodyLines(before).filter((line) => line !== ''))).to.equal(true);
        const isContent = (line: string) => line.trim() !== '' && !/^\s*[#;]/.test(line);
        const removedContent = generated.sections
          .filter((s) => s.name === target)
          .flatMap((s) => [s.header, ...s.entries.flatMap((entry) => entry.lines)])
          .filter(isContent).length;
        expect(bodyLines(after).filter(isContent).length).to.equal(bodyLines(before).filter(isContent).length - removedContent);
      }),
      { numRuns: 300 },
    );
  });

  describe('on arbitrary text', () => {
    const pieces = fc.constantFrom('[', ']', '=', '#', ';', ' ', '\t', '\r', '\n', '\r\n', 'a', 'k', '\uFEFF', 'é', '\u2028', 'x = 1', '[s]', 'profile p', '  ');
    const garbage = fc.oneof(
      fc.string({ unit: pieces, maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 120 }),
      // A well-formed document with one line of noise in it.
      fc.tuple(doc, fc.nat(), fc.string({ unit: pieces, maxLength: 12 })).map(([generated, at, noise]) => {
        const all = lines(generated);
        all.splice(at % (all.length + 1), 0, noise);
        return all.join(generated.eol);
      }),
    );

    it('parses and round-trips, or throws FileUnreadableError with a line inside the text', () => {
      fc.assert(
        fc.property(garbage, (text) => {
          let document: IniDocument;
          try {
            document = IniDocument.parse(text, 'f');
          } catch (error) {
            expect(error).to.be.instanceOf(FileUnreadableError);
            const line = (error as FileUnreadableError).line ?? 0;
            expect(line).to.be.within(1, text.split(/\r\n|\r|\n/).length);
            return;
          }
          expect(document.toString()).to.equal(text);
        }),
        { numRuns: 2000 },
      );
    });

    it('edits of whatever parses produce text that parses and reads the same outside the edit, or change nothing', () => {
      fc.assert(
        fc.property(garbage, fc.nat(), keyName, value, fc.constantFrom('set', 'delete', 'removeSection'), (text, pick, key, newValue, operation) => {
          let document: IniDocument;
          try {
            document = IniDocument.parse(text, 'f');
          } catch {
            return;
          }
          const names = document.sections();
          const target = names.length > 0 ? (names[pick % names.length] as string) : 'default';
          const others = () => Object.fromEntries(names.filter((name) => name !== target && target !== 'DEFAULT').map((name) => [name, document.section(name)]));
          const othersBefore = others();
          try {
            if (operation === 'set') document.set(target, key, newValue);
            else if (operation === 'delete') document.delete(target, Object.keys(document.section(target) ?? {})[0] ?? key);
            else document.removeSection(target);
          } catch (error) {
            if (error instanceof FileUnreadableError) {
              // An indented line after the edit that would join the value above it: refused, nothing changed.
              expect(error.message).to.match(/^f:\d+: awsl cannot change the lines above this one/);
              expect(document.toString()).to.equal(text);
              return;
            }
            // Otherwise only a section name that cannot be written back as read (e.g. `[ x ]`) is refused.
            expect(error).to.be.instanceOf(InvalidInputError);
            // Python's whitespace (the AWS CLI's) also counts the control characters \x1c-\x1f.
            // eslint-disable-next-line no-control-regex
            expect(/^[\s\x1c-\x1f\x85]|[\s\x1c-\x1f\x85]$|[[\]]|\s[#;]/.test(target)).to.equal(true);
            return;
          }
          const reread = IniDocument.parse(document.toString(), 'f');
          if (operation === 'set') expect(reread.get(target, key)).to.equal(newValue);
          if (operation === 'removeSection') expect(reread.sections()).not.to.include(target);
          expect(Object.fromEntries(Object.keys(othersBefore).map((name) => [name, reread.section(name)]))).to.deep.equal(othersBefore);
        }),
        { numRuns: 2000 },
      );
    });

    it('refuses to remove a section when that would make an indented header part of the value before it', () => {
      const text = '[default]\nregion = eu-west-1\n[a]\n  [b]\nregion = us-east-1\n';
      const document = IniDocument.parse(text, 'f');
      expect(document.sections()).to.deep.equal(['default', 'a', 'b']);
      expect(() => document.removeSection('a')).to.throw(FileUnreadableError, /^f:4: awsl cannot change the lines above this one without the AWS CLI reading it differently: indented, it would become part of the value before it$/);
      expect(document.toString()).to.equal(text);
      expect(document.get('b', 'region')).to.equal('us-east-1');
      // Unindented, as the hint says, the same file reads the same and the section goes.
      const fixed = IniDocument.parse(text.replace('  [b]', '[b]'), 'f');
      expect(fixed.section('b')).to.deep.equal(document.section('b'));
      fixed.removeSection('a');
      expect(fixed.toString()).to.equal('[default]\nregion = eu-west-1\n[b]\nregion = us-east-1\n');
    });
  });
});
