import { Script } from 'node:vm';
import { expect } from 'chai';
import ts from 'typescript';
import { escapeBeyondAscii } from '../../src/boot/bundle-format.mjs';

/** What a script's last expression evaluates to. */
const evaluate = (code: string): unknown => new Script(code).runInNewContext({});

describe('boot/bundle-format: escapeBeyondAscii', function () {
  it('writes every character beyond ASCII as an escape that means the same in strings, templates, regular expressions and names', function () {
    const code = [
      'const café = "naïve \u00d7 \u2014";',
      'const template = `${café} \u00a7`;',
      'const csi = /[\u001b\u009b]\\[/.test("\u009b[");',
      'const emoji = "\u{1F600}";',
      '[café, template, csi, emoji]',
    ].join('\n');
    const escaped = escapeBeyondAscii(code, ts);
    expect(escaped).to.match(/^[\0-\x7f]*$/);
    expect(escaped).to.include('caf\\u00e9').and.include('[\u001b\\u009b]');
    expect(evaluate(escaped)).to.deep.equal(evaluate(code));
  });

  it('leaves an ASCII bundle as it is', function () {
    const code = 'const a = "plain"; /x\\u00e9/.test(a);';
    expect(escapeBeyondAscii(code, ts)).to.equal(code);
  });

  it('refuses a character in a tagged template, whose tag reads the raw text, and one after a backslash', function () {
    expect(() => escapeBeyondAscii('String.raw`\u00e9`;', ts)).to.throw(/"\u00e9" in a tagged template/);
    expect(() => escapeBeyondAscii('"\\\u00e9";', ts)).to.throw(/after a backslash/);
    // An escaped backslash before it is no escape of the character: that one is escaped as usual.
    expect(evaluate(escapeBeyondAscii('"\\\\\u00e9"', ts))).to.equal('\\\u00e9');
    // Untagged templates are fine.
    expect(evaluate(escapeBeyondAscii('`\u00e9${1}`', ts))).to.equal('\u00e91');
  });
});
