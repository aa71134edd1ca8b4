#!/usr/bin/env node
// awsl entry point. `awsl --profile prod login` is accepted by moving a leading --profile
// after the command (oclif reads flags after the command id).
import { execute } from '@oclif/core';

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

await execute({ args: hoistLeadingProfile(process.argv.slice(2)), dir: import.meta.url });
