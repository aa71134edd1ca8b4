#!/usr/bin/env node
// awsl entry point, CommonJS (bin/package.json): an ES module entry costs Node its ESM loader, a
// tenth of a warm credential_process run. The boot code is src/boot/.
'use strict';

// First, and in syntax any Node parses: on an older Node the code below fails in ways that say
// nothing (a missing module, a syntax error, a proxy "File is not defined"). Exit code 16 is in
// the README's table.
function refuseUnsupportedNode() {
  var minimum = [20, 18, 1];
  var current = process.versions.node.split('.').map(Number);
  for (var i = 0; i < minimum.length; i += 1) {
    if (current[i] > minimum[i]) return;
    if (current[i] < minimum[i]) {
      process.stderr.write('awsl needs Node.js ' + minimum.join('.') + ' or newer; this is Node.js ' + process.versions.node + ' (' + process.execPath + '). Install a current Node (22 or 24) or the single awsl binary.\n');
      process.exit(16);
    }
  }
}
refuseUnsupportedNode();

const boot = require('../dist/boot/start.cjs');
const argv = process.argv.slice(2);
if (boot.isVersionRequest(argv)) {
  // Answered without loading oclif, nor package.json.
  process.stdout.write(`${boot.versionLine()}\n`);
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
