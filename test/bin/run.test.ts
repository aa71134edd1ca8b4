/**
 * bin/run.js on a Node older than awsl supports: one line naming both versions, exit 16, before
 * anything that Node cannot parse or load. Node 18 comes from the npm registry's `node` package
 * (.ci/install-node.sh 18).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ExitCode } from '../../src/errors.js';
import { AWSL_BIN, createSandbox, runProcess, type Sandbox } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';

const { version: VERSION } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

const NODE_18 = join(process.env.AWSL_NODE_ROOT || '/opt/awsl-node', '18', 'node_modules', 'node', 'bin', 'node');

describe('bin/run.js on an unsupported Node', function () {
  let sandbox: Sandbox;
  before(function () {
    requirePeer(this, existsSync(NODE_18), `Node 18 at ${NODE_18} (bash .ci/install-node.sh 18)`);
    sandbox = createSandbox();
  });
  after(function () {
    sandbox?.remove();
  });

  for (const args of [['--version'], ['--help'], ['login', 'configure', '--profile', 'x', '--no-prompt'], ['credential-process', '--profile', 'x']]) {
    it(`refuses awsl ${args.join(' ')} with one line and exit 16`, async function () {
      const result = await runProcess(NODE_18, [AWSL_BIN, ...args], { env: sandbox.env });
      expect(result.code).to.equal(ExitCode.UnsupportedNode).and.to.equal(16);
      expect(result.stdout).to.equal('');
      expect(result.stderr.trimEnd().split('\n')).to.have.length(1);
      expect(result.stderr).to.match(/^awsl needs Node\.js 20\.18\.1 or newer; this is Node\.js 18\.\d+\.\d+ \(/);
      expect(result.stderr).to.not.match(/Error|at /);
    });
  }

  it('starts on this Node', async function () {
    const result = await runProcess(process.execPath, [AWSL_BIN, '--version'], { env: sandbox.env });
    expect(result.code).to.equal(0);
    expect(result.stdout).to.equal(`awsl/${VERSION} ${process.platform}-${process.arch} node-${process.version}\n`);
  });
});
