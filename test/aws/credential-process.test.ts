import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { awslProgram, credentialProcessCommand, credentialProcessOutput, fromCredentialProcessOutput, isoSeconds, quoteArgument, splitCommandWords } from '../../src/aws/credential-process.js';
import { findExecutable } from '../peers/process.js';
import { requirePeer } from '../support/peers.js';

/** How botocore splits credential_process lines (shlex.split), by the real Python, in one run. */
function pythonSplit(lines: string[]): string[][] {
  return JSON.parse(execFileSync('python3', ['-c', 'import json, shlex, sys; print(json.dumps([shlex.split(line) for line in json.load(sys.stdin)]))'], { encoding: 'utf8', input: JSON.stringify(lines) })) as string[][];
}

/** How the JavaScript and Go SDKs run it (/bin/sh -c): the words the script gets. */
function shRun(line: string): string[] {
  return JSON.parse(execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' })) as string[];
}

describe('aws/credential-process', function () {
  it('prints the five keys AWS reads, Expiration in whole seconds', function () {
    const output = credentialProcessOutput({ accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', expiration: new Date('2030-01-02T03:04:05.678Z'), roleArn: 'arn:aws:iam::1:role/x' });
    expect(output).to.deep.equal({ Version: 1, AccessKeyId: 'ASIA1', SecretAccessKey: 's', SessionToken: 't', Expiration: '2030-01-02T03:04:05Z' });
    expect(isoSeconds(new Date('2030-01-02T03:04:05Z'))).to.equal('2030-01-02T03:04:05Z');
  });

  it('writes plain paths bare', function () {
    expect(credentialProcessCommand(['/opt/awsl/bin/run.js'], 'prod')).to.equal('/opt/awsl/bin/run.js credential-process --profile prod');
  });

  it('quotes so that Python\'s shlex (botocore) reads the very words back', function () {
    requirePeer(this, findExecutable('python3') !== undefined, 'python3 (the shlex botocore splits credential_process with)');
    const awkward = ['/Users/Jane Doe/awsl/bin/run.js', 'my "prod"', "it's", 'a$b`c\\d', 'tab\there'];
    const lines = awkward.map((value) => credentialProcessCommand(['/usr/bin/node', value], value));
    expect(pythonSplit(lines)).to.deep.equal(awkward.map((value) => ['/usr/bin/node', value, 'credential-process', '--profile', value]));
  });

  it('runs through /bin/sh from a folder with spaces and quotes in its name', function () {
    const folder = join(mkdtempSync(join(tmpdir(), 'awsl-cp-')), `Jane "J" O'Doe $HOME`);
    mkdirSync(folder);
    const script = join(folder, 'run.js');
    writeFileSync(script, '#!/usr/bin/env node\nconsole.log(JSON.stringify(process.argv.slice(2)));\n', { mode: 0o755 });
    try {
      for (const profile of ['prod', 'my "prod"', "it's", 'a$b`c\\d']) {
        const line = credentialProcessCommand(awslProgram({ execPath: process.execPath, entryScript: script, singleBinary: false, platform: 'linux' }), profile);
        expect(shRun(line)).to.deep.equal(['credential-process', '--profile', profile]);
        expect(splitCommandWords(line)).to.deep.equal([script, 'credential-process', '--profile', profile]);
      }
    } finally {
      rmSync(dirname(folder), { recursive: true, force: true });
    }
  });

  it('quoting round-trips any printable text through shlex (property)', function () {
    requirePeer(this, findExecutable('python3') !== undefined, 'python3 (the shlex botocore splits credential_process with)');
    const word = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...' "\'$`\\ab/-_.=:@%+,~#*?!&;|<>(){}[]\t'.split('')) });
    const samples = fc.sample(fc.array(word, { minLength: 1, maxLength: 4 }), 200);
    expect(pythonSplit(samples.map((words) => words.map((w) => quoteArgument(w)).join(' ')))).to.deep.equal(samples);
  });

  it('names the single binary, or the entry script, never the versioned node that runs now', function () {
    const install = { execPath: '/home/u/.nvm/versions/node/v22.1.0/bin/node', entryScript: '/usr/lib/node_modules/awsl/bin/run.js', singleBinary: false };
    expect(awslProgram({ ...install, platform: 'linux' })).to.deep.equal(['/usr/lib/node_modules/awsl/bin/run.js']);
    expect(awslProgram({ ...install, platform: 'darwin' })).to.deep.equal(['/usr/lib/node_modules/awsl/bin/run.js']);
    expect(awslProgram({ ...install, platform: 'win32' })).to.deep.equal(['node', '/usr/lib/node_modules/awsl/bin/run.js']);
    expect(awslProgram({ ...install, execPath: '/opt/awsl/awsl', singleBinary: true, platform: 'linux' })).to.deep.equal(['/opt/awsl/awsl']);
  });

  it('splits lines into the words Python\'s shlex (botocore) finds (property)', function () {
    if (!findExecutable('python3')) this.skip();
    const word = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...' "\'$`\\ab/-_.=:@%+,~#*?!&;|<>(){}[]\t'.split('')) });
    const lines = [...fc.sample(fc.array(word, { minLength: 1, maxLength: 4 }), 200).map((words) => words.map((w) => quoteArgument(w)).join(' ')),
      '/usr/bin/node "/a b/run.js" credential-process', 'a\\ b "c\\"d" \'e\'f "g\\h"'];
    expect(lines.map(splitCommandWords)).to.deep.equal(pythonSplit(lines));
    expect(splitCommandWords('aws-login --profile \'x')).to.equal(undefined);
  });

  it('reads back from the cache\'s JSON what it wrote, with the role', function () {
    const credentials = { accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', expiration: new Date('2030-01-02T03:04:05Z'), roleArn: 'arn:aws:iam::111111111111:role/x' };
    expect(fromCredentialProcessOutput({ ...credentialProcessOutput(credentials), RoleArn: credentials.roleArn })).to.deep.equal(credentials);
    expect(fromCredentialProcessOutput(credentialProcessOutput(credentials)).roleArn).to.equal('');
  });
});
