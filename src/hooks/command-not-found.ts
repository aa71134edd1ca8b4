/**
 * Any command awsl does not own goes to the AWS CLI (`awsl --profile prod s3 ls`), through the
 * `aws` command. oclif has already joined the leading words into a command id ("s3:cp:s3://b/k"
 * cannot be split back), so the words are taken from the command line as the user typed it. A
 * flag where the command should be (`awsl -h`) is a mistake, not an AWS CLI command: no login for it.
 */
import type { Hook } from '@oclif/core';
import { leadingGlobalFlags } from '../boot/argv.js';

const hook: Hook.CommandNotFound = async function ({ config }) {
  const argv = process.argv.slice(2);
  const first = leadingGlobalFlags(argv).rest[0] ?? '';
  if (first.startsWith('-')) this.error(`${first} is not a flag awsl knows here. Run ${config.bin} --help.`, { exit: 2 });
  return config.runCommand('aws', argv);
};

export default hook;
