/**
 * What bin/run.js loads first, as one small CommonJS file (dist/boot/start.cjs): the command-line
 * reading it needs before oclif, and the warm credential_process path. The rest of awsl is one
 * bundle that bundle-loader.ts runs when neither answers.
 */
export { isVersionRequest, oclifArguments } from './argv.js';
export { printWarmCredentials } from './warm-credential-process.js';

declare const AWSL_VERSION: string;
/** `awsl --version`'s line, the one oclif prints; the version is package.json's, written in by the build. */
export function versionLine(): string {
  return `awsl/${AWSL_VERSION} ${process.platform}-${process.arch} node-${process.version}`;
}
