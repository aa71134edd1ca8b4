#!/usr/bin/env node
// awsl entry point. `awsl --profile prod login` is accepted by moving a leading --profile
// after the command (oclif reads flags after the command id).

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
if (args[0] === 'credential-process' && (await import('../dist/fast/credential-process.js')).printWarmCredentials(args)) {
  // printed
} else if (args.length === 1 && (args[0] === '--version' || args[0] === 'version')) {
  // Answered without loading oclif: the same line oclif prints.
  const { readFileSync } = await import('node:fs');
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`awsl/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // oclif and the commands: one bundle, run with V8's code cache (src/fast/bundle-loader.ts).
  const { loadBundle } = await import('../dist/fast/bundle-loader.js');
  const { fileURLToPath } = await import('node:url');
  const { execute } = loadBundle(fileURLToPath(new URL('../dist/awsl.cjs', import.meta.url)), args);
  await execute({ args, dir: import.meta.url });
}
