import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { expect } from 'chai';
import fc from 'fast-check';
import { FileUnreadableError, InvalidInputError } from '../../src/errors.js';
import { IniDocument } from '../../src/state/ini-document.js';

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
  bom: boolean;
  eol: string;
  finalNewline: boolean;
  preamble: Entry[];
  sections: Section[];
}

const SECTION_POOL = ['default', 'profile prod', 'profile dev', 'sso-session corp', 'services local', 'prod', 'ci'];
const KEY_POOL = ['region', 'output', 'aws_access_key_id', 'aws_session_token', 'awsl_provider', 'awsl_username', 's3', 'sts'];

const gap = fc.constantFrom('', ' ', '  ', '\t');
const keyName = fc.oneof(fc.constantFrom(...KEY_POOL), fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_.:-]{0,10}$/));
const sectionName = fc.oneof(fc.constantFrom(...SECTION_POOL), fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/));
/** Values that read back as written: no surrounding whitespace, nothing that starts a comment. */
const value = fc
  .stringMatching(/^[!-~]([ -~]{0,24}[!-~])?$/)
  .filter((text) => !/^[#;]|\s[#;]/.test(text));
const commentText = fc.string({ maxLength: 20 }).map((text) => text.replace(/[\r\n]/g, ''));
const trailingComment = fc.oneof(fc.constant(''), fc.constant(' '), commentText.map((text) => ` # ${text}`), commentText.map((text) => `\t;${text}`));

const comment: fc.Arbitrary<Entry> = fc
  .tuple(fc.constantFrom('', ' ', '\t'), fc.constantFrom('#', ';'), commentText)
  .map(([indent, mark, text]) => ({ lines: [`${indent}${mark}${text}`] }));
const blank: fc.Arbitrary<Entry> = fc.constantFrom('', ' ', '\t ').map((text) => ({ lines: [text] }));

const plainKey: fc.Arbitrary<Entry> = fc
  .tuple(keyName, gap, gap, fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: fc.constant('') }), trailingComment)
  .map(([key, before, after, text, trail]) => ({ key, value: text, lines: [`${key}${before}=${after}${text}${trail}`] }));

const subLine = fc
  .tuple(fc.constantFrom('  ', '    ', '\t'), keyName, gap, gap, value, trailingComment)
  .map(([indent, key, before, after, text, trail]) => ({ line: `${indent}${key}${before}=${after}${text}${trail}`, content: `${key}${before}=${after}${text}` }));

const nestedKey: fc.Arbitrary<Entry> = fc
  .tuple(keyName, gap, trailingComment, fc.array(fc.tuple(subLine, fc.option(comment, { freq: 4 })), { minLength: 1, maxLength: 3 }))
  .map(([key, before, trail, subs]) => ({
    key,
    value: `\n${subs.map(([sub]) => sub.content).join('\n')}`,
    // A comment or blank line inside the block belongs to it.
    lines: [`${key}${before}=${trail}`, ...subs.flatMap(([sub, inner], index) => (inner && index > 0 ? [...inner.lines, sub.line] : [sub.line]))],
  }));

const section: fc.Arbitrary<Section> = fc
  .tuple(
    sectionName,
    fc.constantFrom('', ' '),
    fc.constantFrom('', ' # about it', ' ;x'),
    fc.array(fc.oneof({ weight: 6, arbitrary: plainKey }, { weight: 2, arbitrary: nestedKey }, { weight: 1, arbitrary: comment }, { weight: 1, arbitrary: blank }), { maxLength: 6 }),
  )
  .map(([name, lead, trail, entries]) => ({ name, header: `${lead}[${name}]${trail}`, entries }));

const doc: fc.Arbitrary<Doc> = fc.record({
  bom: fc.boolean(),
  eol: fc.constantFrom('\n', '\r\n'),
  finalNewline: fc.boolean(),
  preamble: fc.array(fc.oneof(comment, blank), { maxLength: 3 }),
  sections: fc.array(section, { maxLength: 5 }),
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
  return (document.bom ? '\uFEFF' : '') + body;
}

/** What a reader must see: sections merged, the last value of a key winning. */
function model(document: Doc): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  for (const s of document.sections) {
    const values = sections.get(s.name) ?? new Map<string, string>();
    sections.set(s.name, values);
    for (const entry of s.entries) if (entry.key !== undefined) values.set(entry.key, entry.value ?? '');
  }
  return sections;
}

function expectMatchesModel(document: IniDocument, expected: Map<string, Map<string, string>>): void {
  expect(document.sections()).to.deep.equal([...expected.keys()]);
  for (const [name, values] of expected) expect(document.section(name)).to.deep.equal(Object.fromEntries(values));
}

function bodyLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
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

const lineEnds = (text: string) => new Set(text.match(/\r?\n/g) ?? []);

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

  it('reads every value the way the AWS SDK for JavaScript reads it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'awsl-ini-sdk-'));
    const file = join(folder, 'credentials');
    const sdkName = (name: string) => name.replace(/^(profile|sso-session|services) /, '$1.');
    try {
      await fc.assert(
        fc.asyncProperty(doc, async (generated) => {
          const text = render(generated);
          await writeFile(file, text);
          const sdk = (await loadSharedConfigFiles({ filepath: file, configFilepath: join(folder, 'none'), ignoreCache: true })).credentialsFile;
          const document = IniDocument.parse(text, file);
          for (const name of document.sections()) {
            for (const [key, read] of Object.entries(document.section(name) ?? {})) {
              if (read.startsWith('\n')) {
                const subs = new Map(read.slice(1).split('\n').map((line) => [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim()]));
                for (const [sub, subValue] of subs) expect(sdk[sdkName(name)]?.[`${key}.${sub}`]).to.equal(subValue);
              } else if (read !== '') {
                // The SDK does not keep empty values.
                expect(sdk[sdkName(name)]?.[key]).to.equal(read);
              }
            }
          }
        }),
        { numRuns: 150 },
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
        expected.set(target, values.set(key, newValue));
        expectMatchesModel(reread, expected);

        const { removed, added } = difference(bodyLines(before), bodyLines(after));
        const sectionExisted = names.includes(target);
        const occurrence = generated.sections
          .filter((s) => s.name === target)
          .flatMap((s) => s.entries)
          .filter((entry) => entry.key === key)
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
        expect(after.startsWith('\uFEFF')).to.equal(before.startsWith('\uFEFF'));
        if (before.replace(/^\uFEFF/, '') !== '') {
          expect(/\n$/.test(after)).to.equal(/\n$/.test(before));
          // New lines use the file's line end; LF when the file has none yet.
          const allowed = lineEnds(before).size > 0 ? lineEnds(before) : new Set(['\n']);
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
          sections: generated.sections.map((s) => (s.name === target ? { ...s, entries: s.entries.filter((entry) => entry.key !== key) } : s)),
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
            expect(line).to.be.within(1, text.split(/\r?\n/).length);
            return;
          }
          expect(document.toString()).to.equal(text);
        }),
        { numRuns: 2000 },
      );
    });

    it('edits of whatever parses always produce text that parses', () => {
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
          try {
            if (operation === 'set') document.set(target, key, newValue);
            else if (operation === 'delete') document.delete(target, Object.keys(document.section(target) ?? {})[0] ?? key);
            else document.removeSection(target);
          } catch (error) {
            // Only a section name that cannot be written back as read (e.g. `[ x ]`) is refused.
            expect(error).to.be.instanceOf(InvalidInputError);
            expect(target.trim() !== target || /[[\]]|\s[#;]/.test(target)).to.equal(true);
            return;
          }
          const reread = IniDocument.parse(document.toString(), 'f');
          if (operation === 'set') expect(reread.get(target, key)).to.equal(newValue);
        }),
        { numRuns: 2000 },
      );
    });
  });
});
