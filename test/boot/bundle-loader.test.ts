import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import ts from 'typescript';
import { CALL_LINE, routeDynamicImports, wrapForCodeCache } from '../../src/boot/bundle-format.mjs';
import { commandOf } from '../../src/boot/bundle-loader.js';
import { compileCacheDirectory } from '../../src/state/paths.js';

const LOADER = new URL('../../dist/boot/bundle-loader.cjs', import.meta.url).href;

/** A bundle that uses what awsl.cjs uses: import() of a builtin and of a file next to it, require() of itself. */
function fixtureBundle(marker: string): string {
  return wrapForCodeCache(routeDynamicImports(`
exports.run = async () => ({
  marker: ${JSON.stringify(marker)},
  platform: (await import('node:os')).platform(),
  sibling: (await import('./sibling.mjs')).value,
  sameModule: require(__filename) === module.exports,
});`, ts));
}

describe('boot/bundle-loader (dist/awsl.cjs with V8\'s code cache)', function () {
  let folder: string;
  let bundle: string;
  let cacheHome: string;
  const cacheFolder = () => compileCacheDirectory({ XDG_CACHE_HOME: cacheHome });
  const cacheFiles = () => readdirSync(cacheFolder()).sort();

  async function run(argv: string[] = ['login']): Promise<unknown> {
    const script = `const { loadBundle } = await import(${JSON.stringify(LOADER)}); console.log(JSON.stringify(await loadBundle(${JSON.stringify(bundle)}, ${JSON.stringify(argv)}).run()));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
    return JSON.parse(stdout);
  }
  const expected = (marker: string) => ({ marker, platform: process.platform, sibling: 42, sameModule: true });

  beforeEach(function () {
    folder = mkdtempSync(join(tmpdir(), 'awsl-bundle-'));
    cacheHome = join(folder, 'cache');
    bundle = join(folder, 'bundle.cjs');
    writeFileSync(join(folder, 'sibling.mjs'), 'export const value = 42;\n');
    writeFileSync(bundle, fixtureBundle('first'));
  });

  afterEach(function () {
    rmSync(folder, { recursive: true, force: true });
  });

  it('runs the bundle, writes a private cache named after the file\'s identity, and runs from that cache without rewriting it', async function () {
    expect(await run()).to.deep.equal(expected('first'));
    const { dev, ino, size, mtimeNs, ctimeNs } = statSync(bundle, { bigint: true });
    const identity = createHash('sha256').update(`${dev} ${ino} ${size} ${mtimeNs} ${ctimeNs}`).digest('hex');
    expect(cacheFiles()).to.deep.equal([`${identity.slice(0, 32)}-${process.version}-${process.arch}.bin`]);
    const cache = join(cacheFolder(), cacheFiles()[0]!);
    expect(statSync(cache).mode & 0o777).to.equal(0o600);
    expect(statSync(cacheFolder()).mode & 0o777).to.equal(0o700);
    const written = statSync(cache).ino;

    // From the cache: import() still works (Node 20 drops the callback of a cached script).
    expect(await run()).to.deep.equal(expected('first'));
    expect(statSync(cache).ino, 'an accepted cache is not written again (a write renames a new file into place)').to.equal(written);
  });

  it('adds the code of each command\'s first run to the cache, once', async function () {
    await run(['login', 'configure', '--profile', 'p']);
    const cache = join(cacheFolder(), cacheFiles()[0]!);
    const header = () => readFileSync(cache, 'latin1').split('\n', 1)[0];
    expect(header()).to.equal('login:configure');
    const sizeAfterConfigure = statSync(cache).size;

    expect(await run(['login', '--profile', 'p'])).to.deep.equal(expected('first'));
    expect(header()).to.equal('login:configure login');
    const written = statSync(cache).ino;
    expect(statSync(cache).size).to.be.at.least(sizeAfterConfigure);
    await run(['login', '--profile', 'p']);
    await run(['login', 'configure']);
    expect(statSync(cache).ino, 'known commands do not rewrite it').to.equal(written);
  });

  it('names a run by its leading words', function () {
    expect(commandOf(['login', 'configure', '--profile', 'p'])).to.equal('login:configure');
    expect(commandOf(['login', '--profile', 'p'])).to.equal('login');
    expect(commandOf(['exec', '--', 'terraform', 'plan'])).to.equal('exec');
    expect(commandOf(['s3', 'ls', 's3://bucket'])).to.equal('s3:ls');
    expect(commandOf(['--help'])).to.equal('other');
    expect(commandOf([])).to.equal('other');
    expect(commandOf(['Weird Name'])).to.equal('other');
  });

  it('replaces a cache V8 refuses; an edited bundle, even of the same length, gets a cache of its own that replaces the old one', async function () {
    await run();
    const [first] = cacheFiles();
    writeFileSync(join(cacheFolder(), first!), 'login\nnot a code cache');
    expect(await run()).to.deep.equal(expected('first'));
    expect(readFileSync(join(cacheFolder(), first!), 'latin1')).to.match(/^login\n/).and.not.equal('login\nnot a code cache');

    // The same length: V8 alone would take the old cache for it. And the old modification time, as
    // npm sets it: the change time still tells the new bytes apart.
    const { atime, mtime } = statSync(bundle);
    writeFileSync(bundle, fixtureBundle('fresh'));
    utimesSync(bundle, atime, mtime);
    expect(await run()).to.deep.equal(expected('fresh'));
    expect(cacheFiles()).to.have.length(1);
    expect(cacheFiles()[0]).not.to.equal(first);
  });

  it('runs without a cache when the cache folder cannot be written', async function () {
    cacheHome = join(folder, 'a-file');
    writeFileSync(cacheHome, '');
    expect(await run()).to.deep.equal(expected('first'));
    expect(await run()).to.deep.equal(expected('first'));
  });

  it('the built awsl.cjs has the loader\'s shape, is all ASCII (read as Latin-1) and calls import() nowhere but through __awslImport', function () {
    const bytes = readFileSync(new URL('../../dist/awsl.cjs', import.meta.url));
    expect(bytes.findIndex((byte) => byte > 0x7f), 'the first byte beyond ASCII').to.equal(-1);
    const text = bytes.toString('latin1');
    expect(text).to.match(/^\(function \(exports, require, module, __filename, __dirname, __awslImport\) \{\n/);
    const body = text.slice(text.indexOf('\n') + 1, text.lastIndexOf(CALL_LINE));
    expect(routeDynamicImports(body, ts)).to.equal(body);
  });
});
