/**
 * scripts/dependency-edits.mjs: what the build changes in oclif and tough-cookie as it bundles them.
 * Each edit must find its text in the installed package, reach the built dist/awsl.cjs, and leave
 * what the code does as it was.
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import { DEPENDENCY_EDITS, editDependency } from '../../scripts/dependency-edits.mjs';

const installed = (file: string) => readFileSync(new URL(`../../node_modules/${file}`, import.meta.url), 'utf8');
const bundle = readFileSync(new URL('../../dist/awsl.cjs', import.meta.url), 'latin1');
const commandIds = (manifest: string) => Object.keys((JSON.parse(readFileSync(new URL(manifest, import.meta.url), 'utf8')) as { commands: object }).commands);
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('scripts/dependency-edits.mjs', function () {
  it('finds each edit\'s text exactly once in the installed packages, and refuses a file where it does not', function () {
    for (const file of Object.keys(DEPENDENCY_EDITS)) {
      const edited = editDependency(file, installed(file));
      for (const [before, after] of DEPENDENCY_EDITS[file]!) {
        expect(edited, file).not.to.include(before);
        expect(edited, file).to.include(after);
      }
    }
    expect(() => editDependency('@oclif/core/lib/index.js', 'checkNodeVersion();')).to.throw(/no longer holds "\\ncheckNodeVersion\(\);\\n" once/);
  });

  it('oclif in the bundle has no Node version check of its own, nor semver: bin/run.js refuses an unsupported Node first (test/bin/run.test.ts)', function () {
    expect(installed('@oclif/core/lib/index.js')).to.include('Node version must be');
    expect(bundle).not.to.include('Node version must be');
    expect(bundle).not.to.include('SEMVER_SPEC_VERSION');
  });

  it('oclif in the bundle sorts command ids by code unit, which orders awsl\'s and the completion plugin\'s ids as localeCompare does', function () {
    expect(bundle).not.to.match(/\.sort\(\((\w+), ?(\w+)\) ?=> ?\1\.id\.localeCompare\(\2\.id\)\)/);
    expect(bundle).to.match(/\.sort\(\((\w+), ?(\w+)\) ?=> ?\(?\1\.id ?< ?\2\.id ?\? ?-1 ?: ?\1\.id ?> ?\2\.id ?\? ?1 ?: ?0\)?\)/);
    const ids = [...commandIds('../../oclif.manifest.json'), ...commandIds('../../node_modules/@oclif/plugin-autocomplete/oclif.manifest.json')];
    expect(ids).to.include.members(['login', 'login:configure', 'import:awscli-login', 'credential-process', 'autocomplete:script']);
    expect([...ids].sort(byCodeUnit)).to.deep.equal([...ids].sort((a, b) => a.localeCompare(b)));
  });

  it('tough-cookie\'s IPv6 test, guarded by a \':\', answers as its pattern does for addresses and host names', function () {
    const source = installed('tough-cookie/dist/index.js');
    // The guard stands in for the pattern's test() alone: tough-cookie must use it for nothing else.
    const uses = [...source.matchAll(/IP_V6_REGEX_OBJECT(\W{0,2}\w*)/g)].map((match) => match[1]);
    expect(uses.slice(1).every((use) => use === '.test'), uses.join(' ')).to.equal(true);
    const definition = /var IP_V6_REGEX = `[\s\S]*?\.trim\(\);/.exec(source)![0];
    const [[original, guarded]] = DEPENDENCY_EDITS['tough-cookie/dist/index.js']! as [[string, string]];
    type Tester = { test(value: string): boolean };
    const evaluate = (statement: string) => runInNewContext(`${definition}\n${statement}\nIP_V6_REGEX_OBJECT`) as Tester;
    const pattern = evaluate(original);
    const edited = evaluate(guarded);
    const addresses = ['::1', '::', '2001:db8::1', '2001:0db8:0000:0000:0000:ff00:0042:8329', '[::1]', '::ffff:127.0.0.1', 'fe80::1%eth0', '1:2:3:4:5:6:7:8', 'FE80::ABCD'];
    const others = ['idp.example.edu', 'localhost', '127.0.0.1', 'xn--bcher-kva.example', '', 'ABC.Example.COM', '1:2', ':::', 'a:b:c:d:e:f:g:h'];
    for (const address of addresses) expect(pattern.test(address), address).to.equal(true);
    for (const value of [...addresses, ...others]) expect(edited.test(value), value).to.equal(pattern.test(value));
    expect(bundle).to.include('includes(":")&&this.pattern.test(');
  });
});
