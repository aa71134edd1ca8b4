/** This running awsl as a program other tools start: the AWS CLI through credential_process. */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { isSea } from 'node:sea';
import { awslProgram, type AwslInstall } from './credential-process.js';

/** `root` is the package folder (oclif's config.root). */
export function runningInstall(root: string): AwslInstall {
  return { execPath: process.execPath, entryScript: realpathSync(join(root, 'bin', 'run.js')), singleBinary: isSea(), platform: process.platform };
}

export function runningAwslProgram(root: string): string[] {
  return awslProgram(runningInstall(root));
}
