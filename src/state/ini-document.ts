/**
 * A byte-preserving editor for the AWS shared config and credentials files.
 *
 * The grammar is the one the AWS CLI reads (botocore's configloader over Python's configparser,
 * RawConfigParser with its defaults), so that a file the AWS CLI refuses is refused here too, with
 * its line, and one it accepts reads the same:
 *
 * - `[name]` starts a section; the name is the text between the first `[` and the last `]` of the
 *   line (`[profile p] notes` is the section `profile p`), taken literally (`[ profile x ]` is not
 *   `[profile x]`). A section may appear once only; `[DEFAULT]`'s keys apply to every section.
 * - `key = value` or `key: value`, split at the first `=` or `:`; the key is read in lower case; the
 *   value is trimmed. There are no inline comments: `region = eu-west-1 # Dublin` reads
 *   `eu-west-1 # Dublin`. A key may appear once only in its section.
 * - A line whose first non-blank character is `#` or `;` is a comment, wherever it is indented.
 * - A line indented deeper than the key line above it continues that key, whatever it holds (an
 *   indented `[x]` too); blank lines between belong to the value, comment lines do not. A value that
 *   starts with a line break is a nested block (`s3 =` then `  max_concurrent_requests = 20`),
 *   every line of which needs an `=`.
 * - LF, CRLF or a lone CR end a line (Python's universal newlines); a missing final newline is
 *   fine. A UTF-8 byte order mark is not: the AWS CLI reads it as text before the first section.
 *
 * Anything else is a FileUnreadableError naming the line, and nothing is changed.
 */
import { FileUnreadableError, InvalidInputError } from '../errors.js';

type LineKind = 'blank' | 'comment' | 'header' | 'key' | 'continuation';

interface Line {
  /** The line without its line end. */
  readonly text: string;
  /** '\n', '\r\n', '\r', or '' for a last line without a final newline. */
  eol: string;
  kind: LineKind;
  /** Section name of a header, key name (lower case) of a key line, '' otherwise. */
  name: string;
  /** Index of the `=` or `:` in a key line's text, and where its value starts and ends. */
  equals: number;
  valueStart: number;
  valueEnd: number;
  /** For a key line: index of the line after its last continuation line. */
  end: number;
  /** Continuation lines: the text that counts, trimmed. */
  content: string;
}

const BOM = '\uFEFF';
/** The section whose keys every other section inherits (configparser's default_section). */
const DEFAULT_SECTION = 'DEFAULT';
/** What Python's str.strip() and the `\s` of its re module take for whitespace. */
const SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_SPACE = new RegExp(`^[${SPACE}]+`);
const TRAILING_SPACE = new RegExp(`[${SPACE}]+$`);
/** configparser's SECTCRE, matched at the start of the stripped line. */
const HEADER = /^\[([^]+)\]/;

const rstrip = (text: string) => text.replace(TRAILING_SPACE, '');
const strip = (text: string) => rstrip(text.replace(LEADING_SPACE, ''));

/** A line as written, or the first line an edit produced: not yet classified. */
function rawLine(text: string, eol: string): Line {
  return { text, eol, kind: 'blank', name: '', equals: -1, valueStart: 0, valueEnd: 0, end: 0, content: '' };
}

function splitLines(body: string): Line[] {
  const lines: Line[] = [];
  const ends = /\r\n|\r|\n/g;
  let start = 0;
  for (let match = ends.exec(body); match; match = ends.exec(body)) {
    lines.push(rawLine(body.slice(start, match.index), match[0]));
    start = match.index + match[0].length;
  }
  if (start < body.length) lines.push(rawLine(body.slice(start), ''));
  return lines;
}

function indentOf(text: string): number {
  return LEADING_SPACE.exec(text)?.[0].length ?? 0;
}

/** The index of the first reading that differs, if one does. */
function firstDifference(before: readonly string[], after: readonly string[]): number | undefined {
  const index = before.findIndex((reading, position) => reading !== after[position]);
  return index < 0 ? undefined : index;
}

/** How the AWS CLI reads each line: blank, comment, or a header, key or continuation of a section (and key). */
function readings(lines: readonly Line[]): string[] {
  let section = '';
  return lines.map((line) => {
    if (line.kind === 'header') section = line.name;
    return line.kind === 'blank' || line.kind === 'comment' ? line.kind : `${line.kind}\n${section}\n${line.name}`;
  });
}

/** Classifies every line in place, as configparser's _read does; throws on the first line the AWS CLI refuses. */
function classify(lines: Line[], file: string): void {
  let section: string | undefined;
  let lastKey: Line | undefined;
  let indentLevel = 0;
  const firstSeen = new Map<string, number>();
  lines.forEach((line, index) => {
    const fail = (problem: string): never => {
      throw new FileUnreadableError(file, index + 1, problem);
    };
    const { text } = line;
    const content = strip(text);
    line.name = '';
    line.content = '';
    if (content.startsWith('#') || content.startsWith(';')) {
      line.kind = 'comment';
      return;
    }
    if (content === '') {
      line.kind = 'blank';
      return;
    }
    const indent = indentOf(text);
    if (lastKey && indent > indentLevel) {
      line.kind = 'continuation';
      line.content = content;
      lastKey.end = index + 1;
      return;
    }
    indentLevel = indent;
    const header = HEADER.exec(content);
    if (header) {
      const name = header[1]!;
      const first = firstSeen.get(`[${name}`);
      if (first !== undefined && name !== DEFAULT_SECTION) fail(`the section [${name}] appears a second time (first at line ${first}); the AWS CLI refuses that`);
      firstSeen.set(`[${name}`, index + 1);
      line.kind = 'header';
      line.name = name;
      section = name;
      lastKey = undefined;
      return;
    }
    const delimiter = content.search(/[=:]/);
    if (delimiter === -1 && content.startsWith('[')) fail(content.startsWith('[]') ? 'the section header has no name' : 'the section header has no closing "]"');
    if (section === undefined) fail(delimiter === -1 ? 'text appears before the first [section] header' : 'a setting appears before the first [section] header');
    if (delimiter === -1) fail('expected "key = value", a [section] header or a comment');
    const name = rstrip(content.slice(0, delimiter)).toLowerCase();
    if (name === '') fail('a setting has no name before "=" or ":"');
    const first = firstSeen.get(`${section}\n${name}`);
    if (first !== undefined) fail(`the key ${name} appears a second time in [${section}] (first at line ${first}); the AWS CLI refuses that`);
    firstSeen.set(`${section}\n${name}`, index + 1);
    const equals = indent + delimiter;
    const rawValue = text.slice(equals + 1);
    line.kind = 'key';
    line.name = name;
    line.equals = equals;
    if (strip(rawValue) === '') {
      // An empty value is written after one space if the line has one there (`key = ` → `key = v`).
      line.valueStart = line.valueEnd = equals + 1 + Math.min(1, rawValue.length);
    } else {
      line.valueStart = equals + 1 + indentOf(rawValue);
      line.valueEnd = equals + 1 + rstrip(rawValue).length;
    }
    line.end = index + 1;
    lastKey = line;
  });
  checkNestedBlocks(lines, file);
}

/** botocore reads a value that starts with a line break as `key = value` lines, and refuses the file when one has no `=`. */
function checkNestedBlocks(lines: Line[], file: string): void {
  lines.forEach((line, index) => {
    if (line.kind !== 'key' || line.valueStart !== line.valueEnd) return;
    for (let next = index + 1; next < line.end; next += 1) {
      const continued = lines[next]!;
      if (continued.kind === 'continuation' && !continued.content.includes('=')) {
        throw new FileUnreadableError(file, next + 1, `a line of the nested block under ${line.name} has no "="`);
      }
    }
  });
}

function valueOf(line: Line): string {
  return line.text.slice(line.valueStart, line.valueEnd);
}

/**
 * Refuses names and values that would read back differently, or would add lines or keys, for the
 * AWS CLI and for the SDKs alike (they do strip inline comments: ` #` or ` ;` in a value is refused).
 */
function checkWritable(section: string, key: string, value: string): void {
  const refuse = (problem: string): never => {
    throw new InvalidInputError(problem);
  };
  // Inside brackets a leading `#` is no comment; at the start of a key or after ` = ` it is.
  const checkText = (what: string, text: string, commentAtStart = true) => {
    if (/[\r\n]/.test(text)) refuse(`${what} cannot contain a line break.`);
    if (strip(text) !== text || text.trim() !== text) refuse(`${what} cannot start or end with whitespace.`);
    if ((commentAtStart && /^[#;]/.test(text)) || /\s[#;]/.test(text)) {
      refuse(`${what} cannot contain "#" or ";" at its start or after a space: it would be read as a comment.`);
    }
  };
  checkText('A section name', section, false);
  if (section === '' || /[[\]]/.test(section)) refuse(`The section name "${section}" is empty or contains "[" or "]".`);
  checkText(`The key name in [${section}]`, key);
  if (key === '' || /[=:]/.test(key) || key.startsWith('[')) {
    refuse(`The key name "${key}" in [${section}] is empty, starts with "[" or contains "=" or ":".`);
  }
  // The value is not quoted in the message: it may be a secret.
  checkText(`The value of ${key} in [${section}]`, value);
}

export class IniDocument {
  private constructor(
    private readonly file: string,
    private lines: Line[],
  ) {}

  /** Parses AWS-style INI text; `file` names the file in errors. */
  static parse(text: string, file: string): IniDocument {
    if (text.startsWith(BOM)) {
      throw new FileUnreadableError(file, 1, 'the file starts with a UTF-8 byte order mark, which the AWS CLI cannot read',
        'Save the file as UTF-8 without a byte order mark (BOM); awsl left it unchanged.');
    }
    const lines = splitLines(text);
    classify(lines, file);
    return new IniDocument(file, lines);
  }

  /** The text, byte for byte as parsed when nothing was changed. */
  toString(): string {
    return this.lines.map((line) => line.text + line.eol).join('');
  }

  /** Section names in order of first appearance, each once. */
  sections(): string[] {
    return [...new Set(this.lines.filter((line) => line.kind === 'header').map((line) => line.name))];
  }

  /**
   * The section's keys (lower case) and values, undefined when there is no such section; keys of
   * [DEFAULT] that the section does not set come after its own, as configparser gives them. A key
   * continued on indented lines has the value botocore gives it: the lines, trimmed, comment lines
   * left out, blank lines kept inside, joined by '\n'; so a nested block (`s3 =` and indented lines)
   * reads `\nmax_concurrent_requests = 20\n…`, recognisable by its leading newline.
   */
  section(name: string): Record<string, string> | undefined {
    if (!this.lines.some((line) => line.kind === 'header' && line.name === name)) return undefined;
    const values = new Map<string, string>();
    const inherited = name === DEFAULT_SECTION ? [] : this.keyLines(DEFAULT_SECTION);
    for (const index of [...this.keyLines(name), ...inherited]) {
      const line = this.line(index);
      if (!values.has(line.name)) values.set(line.name, this.fullValue(index));
    }
    return Object.fromEntries(values);
  }

  /** The value of `key` in `section` (the section's own, else [DEFAULT]'s), as section() gives it. */
  get(section: string, key: string): string | undefined {
    const index = this.keyLines(section, key).at(-1) ?? (section === DEFAULT_SECTION ? undefined : this.keyLines(DEFAULT_SECTION, key).at(-1));
    return index === undefined ? undefined : this.fullValue(index);
  }

  /**
   * Sets a value, changing as few bytes as possible:
   * - an existing key (matched in any case, as the AWS CLI reads keys) gets the new value on its own
   *   line, keeping the line's spacing; a nested block under it is replaced by the plain value;
   * - a new key goes right after the last key line (and its nested block) of the section's last
   *   occurrence, before the blank lines and comments that precede the next section; it copies
   *   that line's indentation and `key=value` or `key = value` style;
   * - a new section goes at the end of the file, after one blank line unless the file is empty or
   *   already ends with one.
   * New lines use the file's most common line end (LF, CRLF or CR); a file without a final
   * newline stays without one. Throws InvalidInputError for a section, key or value that would not
   * read back as given (line breaks, surrounding whitespace, comment characters, `=` or brackets).
   */
  set(section: string, key: string, value: string): void {
    checkWritable(section, key, value);
    const existing = this.keyLines(section, key).at(-1);
    if (existing !== undefined) {
      this.replaceValue(existing, value);
      return;
    }
    const blocks = this.blocks(section);
    const block = blocks.at(-1);
    if (block) {
      const keys = this.keyLines(section).filter((index) => index > block.header);
      const last = keys.at(-1);
      const after = last === undefined ? block.header + 1 : this.line(last).end;
      this.insertLines(after, [this.keyLine(key, value, last ?? this.lastKeyLine(), after)]);
      return;
    }
    const lines = [`[${section}]`, this.keyLine(key, value, this.lastKeyLine())];
    const tail = this.lines.at(-1);
    if (tail && tail.kind !== 'blank') lines.unshift('');
    this.insertLines(this.lines.length, lines);
  }

  /** Removes every occurrence of `key` in `section`, with its nested block. True if there was one. */
  delete(section: string, key: string): boolean {
    const found = this.keyLines(section, key);
    for (const index of found.reverse()) this.removeLines(index, this.line(index).end);
    return found.length > 0;
  }

  /**
   * Removes every occurrence of the section. Removed with it: its header, its lines, the comment
   * lines directly above its header (no blank line between: they describe it) and the blank lines
   * that follow it. Kept: comment lines directly above the next header (they describe that one),
   * and the blank lines before the section, which now separate its neighbours; when it was the
   * last section those are removed too, so the file does not end with blank lines it did not have.
   * True if there was one.
   */
  removeSection(section: string): boolean {
    let removed = false;
    for (let block = this.blocks(section)[0]; block; block = this.blocks(section)[0]) {
      let start = block.header;
      while (start > 0 && this.line(start - 1).kind === 'comment') start -= 1;
      let stop = block.end;
      if (stop < this.lines.length) {
        while (stop - 1 > block.header && this.line(stop - 1).kind === 'comment') stop -= 1;
      } else {
        while (start > 0 && this.line(start - 1).kind === 'blank') start -= 1;
      }
      this.removeLines(start, stop);
      removed = true;
    }
    return removed;
  }

  private line(index: number): Line {
    const line = this.lines[index];
    if (!line) throw new RangeError(`no line ${index}`);
    return line;
  }

  /** Indices of the key lines of a section, of one key when `key` is given. */
  private keyLines(section: string, key?: string): number[] {
    const found: number[] = [];
    let current: string | undefined;
    this.lines.forEach((line, index) => {
      if (line.kind === 'header') current = line.name;
      else if (line.kind === 'key' && current === section && (key === undefined || line.name === key.toLowerCase())) found.push(index);
    });
    return found;
  }

  /** Each occurrence of a section: its header and the index of the next header (or the end). */
  private blocks(section: string): { header: number; end: number }[] {
    const headers = this.lines.flatMap((line, index) => (line.kind === 'header' ? [index] : []));
    return headers.flatMap((header, position) =>
      this.line(header).name === section ? [{ header, end: headers[position + 1] ?? this.lines.length }] : [],
    );
  }

  private lastKeyLine(): number | undefined {
    return this.lines.flatMap((line, index) => (line.kind === 'key' ? [index] : [])).at(-1);
  }

  private fullValue(index: number): string {
    const line = this.line(index);
    const parts = [valueOf(line)];
    for (let next = index + 1; next < line.end; next += 1) {
      const continued = this.line(next);
      if (continued.kind === 'continuation') parts.push(continued.content);
      else if (continued.kind === 'blank') parts.push('');
    }
    return rstrip(parts.join('\n'));
  }

  /** A new key line in the style of the line at `like` (indentation, spaces around `=`). */
  /**
   * A new key line in the style of the line at `like` (indentation, spaces around `=`), to go before
   * the line at `before`: indented at least as deep as the next line that counts, which would
   * otherwise become a continuation of the new key.
   */
  private keyLine(key: string, value: string, like: number | undefined, before = this.lines.length): string {
    const model = like === undefined ? undefined : this.line(like);
    const next = this.lines.slice(before).find((line) => line.kind !== 'blank' && line.kind !== 'comment');
    const modelIndent = model ? model.text.slice(0, indentOf(model.text)) : '';
    const nextIndent = next ? next.text.slice(0, indentOf(next.text)) : '';
    const indent = nextIndent.length > modelIndent.length ? nextIndent : modelIndent;
    const compact = model !== undefined && !/\s/.test(model.text.charAt(model.equals - 1) + model.text.slice(model.equals + 1, model.valueStart));
    const separator = compact ? '=' : ' = ';
    return `${indent}${key}${value === '' ? separator.trimEnd() : separator + value}`;
  }

  private replaceValue(index: number, value: string): void {
    const line = this.line(index);
    const { text } = line;
    // `key =` has nowhere to keep a space before the value: add one if there is one before `=`.
    const pad = line.valueStart === line.equals + 1 && value !== '' && /\s/.test(text.charAt(line.equals - 1)) ? ' ' : '';
    const replaced = text.slice(0, line.valueStart) + pad + value + text.slice(line.valueEnd);
    this.splice(index, line.end, [rawLine(replaced, line.eol)]);
  }

  private insertLines(at: number, texts: string[]): void {
    const newline = this.newline();
    this.splice(at, at, texts.map((text) => rawLine(text, newline)));
  }

  private removeLines(from: number, to: number): void {
    this.splice(from, to, []);
  }

  /**
   * Replaces lines [from, to); a file without a final newline keeps lacking one. Every line after
   * them must read as before: removing a key or section can bring an indented line under the key
   * above it (`[a]` removed from `[default] k = v`, `[a]`, `  [b]` makes `[b]` part of k's value).
   * Then nothing changes and FileUnreadableError names that line.
   */
  private splice(from: number, to: number, added: Line[]): void {
    const saved = this.lines.map((line) => ({ line, eol: line.eol }));
    const readingBefore = readings(this.lines).slice(to);
    const lacksFinalNewline = this.lines.at(-1)?.eol === '';
    const newline = this.newline();
    this.lines.splice(from, to - from, ...added);
    if (lacksFinalNewline) {
      const last = this.lines.length - 1;
      this.lines.forEach((line, index) => {
        line.eol = index === last ? '' : line.eol || newline;
      });
    }
    // The first line after the edit that reads differently, or whose new reading the AWS CLI refuses.
    const offset = from + added.length;
    let changed: number | undefined;
    try {
      classify(this.lines, this.file);
      changed = firstDifference(readingBefore, readings(this.lines).slice(offset));
    } catch (error) {
      // classify stopped at the line it refused: the lines before it are classified anew.
      const failing = Math.max(0, error instanceof FileUnreadableError && error.line !== undefined ? error.line - 1 - offset : 0);
      changed = firstDifference(readingBefore.slice(0, failing), readings(this.lines.slice(0, offset + failing)).slice(offset)) ?? failing;
    }
    if (changed === undefined) return;
    const joinsValue = this.lines[offset + changed]?.kind === 'continuation';
    this.lines = saved.map(({ line, eol }) => Object.assign(line, { eol }));
    classify(this.lines, this.file);
    const line = to + changed + 1;
    throw new FileUnreadableError(this.file, line,
      `awsl cannot change the lines above this one without the AWS CLI reading it differently${joinsValue ? ': indented, it would become part of the value before it' : ''}`,
      `Remove the indentation of line ${line} by hand (the AWS CLI reads the file the same), then run again; awsl left the file unchanged.`);
  }

  /** The most common line end of the file (LF when it has none, or on a tie). */
  private newline(): string {
    const count = (eol: string) => this.lines.filter((line) => line.eol === eol).length;
    const [lf, crlf, cr] = [count('\n'), count('\r\n'), count('\r')];
    if (crlf > lf && crlf >= cr) return '\r\n';
    return cr > lf && cr > crlf ? '\r' : '\n';
  }
}
