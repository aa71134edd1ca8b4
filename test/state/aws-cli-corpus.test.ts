/**
 * A corpus of AWS files, well-formed, odd and malformed, each judged by the real AWS CLI
 * (/usr/bin/aws v2): awsl refuses exactly the files the AWS CLI refuses (naming a line, through the
 * CLI too, exit 5) and reads the files it accepts as it does. test/fixtures/ini holds the files the
 * editor tests also use, ini-accepted odd files the AWS CLI accepts, ini-refused those it refuses.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { FileUnreadableError } from '../../src/errors.js';
import { IniDocument } from '../../src/state/ini-document.js';
import { createSandbox, runAwsl } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';

const AWS_CLI = '/usr/bin/aws';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const run = promisify(execFile);

const corpus = (folder: string) => readdirSync(join(FIXTURES, folder)).filter((name) => name.endsWith('.ini')).sort().map((name) => join(FIXTURES, folder, name));
const ACCEPTED = [...corpus('ini'), ...corpus('ini-accepted')];
const REFUSED = corpus('ini-refused');

/** The AWS CLI's verdict with the file as both config and credentials file; its value of `key` when asked. */
async function awsCli(file: string, args = ['configure', 'list-profiles']): Promise<{ parsed: boolean; stdout: string }> {
  const env = { PATH: process.env.PATH, HOME: '/nonexistent', AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: file };
  try {
    const { stdout } = await run(AWS_CLI, args, { env });
    return { parsed: true, stdout };
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr);
    return { parsed: !stderr.includes('Unable to parse config file'), stdout: '' };
  }
}

function parse(file: string): IniDocument | FileUnreadableError {
  try {
    return IniDocument.parse(readFileSync(file, 'utf8'), file);
  } catch (error) {
    if (error instanceof FileUnreadableError) return error;
    throw error;
  }
}

const profileOf = (section: string) => (section === 'default' ? 'default' : /^profile (\S+)$/.exec(section)?.[1]);

describe('AWS files judged by the real AWS CLI', function () {
  this.timeout(120_000);

  before(function () {
    requirePeer(this, existsSync(AWS_CLI), 'the AWS CLI v2 (/usr/bin/aws, Debian awscli)');
  });

  it('has a corpus on both sides', function () {
    expect(ACCEPTED.length).to.be.at.least(10);
    expect(REFUSED.length).to.be.at.least(10);
  });

  for (const file of ACCEPTED) {
    const name = file.slice(FIXTURES.length + 1);
    it(`accepts ${name}, as the AWS CLI does, and reads its profiles' values the same`, async function () {
      expect((await awsCli(file)).parsed, 'the AWS CLI parses it').to.equal(true);
      const document = parse(file);
      expect(document).to.be.instanceOf(IniDocument);
      const values = (document as IniDocument).sections().flatMap((section) => Object.entries((document as IniDocument).section(section) ?? {})
        .filter(([key, value]) => profileOf(section) !== undefined && !key.includes('.') && !key.startsWith('aws_') && !value.startsWith('\n'))
        .map(([key, value]) => ({ profile: profileOf(section)!, key, value })));
      // Two values a file keep the run short; the property test samples many more.
      for (const { profile, key, value } of values.slice(0, 2)) {
        const read = await awsCli(file, ['configure', 'get', key, '--profile', profile]);
        expect(read.stdout.replace(/\n$/, ''), `${key} of ${profile}`).to.equal(value);
      }
    });
  }

  for (const file of REFUSED) {
    const name = file.slice(FIXTURES.length + 1);
    it(`refuses ${name}, as the AWS CLI does, naming the line; awsl status exits 5 on it`, async function () {
      expect((await awsCli(file)).parsed, 'the AWS CLI parses it').to.equal(false);
      const error = parse(file);
      expect(error).to.be.instanceOf(FileUnreadableError);
      const { line } = error as FileUnreadableError;
      expect(line).to.be.a('number');
      const sandbox = createSandbox({ AWS_CONFIG_FILE: file });
      try {
        const status = await runAwsl(['status', '--profile', 'default'], { env: sandbox.env });
        expect(status.code, status.stderr).to.equal(5);
        expect(status.stderr).to.include(`${file}:${line}: `);
      } finally {
        sandbox.remove();
      }
    });
  }

  it('reads the odd values of ini-accepted/aws-cli-oddities.ini exactly as the AWS CLI does', async function () {
    const file = join(FIXTURES, 'ini-accepted', 'aws-cli-oddities.ini');
    const document = parse(file) as IniDocument;
    for (const [profile, section, key] of [['p', 'profile p', 'region'], ['p', 'profile p', 'output'], ['q', 'profile q', 'region'], ['q', 'profile q', 'x']] as const) {
      const read = await awsCli(file, ['configure', 'get', key, '--profile', profile]);
      expect(read.stdout.replace(/\n$/, ''), `${key} of ${profile}`).to.equal(document.get(section, key));
    }
    expect(document.get('profile p', 'region')).to.equal('eu-west-1 # Dublin');
    expect(document.get('profile q', 'region')).to.equal('a\ncontinued\n[not a header]');
  });

  it('an edit awsl refuses, removing a section above an indented header, would have merged that profile into the one above', async function () {
    const folder = mkdtempSync(join(tmpdir(), 'awsl-ini-'));
    const write = (name: string, text: string) => {
      writeFileSync(join(folder, name), text);
      return join(folder, name);
    };
    const profiles = async (file: string) => (await awsCli(file)).stdout.split('\n').filter(Boolean);
    const outputOf = async (file: string, profile: string) => (await awsCli(file, ['configure', 'get', 'output', '--profile', profile])).stdout;
    try {
      const text = '[default]\nregion = eu-west-1\n[profile a]\n  [profile b]\noutput = text\n';
      const original = write('original.ini', text);
      expect(await profiles(original)).to.include.members(['default', 'a', 'b']);
      expect(await outputOf(original, 'b')).to.equal('text\n');

      const document = IniDocument.parse(text, original);
      expect(document.get('profile b', 'output')).to.equal('text');
      expect(() => document.removeSection('profile a')).to.throw(FileUnreadableError, /:4: awsl cannot change the lines above this one .*: indented, it would become part of the value before it$/);
      expect(document.toString()).to.equal(text);
      // What removing the lines alone would have written: to the AWS CLI, profile b is gone and its
      // output is default's.
      const naive = write('naive.ini', text.replace('[profile a]\n', ''));
      expect(await profiles(naive)).to.deep.equal(['default']);
      expect(await outputOf(naive, 'default')).to.equal('text\n');
      // The hint's way out: unindented, the file reads the same, and then the section goes.
      const unindented = write('unindented.ini', text.replace('  [profile b]', '[profile b]'));
      expect(await profiles(unindented)).to.include.members(['default', 'a', 'b']);
      expect(await outputOf(unindented, 'b')).to.equal('text\n');
      const fixed = IniDocument.parse(readFileSync(unindented, 'utf8'), unindented);
      fixed.removeSection('profile a');
      const edited = write('edited.ini', fixed.toString());
      expect(await profiles(edited)).to.include('b').and.not.include('a');
      expect(await outputOf(edited, 'b')).to.equal('text\n');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
