import { expect } from 'chai';
import { InvalidInputError } from '../../src/errors.js';
import { extractProfile, splitCommandLine } from '../../src/process/command-line.js';
import { exitCodeOfSignal, resolveExecutable } from '../../src/process/run-child.js';

describe('process/command-line', function () {
  it('exec: awsl flags first, the command from -- or the first word that is not awsl\'s, kept as given', function () {
    expect(splitCommandLine(['--profile', 'p', '--', 'node', '-e', 'x', '--profile', 'q'], 'usage')).to.deep.equal({ own: ['--profile', 'p'], command: ['node', '-e', 'x', '--profile', 'q'] });
    expect(splitCommandLine(['-p', 'p', '-v', 'echo', 'a', 'b', 'a'], 'usage')).to.deep.equal({ own: ['-p', 'p', '-v'], command: ['echo', 'a', 'b', 'a'] });
    expect(splitCommandLine(['--profile=p', 'ls', '--', 'x'], 'usage')).to.deep.equal({ own: ['--profile=p'], command: ['ls', '--', 'x'] });
    expect(splitCommandLine(['--profile', 'p'], 'usage')).to.deep.equal({ own: ['--profile', 'p'], command: [] });
    expect(() => splitCommandLine(['--nope', 'ls'], 'usage')).to.throw(InvalidInputError, '--nope is not a flag of awsl');
    expect(() => splitCommandLine(['--profile'], 'usage')).to.throw(InvalidInputError, '--profile needs a profile name');
  });

  it('pass-through: --profile anywhere before -- is awsl\'s, the rest is the AWS CLI\'s', function () {
    expect(extractProfile(['--profile', 'p', 's3', 'cp', 's3://b:c/k', '.'])).to.deep.equal({ profile: 'p', rest: ['s3', 'cp', 's3://b:c/k', '.'] });
    expect(extractProfile(['s3', 'ls', '--profile=p', '--region', 'x'])).to.deep.equal({ profile: 'p', rest: ['s3', 'ls', '--region', 'x'] });
    expect(extractProfile(['s3', 'ls', '--', '--profile', 'x'])).to.deep.equal({ profile: undefined, rest: ['s3', 'ls', '--', '--profile', 'x'] });
  });

  it('finds executables on PATH or by path, and numbers signals as shells do', function () {
    expect(resolveExecutable('sh', { PATH: '/nonexistent:/bin' })).to.equal('/bin/sh');
    expect(resolveExecutable('sh', { PATH: '/nonexistent' })).to.equal(undefined);
    expect(resolveExecutable('/bin/sh', { PATH: '' })).to.equal('/bin/sh');
    expect(resolveExecutable('/etc/passwd', {})).to.equal(undefined);
    expect(exitCodeOfSignal('SIGTERM')).to.equal(143);
    expect(exitCodeOfSignal('SIGINT')).to.equal(130);
  });
});
