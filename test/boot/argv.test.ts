import { expect } from 'chai';
import { awsCliCommandLine, isVerbose, isVersionRequest, leadingGlobalFlags, oclifArguments, splitCommandLine } from '../../src/boot/argv.js';

describe('boot/argv (the one reader of --profile, --verbose and --)', function () {
  it('reads the global flags at the start, in every spelling, and stops at the first other argument', function () {
    expect(leadingGlobalFlags(['--profile', 'p', '-v', '-p', 'q', '--profile=r', 'login', '-v'])).to.deep.equal({
      flags: { profiles: ['p', 'q', 'r'], verbose: true, args: ['--profile', 'p', '-v', '-p', 'q', '--profile=r'] }, rest: ['login', '-v'],
    });
    expect(leadingGlobalFlags(['login'])).to.deep.equal({ flags: { profiles: [], verbose: false, args: [] }, rest: ['login'] });
    expect(leadingGlobalFlags(['-v', '--profile'])).to.deep.equal({
      flags: { profiles: [], verbose: true, args: ['-v'] }, rest: ['--profile'], problem: '--profile needs a profile name.',
    });
  });

  it('moves global flags typed before the command to where oclif and exec/aws read them', function () {
    expect(oclifArguments(['--profile', 'p', 'login', '--role-arn', 'x'])).to.deep.equal(['login', '--role-arn', 'x', '--profile', 'p']);
    expect(oclifArguments(['-p', 'p', 'login', 'configure'])).to.deep.equal(['login', 'configure', '-p', 'p']);
    expect(oclifArguments(['--profile', 'p', 'exec', 'node', '-v'])).to.deep.equal(['exec', '--profile', 'p', 'node', '-v']);
    expect(oclifArguments(['-v', 'aws', 's3', 'ls'])).to.deep.equal(['aws', '-v', 's3', 'ls']);
    expect(oclifArguments(['--profile', 'p', 'login', '--', 'x'])).to.deep.equal(['login', '--profile', 'p', '--', 'x']);
    expect(oclifArguments(['status', '-p', 'p'])).to.deep.equal(['status', '-p', 'p']);
    expect(oclifArguments(['-v'])).to.deep.equal(['-v']);
  });

  it('knows the version requests: one argument, --version, -v or version', function () {
    for (const argv of [['--version'], ['-v'], ['version']]) expect(isVersionRequest(argv), argv.join(' ')).to.equal(true);
    for (const argv of [['-v', 'login'], ['login', '-v'], [], ['--verbose']]) expect(isVersionRequest(argv), argv.join(' ')).to.equal(false);
  });

  it('takes --verbose from awsl\'s own arguments only, never from another program\'s command line', function () {
    expect(isVerbose(['login', '-v'], false)).to.equal(true);
    expect(isVerbose(['login', '--verbose'], false)).to.equal(true);
    expect(isVerbose(['login', '--', '-v'], false)).to.equal(false);
    expect(isVerbose(['--', 'sh', '-c', 'true', '-v'], true)).to.equal(false);
    expect(isVerbose(['sh', '-v'], true)).to.equal(false);
    expect(isVerbose(['--profile', 'p', '-v', '--', 'sh'], true)).to.equal(true);
    expect(isVerbose(['--server', '-v', '--', 'sh'], true)).to.equal(true);
    expect(isVerbose(['-p', '-v', '--', 'sh'], true)).to.equal(false);
  });

  it('exec: awsl flags first, the command from -- or the first word that is not a flag, kept as given', function () {
    expect(splitCommandLine(['--profile', 'p', '--', 'node', '-e', 'x', '--profile', 'q'])).to.deep.equal({ own: ['--profile', 'p'], command: ['node', '-e', 'x', '--profile', 'q'] });
    expect(splitCommandLine(['-p', 'p', '-v', 'echo', 'a', 'b', 'a'])).to.deep.equal({ own: ['-p', 'p', '-v'], command: ['echo', 'a', 'b', 'a'] });
    expect(splitCommandLine(['--profile=p', 'ls', '--', 'x'])).to.deep.equal({ own: ['--profile=p'], command: ['ls', '--', 'x'] });
    expect(splitCommandLine(['--profile', 'p'])).to.deep.equal({ own: ['--profile', 'p'], command: [] });
    expect(splitCommandLine(['--nope', 'ls']).problem).to.equal('--nope is not a flag of awsl exec; the command to run goes after --.');
    expect(splitCommandLine(['--profile']).problem).to.equal('--profile needs a profile name.');
    // The command's own flags (exec --server) mix with awsl's.
    expect(splitCommandLine(['--server', '-p', 'p', '--server', '--', 'x'], new Set(['--server']))).to.deep.equal({ own: ['--server', '-p', 'p', '--server'], command: ['x'] });
    expect(splitCommandLine(['--server', 'x'])).to.deep.equal({ own: [], command: [], problem: '--server is not a flag of awsl exec; the command to run goes after --.' });
  });

  it('pass-through: global flags first, --profile anywhere before -- is awsl\'s, the rest is the AWS CLI\'s', function () {
    expect(awsCliCommandLine(['--profile', 'p', 's3', 'cp', 's3://b:c/k', '.'])).to.deep.equal({ profile: 'p', verbose: false, rest: ['s3', 'cp', 's3://b:c/k', '.'], problem: undefined });
    expect(awsCliCommandLine(['-v', 's3', 'ls', '--profile=p', '--region', 'x'])).to.deep.equal({ profile: 'p', verbose: true, rest: ['s3', 'ls', '--region', 'x'], problem: undefined });
    expect(awsCliCommandLine(['s3', 'ls', '--', '--profile', 'x'])).to.deep.equal({ profile: undefined, verbose: false, rest: ['s3', 'ls', '--', '--profile', 'x'], problem: undefined });
    expect(awsCliCommandLine(['s3', 'ls', '-v'])).to.deep.equal({ profile: undefined, verbose: false, rest: ['s3', 'ls', '-v'], problem: undefined });
  });
});
