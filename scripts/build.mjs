// Builds dist/:
// - awsl.cjs: oclif, every command and hook and what they import, in one CommonJS bundle that
//   src/boot/bundle-loader.ts runs with V8's code cache (most of a login's own time is compiling);
// - undici.cjs, xml-crypto.cjs, xmldom.cjs, chrome-remote-interface.cjs: large libraries only some
//   runs need (a proxy, IdP signature checks, the browser provider), bundled on their own so that
//   the main bundle stays small;
// - boot/: the small files bin/run.js loads first (src/boot/: command line, warm credential_process
//   path, bundle loader).
// Types are checked by `tsc --noEmit`.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import ts from 'typescript';
import { escapeBeyondAscii, routeDynamicImports, wrapForCodeCache } from '../src/boot/bundle-format.mjs';
import { dependencyEdits } from './dependency-edits.mjs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // ESM builds of dependencies first: smaller.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
};

/** Package → its own bundle in dist/; every other bundle gets a require of that file instead. */
const SEPARATE = { 'undici': 'undici.cjs', 'xml-crypto': 'xml-crypto.cjs', '@xmldom/xmldom': 'xmldom.cjs', 'chrome-remote-interface': 'chrome-remote-interface.cjs' };
const separatePackages = (own) => ({
  name: 'separate-packages',
  setup(builder) {
    const filter = new RegExp(`^(${Object.keys(SEPARATE).map((name) => name.replace(/[/.]/g, '\\$&')).join('|')})$`);
    builder.onResolve({ filter }, (args) => (args.path === own ? undefined : { path: `./${SEPARATE[args.path]}`, external: true }));
  },
});

// The native keyring binding stays a package; oclif's optional TypeScript support is never used.
const external = ['@napi-rs/keyring', 'typescript', 'ts-node', 'tsx'];

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    entryPoints: ['src/main.ts'],
    outfile: 'dist/awsl.cjs',
    format: 'cjs',
    external,
    plugins: [separatePackages(), dependencyEdits],
    // Without comments the source is a third smaller.
    minifyWhitespace: true,
    // import.meta has no CommonJS equivalent; the bundle's own URL stands in for it.
    define: { 'import.meta.url': '__awslBundleUrl' },
    banner: { js: "const __awslBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  }),
  ...Object.entries(SEPARATE).map(([name, file]) => build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: '.' },
    outfile: `dist/${file}`,
    format: 'cjs',
    plugins: [separatePackages(name)],
  })),
  build({
    ...common,
    entryPoints: ['src/boot/start.ts', 'src/boot/bundle-loader.ts'],
    outdir: 'dist/boot',
    // CommonJS, like bin/run.js: no ESM loader on the warm credential_process path.
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    // For --version, which then reads no package.json.
    define: { AWSL_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  }),
]);
const bundle = readFileSync('dist/awsl.cjs', 'utf8');
writeFileSync('dist/awsl.cjs', wrapForCodeCache(routeDynamicImports(escapeBeyondAscii(bundle, ts), ts)));
