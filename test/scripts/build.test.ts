/**
 * What scripts/build.mjs changes in @oclif/core as it bundles it (OCLIF_EDITS): two start-up costs
 * every command paid, removed without changing what a user sees. Reads the built dist/awsl.cjs.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';

const bundle = readFileSync(new URL('../../dist/awsl.cjs', import.meta.url), 'latin1');
const commandIds = (manifest: string) => Object.keys((JSON.parse(readFileSync(new URL(manifest, import.meta.url), 'utf8')) as { commands: object }).commands);

describe('scripts/build.mjs: oclif in the bundle', function () {
  it('has no Node version check of its own, nor semver: bin/run.js refuses an unsupported Node first (test/bin/run.test.ts)', function () {
    expect(bundle).not.to.include('Node version must be');
    expect(bundle).not.to.include('SEMVER_SPEC_VERSION');
  });

  it('sorts command ids by code unit, not with localeCompare (ICU), which orders awsl\'s and the completion plugin\'s ids alike', function () {
    expect(bundle).not.to.match(/\.sort\(\((\w+), ?(\w+)\) ?=> ?\1\.id\.localeCompare\(\2\.id\)\)/);
    expect(bundle).to.match(/\.sort\(\((\w+), ?(\w+)\) ?=> ?\(?\1\.id ?< ?\2\.id ?\? ?-1 ?: ?\1\.id ?> ?\2\.id ?\? ?1 ?: ?0\)?\)/);
    const ids = [...commandIds('../../oclif.manifest.json'), ...commandIds('../../node_modules/@oclif/plugin-autocomplete/oclif.manifest.json')];
    expect(ids).to.include.members(['login', 'login:configure', 'import:awscli-login', 'credential-process', 'autocomplete:script']);
    const byCodeUnit = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(byCodeUnit).to.deep.equal([...ids].sort((a, b) => a.localeCompare(b)));
  });
});
