#!/usr/bin/env node
// awsl entry point, CommonJS (bin/package.json): an ES module entry costs Node its ESM loader, a
// tenth of a warm credential_process run. `awsl --profile prod login` is accepted by moving a
// leading --profile after the command (oclif reads flags after the command id).
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

function hoistLeadingProfile(argv) {
  const leading = [];
  let index = 0;
  while (index < argv.length) {
    const arg = argv[index];
    if (arg === '--profile' || arg === '-p') {
      if (index + 1 >= argv.length) break;
      leading.push(arg, argv[index + 1]);
      index += 2;
    } else if (arg.startsWith('--profile=')) {
      leading.push(arg);
      index += 1;
    } else break;
  }
  if (leading.length === 0) return argv;
  const rest = argv.slice(index);
  const separator = rest.indexOf('--');
  return separator < 0 ? [...rest, ...leading] : [...rest.slice(0, separator), ...leading, ...rest.slice(separator)];
}

const args = hoistLeadingProfile(process.argv.slice(2));
// The AWS CLI starts credential_process on every call: with fresh credentials in the private cache
// they are printed without loading oclif (src/fast/credential-process.ts); otherwise the full
// command below refreshes them.
if (args[0] === 'credential-process' && require('../dist/fast/credential-process.cjs').printWarmCredentials(args)) {
  // printed
} else if (args.length === 1 && (args[0] === '--version' || args[0] === 'version')) {
  // Answered without loading oclif: the same line oclif prints.
  const { version } = require('../package.json');
  process.stdout.write(`awsl/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // oclif and the commands: one bundle, run with V8's code cache (src/fast/bundle-loader.ts).
  const { join } = require('node:path');
  const root = join(__dirname, '..');
  const { execute } = require('../dist/fast/bundle-loader.cjs').loadBundle(join(root, 'dist', 'awsl.cjs'), args);
  execute({ args, dir: root });
}
