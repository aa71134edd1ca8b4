import { expect } from 'chai';
import { exitCodeOfSignal, resolveExecutable } from '../../src/process/run-child.js';

describe('process/run-child', function () {
  it('finds executables on PATH or by path, and numbers signals as shells do', function () {
    expect(resolveExecutable('sh', { PATH: '/nonexistent:/bin' })).to.equal('/bin/sh');
    expect(resolveExecutable('sh', { PATH: '/nonexistent' })).to.equal(undefined);
    expect(resolveExecutable('/bin/sh', { PATH: '' })).to.equal('/bin/sh');
    expect(resolveExecutable('/etc/passwd', {})).to.equal(undefined);
    expect(exitCodeOfSignal('SIGTERM')).to.equal(143);
    expect(exitCodeOfSignal('SIGINT')).to.equal(130);
  });
});
