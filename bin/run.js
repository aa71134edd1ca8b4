#!/usr/bin/env node
// awsl entry point, CommonJS (bin/package.json): an ES module entry costs Node its ESM loader, a
// tenth of a warm credential_process run. The boot code is src/boot/.
'use strict';

const boot = require('../dist/boot/start.cjs');
const argv = process.argv.slice(2);
if (boot.isVersionRequest(argv)) {
  // Answered without loading oclif: the same line oclif prints.
  const { version } = require('../package.json');
  process.stdout.write(`awsl/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  const args = boot.oclifArguments(argv);
  // The AWS CLI starts credential_process on every call: fresh credentials in the private cache are
  // printed without loading oclif; otherwise the full command below refreshes them.
  if (!boot.printWarmCredentials(args)) {
    // oclif and the commands: one bundle, run with V8's code cache.
    const { join } = require('node:path');
    const root = join(__dirname, '..');
    const { execute } = require('../dist/boot/bundle-loader.cjs').loadBundle(join(root, 'dist', 'awsl.cjs'), args);
    execute({ args, dir: root });
  }
}
