/**
 * A byte-preserving editor for the AWS shared config and credentials files.
 *
 * The grammar is the one the AWS SDK for JavaScript reads (and that awsl itself uses to reach AWS),
 * with the AWS CLI's (Python configparser's) rule for continuation lines:
 *
 * - `[name]` starts a section; the name is the text between the brackets, taken literally
 *   (`profile prod`, `sso-session corp`, `services local`, or a bare `prod` in credentials files).
 * - `key = value`, with any spacing around `=`; the value is trimmed.
 * - `#` or `;` at the start of a line, or after whitespace, starts a comment that runs to the end of
 *   the line (so `region = eu-west-1 # Dublin` reads `eu-west-1`, as in the SDK).
 * - A line indented deeper than the key line above it continues that key: this is how nested
 *   values are written (`s3 =` followed by `  max_concurrent_requests = 20`). Blank and comment lines
 *   between continuation lines belong to the block.
 * - Blank lines, LF or CRLF line ends, a missing final newline and a UTF-8 byte order mark.
 *
 * Duplicates are tolerated the way the SDK tolerates them (botocore refuses them): a section header
 * that appears twice continues the same section, and the last value of a repeated key wins.
 * Anything else is a FileUnreadableError naming the line, and nothing is changed.
 */
import { FileUnreadableError, InvalidInputError } from '../errors.js';

type LineKind = 'blank' | 'comment' | 'header' | 'key' | 'continuation';

interface Line {
  /** The line without its line end. */
  readonly text: string;
  /** '\n', '\r\n', or '' for a last line without a final newline. */
  eol: string;
  kind: LineKind;
  /** Section name of a header, key name of a key line, '' otherwise. */
  name: string;
  /** Index of `=` in a key line's text, and where its value starts and ends. */
  equals: number;
  valueStart: number;
  valueEnd: number;
  /** For a key line: index of the line after its last continuation line. */
  end: number;
  /** Continuation lines: the text that counts, comment removed and trimmed. */
  content: string;
}

const BOM = '\uFEFF';
/** Where a comment starts, exactly as the SDK finds it. */
const COMMENT = /(^|\s)[#;]/;

/** A line as written, or the first line an edit produced: not yet classified. */
function rawLine(text: string, eol: string): Line {
  return { text, eol, kind: 'blank', name: '', equals: -1, valueStart: 0, valueEnd: 0, end: 0, content: '' };
}

function splitLines(body: string): Line[] {
  const lines: Line[] = [];
  const ends = /\r?\n/g;
  let start = 0;
  for (let match = ends.exec(body); match; match = ends.exec(body)) {
    lines.push(rawLine(body.slice(start, match.index), match[0]));
    start = match.index + match[0].length;
  }
  if (start < body.length) lines.push(rawLine(body.slice(start), ''));
  return lines;
}

function withoutComment(text: string): string {
  const match = COMMENT.exec(text);
  return match ? text.slice(0, match.index) : text;
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

/** Classifies every line in place; throws on the first line that is not INI. */
function classify(lines: Line[], file: string): void {
  let inSection = false;
  let lastKey: Line | undefined;
  let lastKeyIndent = 0;
  lines.forEach((line, index) => {
    const fail = (problem: string): never => {
      throw new FileUnreadableError(file, index + 1, problem);
    };
    const { text } = line;
    const uncommented = withoutComment(text);
    const content = uncommented.trim();
    line.name = '';
    line.content = '';
    if (content === '') {
      line.kind = text.trim() === '' ? 'blank' : 'comment';
      return;
    }
    const indent = indentOf(text);
    if (lastKey && indent > lastKeyIndent && !content.startsWith('[')) {
      line.kind = 'continuation';
      line.content = content;
      lastKey.end = index + 1;
      return;
    }
    if (content.startsWith('[')) {
      if (!content.endsWith(']')) fail('the section header has no closing "]"');
      // Not trimmed: `[ profile x ]` is not `[profile x]` to the SDK either.
      const name = content.slice(1, -1);
      if (name.trim() === '') fail('the section header has no name');
      line.kind = 'header';
      line.name = name;
      inSection = true;
      lastKey = undefined;
      return;
    }
    const equalsInContent = content.indexOf('=');
    if (equalsInContent === -1) fail('expected "key = value", a [section] header or a comment');
    if (equalsInContent === 0) fail('a setting has no name before "="');
    if (!inSection) fail('a setting appears before the first [section] header');
    const equals = indent + equalsInContent;
    const rawValue = uncommented.slice(equals + 1);
    line.kind = 'key';
    line.name = content.slice(0, equalsInContent).trim();
    line.equals = equals;
    if (rawValue.trim() === '') {
      // An empty value is written after one space if the line has one there (`key = ` → `key = v`).
      line.valueStart = line.valueEnd = equals + 1 + Math.min(1, rawValue.length);
    } else {
      line.valueStart = equals + 1 + indentOf(rawValue);
      line.valueEnd = equals + 1 + rawValue.trimEnd().length;
    }
    line.end = index + 1;
    lastKey = line;
    lastKeyIndent = indent;
  });
}

function valueOf(line: Line): string {
  return line.text.slice(line.valueStart, line.valueEnd);
}

/** Refuses names and values that would read back differently, or would add lines or keys. */
function checkWritable(section: string, key: string, value: string): void {
  const refuse = (problem: string): never => {
    throw new InvalidInputError(problem);
  };
  // Inside brackets a leading `#` is no comment; at the start of a key or after ` = ` it is.
  const checkText = (what: string, text: string, commentAtStart = true) => {
    if (/[\r\n]/.test(text)) refuse(`${what} cannot contain a line break.`);
    if (text.trim() !== text) refuse(`${what} cannot start or end with whitespace.`);
    if ((commentAtStart && /^[#;]/.test(text)) || /\s[#;]/.test(text)) {
      refuse(`${what} cannot contain "#" or ";" at its start or after a space: it would be read as a comment.`);
    }
  };
  checkText('A section name', section, false);
  if (section === '' || /[[\]]/.test(section)) refuse(`The section name "${section}" is empty or contains "[" or "]".`);
  checkText(`The key name in [${section}]`, key);
  if (key === '' || key.includes('=') || key.startsWith('[')) {
    refuse(`The key name "${key}" in [${section}] is empty, starts with "[" or contains "=".`);
  }
  // The value is not quoted in the message: it may be a secret.
  checkText(`The value of ${key} in [${section}]`, value);
}

export class IniDocument {
  private constructor(
    private readonly file: string,
    private readonly bom: string,
    private lines: Line[],
  ) {}

  /** Parses AWS-style INI text; `file` names the file in errors. */
  static parse(text: string, file: string): IniDocument {
    const bom = text.startsWith(BOM) ? BOM : '';
    const lines = splitLines(text.slice(bom.length));
    classify(lines, file);
    return new IniDocument(file, bom, lines);
  }

  /** The text, byte for byte as parsed when nothing was changed. */
  toString(): string {
    return this.bom + this.lines.map((line) => line.text + line.eol).join('');
  }

  /** Section names in order of first appearance, each once. */
  sections(): string[] {
    return [...new Set(this.lines.filter((line) => line.kind === 'header').map((line) => line.name))];
  }

  /**
   * The section's keys and values, undefined when there is no such section. A key continued on
   * indented lines has the value botocore gives it: the lines, trimmed and without comments, joined
   * by '\n'; so a nested block (`s3 =` and indented lines) reads `\nmax_concurrent_requests = 20\n…`,
   * recognisable by its leading newline.
   */
  section(name: string): Record<string, string> | undefined {
    if (!this.lines.some((line) => line.kind === 'header' && line.name === name)) return undefined;
    const values = new Map<string, string>();
    for (const index of this.keyLines(name)) {
      const line = this.line(index);
      values.set(line.name, this.fullValue(index));
    }
    return Object.fromEntries(values);
  }

  /** The value of `key` in `section` (the last one when repeated), as section() gives it. */
  get(section: string, key: string): string | undefined {
    const index = this.keyLines(section, key).at(-1);
    return index === undefined ? undefined : this.fullValue(index);
  }

  /**
   * Sets a value, changing as few bytes as possible:
   * - an existing key (its last occurrence) gets the new value on its own line, keeping the line's
   *   spacing and any trailing comment; a nested block under it is replaced by the plain value;
   * - a new key goes right after the last key line (and its nested block) of the section's last
   *   occurrence, before the blank lines and comments that precede the next section; it copies
   *   that line's indentation and `key=value` or `key = value` style;
   * - a new section goes at the end of the file, after one blank line unless the file is empty or
   *   already ends with one.
   * New lines use the file's line end (CRLF or LF, whichever is more common); a file without a final
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
      this.insertLines(after, [this.keyLine(key, value, last ?? this.lastKeyLine())]);
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
      else if (line.kind === 'key' && current === section && (key === undefined || line.name === key)) found.push(index);
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
    }
    return parts.join('\n');
  }

  /** A new key line in the style of the line at `like` (indentation, spaces around `=`). */
  private keyLine(key: string, value: string, like: number | undefined): string {
    const model = like === undefined ? undefined : this.line(like);
    if (!model) return value === '' ? `${key} =` : `${key} = ${value}`;
    const indent = model.text.slice(0, indentOf(model.text));
    const compact = !/\s/.test(model.text.slice(indent.length + model.name.length, model.valueStart));
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

  /** Replaces lines [from, to); a file without a final newline keeps lacking one. */
  private splice(from: number, to: number, added: Line[]): void {
    const lacksFinalNewline = this.lines.at(-1)?.eol === '';
    const newline = this.newline();
    this.lines.splice(from, to - from, ...added);
    if (lacksFinalNewline) {
      const last = this.lines.length - 1;
      this.lines.forEach((line, index) => {
        line.eol = index === last ? '' : line.eol || newline;
      });
    }
    // Edits only produce valid lines, so classifying again cannot fail.
    classify(this.lines, this.file);
  }

  private newline(): string {
    const crlf = this.lines.filter((line) => line.eol === '\r\n').length;
    const lf = this.lines.filter((line) => line.eol === '\n').length;
    return crlf > lf ? '\r\n' : '\n';
  }
}
